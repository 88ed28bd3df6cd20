/* ptrace_tracee.c - a process traced by a tracer under k23 marks the program's calls (ptrace_shared.h).
 *
 * The tracer's k23 sets .traced in this process's k23_ptrace_shared (or the
 * program's PTRACE_TRACEME does). From then on each thread traps the
 * program's calls by Syscall User Dispatch, which comes before the
 * kernel's syscall-entry report, so a trapped call causes no syscall stop
 * of its own; patched sites stop taking the fast path (k23_needs_frame);
 * and every call k23 performs for the program is bracketed by the two
 * marker calls the tracer shows as its entry and exit.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include <linux/ptrace.h>
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/core/rt.h"
#include "online/catchall/arm.h"
#include "online/dispatch/fastpath.h"
#include "online/ptrace/ptrace_tracee.h"

/* sigreturn.S */
__attribute__((noreturn)) void k23_sigreturn_to(void *uc);

_Static_assert(__builtin_offsetof(struct k23_ptrace_shared, entry_trap) == 24,
	       "enter.S reads entry_trap at offset 24");

struct k23_ptrace_shared k23_ptrace_shared = {
	.magic = K23_PTRACE_MAGIC,
	.in_loader = 1,	/* cleared by the loader as it enters the program */
};

int k23_ptrace_enter(struct k23_call *c)
{
	if (!k23_ptrace_traced())
		return 0;
	c->ret = -ENOSYS; /* what a call the tracer skips returns, unless it says otherwise */
	k23_ptrace_mark_enter(c);
	return 1;
}

void k23_ptrace_exit(struct k23_call *c)
{
	k23_ptrace_mark_exit(c);
}

/* PTRACE_TRACEME is made for real only just before the thread does
 * something its tracer would see: an execve (the SIGTRAP after it) or
 * sending a signal (raise(SIGSTOP) is the usual next step). Made at once,
 * every trapped call in between would stop the thread for its SIGSYS while
 * the tracer is not waiting - gdb's vfork child, say, whose parent is
 * blocked in vfork until the child execs. */
int k23_ptrace_traceme_tid;

static long tracer_pid(void)
{
	char buf[1024];
	long fd = k23_syscall3(__NR_open, (long)"/proc/self/status", O_RDONLY, 0), n;
	const char *p;

	if (fd < 0)
		return 0;
	n = k23_syscall3(__NR_read, fd, (long)buf, sizeof(buf) - 1);
	k23_syscall1(__NR_close, fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	for (p = buf; *p; p++)
		if (!k23_strncmp(p, "\nTracerPid:", 11)) {
			for (p += 11; *p == '\t' || *p == ' '; p++)
				;
			return *p != '0'; /* no number starts with 0 but 0 itself */
		}
	return 0;
}

long k23_ptrace_traceme(void)
{
	/* The kernel's refusals that k23 can see now: already traced. */
	if (tracer_pid())
		return -EPERM;
	__atomic_store_n(&k23_ptrace_traceme_tid, (int)k23_tid(), __ATOMIC_RELAXED);
	return 0;
}

int k23_ptrace_settle_self(void)
{
	if (!__atomic_load_n(&k23_ptrace_traceme_tid, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&k23_ptrace_traceme_tid, __ATOMIC_RELAXED) != (int)k23_tid())
		return 0;
	k23_ptrace_traceme_tid = 0;
	if (k23_syscall4(__NR_ptrace, PTRACE_TRACEME, 0, 0, 0))
		return 0;
	__atomic_store_n(&k23_ptrace_shared.traced, 1, __ATOMIC_RELAXED);
	k23_fast_update();
	k23_arm_thread();
	return 1;
}

void k23_ptrace_settle(const struct k23_call *c)
{
	switch (c->nr) {
	case __NR_execve: case __NR_execveat: case __NR_kill: case __NR_tkill: case __NR_tgkill:
	case __NR_rt_sigqueueinfo: case __NR_rt_tgsigqueueinfo: case __NR_pidfd_send_signal:
		k23_ptrace_settle_self();
		return;
	default:
		return;
	}
}

/* A fault in program code (gdb's start-up probe: TRACEME, then a `ret`
 * into a page that is not executable, expecting its own stop with SIGSEGV
 * there) or a signal from elsewhere: it must not reach the program's
 * handler before the tracer has seen it. */
void k23_ptrace_signal_settle(int sig, const void *si, void *uc)
{
	if (!k23_ptrace_settle_self())
		return;
	k23_syscall4(__NR_rt_tgsigqueueinfo, k23_syscall0(__NR_getpid), k23_tid(),
		     sig, (long)si);
	k23_sigreturn_to(uc);
}
