/* ptrace_async.c - a tracer under k23 that does not wait: its tracees' trap stops are resumed when SIGCHLD tells of them.
 *
 * A tracee under k23 stops for each call k23 traps (the SIGSYS signal-
 * delivery-stop of SUD or seccomp): natively those stops do not exist. The
 * tracer's k23 hides them inside the program's waits (ptrace_tracer.c), but
 * a tracer that seizes a process and then does not wait (it reads a pipe
 * the tracee writes, sleeps, or keeps the seize for later) would leave its
 * tracee stopped at its first trapped call. Every ptrace stop sends the
 * tracer's process SIGCHLD (CLD_TRAPPED), to the tracer thread first; so
 * once the process traces a tracee under k23, k23 takes SIGCHLD: where the
 * program's disposition is SIG_DFL, k23 installs a handler of its own
 * (SA_RESTART, on k23's signal stack) and shows the program its SIG_DFL;
 * where the program has a handler, k23's entry to it (onstack.c) does the
 * same first. The handler takes only stops of k23's traps that no wait has
 * taken (peeked with WNOWAIT, then waited for) and resumes them as the
 * tracer last resumed the tracee; every other stop stays for the
 * program's wait. A fork child traces nothing: the program's disposition
 * goes back to the kernel there (clone.c).
 *
 * Natively a SIG_DFL SIGCHLD interrupts nothing. k23's handler has
 * SA_RESTART, so the kernel restarts what it restarts for such handlers
 * (read, write, wait4...); a call of the program's that k23 was making
 * (call_raw.S: the patched fast path is off in a tracer of tracees under
 * k23) and that the handler's arrival ended with EINTR is made
 * again: with its original arguments (select, pselect6 and ppoll have
 * already written the time left to the program's memory), a relative
 * nanosleep or clock_nanosleep from the time left the kernel wrote to its
 * rem argument. Not made again: a relative sleep without rem (the time
 * left is not known); and calls whose timeout the kernel does not update
 * (poll, epoll_wait, ...) wait their whole timeout again
 * (docs/differences.md).
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/signal.h>
#include <linux/time.h>
#include "k23/tool.h"
#include "online/core/rtlib.h"
#include "online/arch/x86_64/call_layout.h"
#include "online/catchall/arm.h"
#include "online/signals/signals.h"
#include "online/ptrace/ptrace_async.h"
#include "online/dispatch/fastpath.h"

int k23_tracer_async_on;
static int own_handler;			/* k23's handler stands in for the program's SIG_DFL */
static struct k23_sigaction prog_act;	/* ... whose action (flags, mask) this is */

#define SA_NOCLDSTOP_ 1UL
#define SA_NOCLDWAIT_ 2UL

#define SYSCALL_LEN 2

/* The program's call k23 was making when the handler came (m right after
 * call_raw.S's syscall of it, the call record in %r12) ended with EINTR only
 * because of it: made again when the handler returns (see above). */
static void make_again(struct sigcontext *m)
{
	const struct k23_call *c = (const struct k23_call *)m->r12;

	switch (c->nr) {
	case __NR_nanosleep:			/* (req, rem) */
		if (!m->rsi)
			return;
		m->rdi = m->rsi;
		break;
	case __NR_clock_nanosleep:		/* (clock, flags, req, rem) */
		if (!(m->rsi & TIMER_ABSTIME)) {
			if (!m->r10)
				return;
			m->rdx = m->r10;
		}
		break;
	default:
		break;
	}
	m->rax = (unsigned long)c->nr;
	m->rip -= SYSCALL_LEN;
}

static void sigchld_entry(int sig, struct k23_siginfo *si, struct k23_ucontext *uc)
{
	struct sigcontext *m = &uc->uc_mcontext;

	(void)sig, (void)si;
	k23_tracer_async_consume();
	if ((m->rip == (unsigned long)k23_call_raw_resume ||
	     m->rip == (unsigned long)k23_call_raw_masked_resume) && (long)m->rax == -EINTR)
		make_again(m);
}

/* k23's action standing in for the program's SIG_DFL act: SA_NOCLDWAIT
 * kept (it decides whether children become zombies), SA_NOCLDSTOP left
 * out (it would silence the very ptrace stops k23 must hear of). */
static long install(const struct k23_sigaction *act)
{
	struct k23_sigaction sa = {
		.handler = (void *)sigchld_entry,
		.flags = K23_SA_SIGINFO | K23_SA_RESTART | K23_SA_ONSTACK | K23_SA_RESTORER |
			 (act->flags & SA_NOCLDWAIT_),
		.restorer = (void *)k23_restore_rt,
		.mask = K23_HELD_SIGNALS & ~K23_SIGBIT(SIGSYS),
	};

	return k23_syscall4(__NR_rt_sigaction, SIGCHLD, (long)&sa, 0, sizeof(k23_sigset_t));
}

void k23_tracer_async_arm(void)
{
	struct k23_sigaction cur;

	if (__atomic_exchange_n(&k23_tracer_async_on, 1, __ATOMIC_ACQ_REL))
		return;
	k23_fast_update(); /* every call through k23_call_raw, where make_again finds it */
	if (k23_syscall4(__NR_rt_sigaction, SIGCHLD, 0, (long)&cur, sizeof(k23_sigset_t)) ||
	    cur.handler != (void *)SIG_DFL)
		return; /* a handler of the program's: k23's entry to it takes SIGCHLD */
	prog_act = cur;
	if (install(&cur) == 0)
		own_handler = 1;
}

int k23_sigchld_sigaction(const struct k23_sigaction *act, struct k23_sigaction *old,
			  int *has_old)
{
	*has_old = 0;
	if (!own_handler)
		return 0;
	*old = prog_act;
	*has_old = 1;
	if (!act)
		return 1;
	if (act->handler == (void *)SIG_DFL) {
		struct k23_sigaction keep = *act;

		/* As the kernel keeps it: no SIGKILL, SIGSTOP (nor, under k23,
		 * SIGSYS: docs/differences.md) in the mask. */
		keep.mask &= ~(K23_SIGBIT(SIGSYS) | K23_SIGBIT(SIGKILL) | K23_SIGBIT(SIGSTOP));
		if (install(&keep))
			return 0;
		prog_act = keep;
		return 1;
	}
	own_handler = 0; /* the program's own action replaces k23's */
	return 0;
}

void k23_tracer_async_forked(void)
{
	if (own_handler)
		k23_syscall4(__NR_rt_sigaction, SIGCHLD, (long)&prog_act, 0, sizeof(k23_sigset_t));
	own_handler = 0;
	k23_tracer_async_on = 0;
	k23_fast_update();
}
