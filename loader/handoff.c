/* handoff.c - loader stage 2 (freestanding): install the SIGSYS handler, arm the catch-alls, enter the program.
 *
 * Stage 1 (launch.c) used k23's own libc to find, check and map the program.
 * This stage runs on the same stack but uses only the runtime: once SUD is
 * armed, nothing here may depend on state the program could disturb, and the
 * last step overwrites the stack this code runs on.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/signal.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/catchall/arm.h"
#include "online/core/tarea.h"
#include "online/dispatch/fastpath.h"
#include "online/signals/signals.h"
#include "online/ptrace/ptrace_tracee.h"
#include "online/arch/x86_64/kabi.h"
#include "handoff.h"

void k23_handoff(const struct k23_handoff *h)
{
	long r;

	/* The thread's own area: its signal stack takes every SIGSYS frame. */
	r = k23_tarea_setup();
	if (r)
		k23_die("cannot set up the thread's k23 area", r);
	k23_fast_update();
	r = k23_install_sigsys();
	if (r)
		k23_die("cannot install the SIGSYS handler", r);
	/* A blocked SIGSYS would turn the first trap into death. */
	k23_sigsys_unblock();
	/* SUD first: in the default mode the filter is only SUD's backstop,
	 * and a kernel without SUD (before 5.11, or no CONFIG_GENERIC_ENTRY)
	 * gets the filter that judges every call instead, for the whole tree
	 * (the mode travels in the settings). */
	r = k23_arm_thread();
	if (r == -EINVAL && k23_rt.install_filter && k23_rt.catch_all == K23_CATCH_HYBRID) {
		k23_rt.catch_all = K23_CATCH_SECCOMP;
		r = 0;
	}
	if (r)
		k23_die("cannot arm Syscall User Dispatch (try --catch-all=seccomp)", r);
	if (k23_rt.install_filter && (k23_rt.catch_all & K23_CATCH_FILTER)) {
		r = k23_install_seccomp();
		if (r)
			k23_die("cannot install the seccomp filter (try --catch-all=sud)", r);
	}
	k23_rt.install_filter = 0; /* inherited from now on, across execve too */
	__atomic_store_n(&k23_ptrace_shared.in_loader, 0, __ATOMIC_RELAXED);
	k23_enter(h->stack, h->stack_size, h->sp, h->entry);
}
