/* arm.c - arming Syscall User Dispatch and the seccomp filter, installing the SIGSYS handler.
 *
 * Both mechanisms exempt the same range: k23's executable segment, which is
 * linked at a fixed address and so lies at the same place in every image of
 * the process tree. The seccomp filter itself is built in seccomp_filter.c:
 * with --catch-all=seccomp or both it judges every call by its address, in
 * the default (hybrid) mode only the few that could leave SUD's reach.
 */
#include <stddef.h>
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/signal.h>
#include "k23/compat.h"
#include "online/arch/x86_64/kabi.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/catchall/arm.h"
#include "online/catchall/sigsys.h"
#include "online/signals/signals.h"
#include "online/catchall/seccomp_filter.h"
#include "online/ptrace/ptrace_tracee.h"

long k23_arm_thread(void)
{
	/* Traced, SUD comes first: the kernel's syscall-entry report and the
	 * seccomp filter do not see a call SUD traps (ptrace_tracee.c). */
	if (!(k23_rt.catch_all & K23_CATCH_SUD) && !k23_ptrace_traced())
		return 0;
	/* The kernel compares the address after the syscall instruction, so a
	 * syscall ending exactly at text_end is still inside: hence the +1. */
	return k23_syscall5(__NR_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
			    (long)k23_rt.text_start,
			    (long)(k23_rt.text_end - k23_rt.text_start + 1), 0);
}

extern const char k23_int80_ip[];

long k23_install_seccomp(void)
{
	struct sock_filter code[K23_FILTER_MAX];
	int n = k23_seccomp_program(code, k23_rt.text_start, k23_rt.text_end,
				    (unsigned long)k23_int80_ip,
				    !(k23_rt.catch_all & K23_CATCH_SECCOMP));
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = code };
	long r;

	if (n < 0)
		return -EINVAL;
	r = k23_syscall3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&prog);
	if (r == -EACCES) {
		/* Without CAP_SYS_ADMIN the kernel demands no_new_privs. */
		r = k23_syscall5(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (r == 0)
			r = k23_syscall3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&prog);
	}
	return r;
}

long k23_install_sigsys(void)
{
	/* mask: see K23_HELD_SIGNALS in signals.h.
	 * No SA_NODEFER: SIGSYS is blocked while the handler runs, so that a
	 * flood of kill(SIGSYS) from another process waits for each frame to
	 * return instead of nesting frame on frame until the signal stack is
	 * full. Where program code runs inside the handler, whose trapped
	 * calls must reach it again (the kernel kills a process trapped with
	 * SIGSYS blocked), SIGSYS is unblocked first: a trapped call that
	 * may sleep runs with the program's mask (sigsys.c), the program's
	 * SIGSYS handler is called with it unblocked (signals.c), a program
	 * handler entered from k23 unblocks it (onstack.c), and calls k23
	 * makes for a program with seccomp filters of its own, which may trap
	 * them, are made with it unblocked (sigsys.c).
	 * SA_ONSTACK: the frame goes on the thread's signal stack in k23's
	 * own area (tarea.h), never on program memory: the program's stack
	 * may be tiny or invalid, its alternate stack read-only or shared
	 * with a vfork child. */
	struct k23_sigaction sa = {
		.handler = (void *)k23_sigsys_handler,
		.flags = K23_SA_SIGINFO | K23_SA_RESTORER | K23_SA_ONSTACK,
		.restorer = (void *)k23_restore_rt,
		.mask = K23_HELD_SIGNALS & ~K23_SIGBIT(SIGSYS),
	};

	return k23_syscall4(__NR_rt_sigaction, SIGSYS, (long)&sa, 0, sizeof(k23_sigset_t));
}
