/* signals.c - signal calls rewritten so SIGSYS is never blocked and its handler stays k23's.
 *
 * A trap (SUD or seccomp) is delivered with force_sig: if SIGSYS is blocked
 * or ignored at that moment the kernel resets it to the default action and the
 * process dies. So every mask the program hands the kernel - sigprocmask,
 * sigaction's sa_mask, sigsuspend, ppoll, pselect, epoll_pwait - loses its
 * SIGSYS bit, and the program's own SIGSYS disposition is kept here instead
 * of in the kernel.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/signal.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/dispatch/dispatch.h"
#include "online/signals/signals.h"
#include "online/catchall/arm.h"
#include "online/arch/x86_64/call_layout.h"
#include "online/core/thread.h"
#include "online/signals/onstack.h"
#include "online/ptrace/ptrace_async.h"

#define SIGSYS_BIT K23_SIGBIT(SIGSYS)

/* The program's view of its SIGSYS disposition (handler SIG_DFL at start). */
static struct k23_sigaction program_sigsys;

/* The program's rt_sigaction with k23's arguments, from the instruction
 * k23 makes the program's calls with: a seccomp filter of the program's
 * own judges it (own_filter.c). */
static long judged_sigaction(const struct k23_call *c, const void *act, void *oact)
{
	struct k23_call copy = *c;

	copy.args[1] = (long)act;
	copy.args[2] = (long)oact;
	return k23_passthrough(&copy);
}

static long sigaction_call(struct k23_call *c)
{
	int sig = (int)c->args[0];
	const struct k23_sigaction *act = (const void *)c->args[1];
	struct k23_sigaction *oact = (void *)c->args[2];
	struct k23_sigaction copy, old;
	long r;

	if (c->args[3] != sizeof(k23_sigset_t))
		return k23_passthrough(c);
	if (sig == SIGSYS && (r = k23_judged_probe(c, SIGSYS, 0, (long)&old, sizeof(k23_sigset_t))))
		return r; /* kept here, never the kernel's: its filter still judges */
	if (act && k23_copy_from(&copy, act, sizeof(copy)))
		return -EFAULT;
	if (sig == SIGSYS) {
		old = program_sigsys;
		if (oact && k23_copy_to(oact, &old, sizeof(old)))
			return -EFAULT;
		if (act)
			program_sigsys = copy;
		return 0;
	}
	if (sig == SIGCHLD && __atomic_load_n(&k23_tracer_async_on, __ATOMIC_RELAXED)) {
		/* k23's handler may stand in for the program's SIG_DFL
		 * (ptrace_async.c). */
		int has_old;

		if (k23_sigchld_sigaction(act ? &copy : 0, &old, &has_old))
			return oact && k23_copy_to(oact, &old, sizeof(old)) ? -EFAULT : 0;
		if (has_old) {
			copy.mask &= ~SIGSYS_BIT;
			k23_onstack_wrap(sig, &copy);
			r = judged_sigaction(c, &copy, 0);
			if (r || !oact)
				return r;
			return k23_copy_to(oact, &old, sizeof(old)) ? -EFAULT : 0;
		}
	}
	if (act) {
		copy.mask &= ~SIGSYS_BIT;
		k23_onstack_wrap(sig, &copy); /* onstack.c: where handlers run */
	}
	r = judged_sigaction(c, act ? &copy : 0, oact ? &old : 0);
	if (r || !oact)
		return r;
	k23_onstack_unwrap(&old);
	return k23_copy_to(oact, &old, sizeof(old));
}

/* Runs the call with the sigset at argument idx stripped of SIGSYS. */
static long with_mask_arg(struct k23_call *c, int idx)
{
	struct k23_call copy = *c;
	k23_sigset_t set;

	if (!c->args[idx])
		return k23_passthrough(c);
	if (k23_copy_from(&set, (const void *)c->args[idx], sizeof(set)))
		return -EFAULT;
	set &= ~SIGSYS_BIT;
	copy.args[idx] = (long)&set;
	return k23_passthrough(&copy);
}

static void deliver(int sig, struct k23_siginfo *si, struct k23_ucontext *uc, int forced);

/* SIGSYS became unblocked with one pending: deliver it as the kernel would
 * on the way back from this call - the handler sees the call completed. */
static void deliver_pending(struct k23_call *c, struct k23_thread *t)
{
	struct k23_ucontext *uc = c->uc;
	struct k23_siginfo si;

	if (!t || !t->sigsys_pending || !uc)
		return;
	t->sigsys_pending = 0;
	k23_memcpy(&si, &t->pending_si, sizeof(si));
	uc->uc_mcontext.rax = 0; /* what this sigprocmask returns */
	uc->uc_mcontext.rcx = uc->uc_mcontext.rip;
	uc->uc_mcontext.r11 = uc->uc_mcontext.eflags;
	deliver(SIGSYS, &si, uc, 0);
}

/* A SIGSYS held for the program that came in after k23_needs_frame looked
 * and before the view unblocked it (a patched rt_sigprocmask has no frame
 * to deliver it from): queued to the thread again, so k23's handler, with
 * the view unblocked now, delivers it, as it does any SIGSYS sent to a
 * thread that is in k23's code. */
static void requeue_pending(struct k23_thread *t)
{
	if (!t || !__atomic_load_n(&t->sigsys_pending, __ATOMIC_RELAXED))
		return;
	t->sigsys_pending = 0;
	k23_syscall4(__NR_rt_tgsigqueueinfo, k23_syscall0(__NR_getpid), k23_tid(), SIGSYS,
		     (long)&t->pending_si);
}

/* rt_sigpending: the kernel never holds SIGSYS pending for the program;
 * k23 does (above). */
static long sigpending_call(struct k23_call *c)
{
	struct k23_thread *t;
	long r = k23_passthrough(c);

	if (r == 0 && c->args[0] && c->args[1] == sizeof(k23_sigset_t) &&
	    (t = k23_thread_self(0)) && t->sigsys_pending)
		*(k23_sigset_t *)c->args[0] |= SIGSYS_BIT;
	return r;
}

/* The mask the call asks for, from the current one; -1 for a bad "how". */
static int new_mask(long how, k23_sigset_t old, k23_sigset_t set, k23_sigset_t *out)
{
	switch (how) {
	case SIG_BLOCK:
		*out = old | set;
		return 0;
	case SIG_UNBLOCK:
		*out = old & ~set;
		return 0;
	case SIG_SETMASK:
		*out = set;
		return 0;
	}
	return -1;
}

#define UNBLOCKABLE (SIGSYS_BIT | K23_SIGBIT(SIGKILL) | K23_SIGBIT(SIGSTOP))

/* Without a frame (a patched call, dispatch.c's k23_needs_frame): made by
 * the kernel in one call, so that a signal finds the mask as it was before
 * the call or as it is after, never a mix; from c itself, so that a signal
 * the call unblocks, delivered as it returns, shows the handler the call
 * made (sigctx.c). The old mask goes straight to the program's pointer
 * when the view has SIGSYS unblocked, the kernel's never having it. */
static long sigprocmask_made(struct k23_call *c, const k23_sigset_t *set)
{
	struct k23_thread *t = k23_thread_self(0);
	long a1 = c->args[1], a2 = c->args[2], r;
	int was = k23_sigview_blocked_in(t), now = was;
	k23_sigset_t m = 0, real;

	if (set && new_mask(c->args[0], was ? SIGSYS_BIT : 0, *set, &m))
		return -EINVAL;
	if (set) {
		now = !!(m & SIGSYS_BIT);
		m = *set & ~UNBLOCKABLE;
		c->args[1] = (long)&m;
	}
	if (now != was)
		t = k23_sigview_set(t, now);
	if (was && a2)
		c->args[2] = (long)&real;
	r = k23_passthrough(c);
	c->args[1] = a1, c->args[2] = a2;
	if (was && !now)
		requeue_pending(t);
	if (r || !was || !a2)
		return r;
	real |= SIGSYS_BIT;
	return k23_copy_to((void *)a2, &real, sizeof(real)) ? -EFAULT : 0;
}

/* The kernel holds the mask without SIGSYS; the program's view adds the
 * SIGSYS bit it set (sigview.c). In a SIGSYS handler the kernel restores the
 * mask saved in the frame when the handler returns, so a mask set there
 * would be undone: there the frame's saved mask is the one to edit. */
static long sigprocmask_call(struct k23_call *c)
{
	const k23_sigset_t *uset = (const void *)c->args[1], *set = 0;
	k23_sigset_t *oset = (void *)c->args[2];
	struct k23_ucontext *uc = c->uc;
	k23_sigset_t old, m = 0, want, none = 0;
	struct k23_thread *t;
	long r;

	if (c->args[3] != sizeof(k23_sigset_t))
		return k23_passthrough(c); /* the kernel's EINVAL */
	if ((r = k23_judged_probe(c, SIG_BLOCK, (long)&none, 0, sizeof(none))))
		return r; /* answered here: the program's filter still judges */
	if (uset) {
		if (k23_copy_from(&want, uset, sizeof(want)))
			return -EFAULT;
		set = &want;
	}
	if (!uc)
		return sigprocmask_made(c, set);
	t = k23_thread_self(0); /* looked up once (thread.c) */
	old = uc->uc_sigmask | (k23_sigview_blocked_in(t) ? SIGSYS_BIT : 0);
	if (set && new_mask(c->args[0], old, *set, &m))
		return -EINVAL;
	if (set) {
		int now_blocked = !!(m & SIGSYS_BIT);

		t = k23_sigview_set(t, now_blocked);
		if (!now_blocked)
			deliver_pending(c, t);
		uc->uc_sigmask = m & ~UNBLOCKABLE;
	}
	if (oset && k23_copy_to(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* pselect6's sixth argument points to { const sigset_t *ss; size_t ss_len; }. */
static long pselect_call(struct k23_call *c)
{
	struct k23_call copy = *c;
	long pair[2], newpair[2];
	k23_sigset_t set;

	if (!c->args[5])
		return k23_passthrough(c);
	if (k23_copy_from(pair, (const void *)c->args[5], sizeof(pair)))
		return -EFAULT;
	if (!pair[0] || pair[1] != sizeof(k23_sigset_t))
		return k23_passthrough(c);
	if (k23_copy_from(&set, (const void *)pair[0], sizeof(set)))
		return -EFAULT;
	set &= ~SIGSYS_BIT;
	newpair[0] = (long)&set;
	newpair[1] = pair[1];
	copy.args[5] = (long)newpair;
	return k23_passthrough(&copy);
}

/* The program's alternate stack is emulated per thread (onstack.c): the
 * kernel's setting is k23's own signal stack. */
static long sigaltstack_call(struct k23_call *c)
{
	struct k23_ucontext *uc = c->uc;
	struct k23_area *a = uc ? k23_area_of(uc) : 0;
	struct k23_stack ss, old;
	long r;

	if (!a)
		return k23_passthrough(c);
	if ((r = k23_judged_probe(c, 0, (long)&old, 0, 0)))
		return r; /* answered here: the program's filter still judges */
	if (c->args[0] && k23_copy_from(&ss, (const void *)c->args[0], sizeof(ss)))
		return -EFAULT;
	r = k23_altstack_call(a, c->args[0] ? &ss : 0, &old, uc->uc_mcontext.rsp);
	if (!r && c->args[1] && k23_copy_to((void *)c->args[1], &old, sizeof(old)))
		return -EFAULT;
	return r;
}

void k23_do_signal_call(struct k23_call *c)
{
	switch (c->nr) {
	case __NR_sigaltstack:
		c->ret = sigaltstack_call(c);
		break;
	case __NR_rt_sigpending:
		c->ret = sigpending_call(c);
		break;
	case __NR_rt_sigaction:
		c->ret = sigaction_call(c);
		break;
	case __NR_rt_sigprocmask:
		c->ret = sigprocmask_call(c);
		break;
	case __NR_rt_sigsuspend:
		c->ret = c->args[1] == sizeof(k23_sigset_t) ? with_mask_arg(c, 0) : k23_passthrough(c);
		break;
	case __NR_ppoll:
		c->ret = c->args[4] == sizeof(k23_sigset_t) ? with_mask_arg(c, 3) : k23_passthrough(c);
		break;
	case __NR_epoll_pwait:
	case __NR_epoll_pwait2:
		c->ret = c->args[5] == sizeof(k23_sigset_t) ? with_mask_arg(c, 4) : k23_passthrough(c);
		break;
	case __NR_pselect6:
		c->ret = pselect_call(c);
		break;
	default:
		c->ret = k23_passthrough(c);
	}
}

k23_sigset_t k23_sigsys_unblock(void)
{
	k23_sigset_t sigsys = SIGSYS_BIT, was = 0;

	k23_syscall4(__NR_rt_sigprocmask, SIG_UNBLOCK, (long)&sigsys, (long)&was, sizeof(sigsys));
	return was;
}

void k23_sigsys_block(void)
{
	k23_sigset_t sigsys = SIGSYS_BIT;

	k23_syscall4(__NR_rt_sigprocmask, SIG_BLOCK, (long)&sigsys, 0, sizeof(sigsys));
}

/* Runs the program's handler h on this frame, and again for each SIGSYS
 * held while it ran (t: the thread, held: SIGSYS blocked in its view
 * meanwhile); nonzero when one of them finds the default action. */
static int run_program_handler(void *h, int sig, struct k23_siginfo *si, struct k23_ucontext *uc,
			       struct k23_thread *t, int held)
{
	struct k23_call ret = { .nr = __NR_rt_sigreturn, .via = K23_VIA_SUD, .uc = uc };

	for (;;) {
		if (program_sigsys.flags & K23_SA_SIGINFO)
			((void (*)(int, struct k23_siginfo *, void *))h)(sig, si, uc);
		else
			((void (*)(int))h)(sig);
		/* Its return would have been an rt_sigreturn of the program's. */
		ret.ret = (long)uc->uc_mcontext.rax;
		k23_report(&ret);
		if (!held)
			return 0;
		k23_sigview_set(t, 0); /* the mask the return restores */
		if (!__atomic_exchange_n(&t->sigsys_pending, 0, __ATOMIC_SEQ_CST))
			return 0;
		k23_memcpy(si, &t->pending_si, sizeof(*si));
		h = program_sigsys.handler; /* the handler may have changed it */
		if (h == (void *)SIG_IGN)
			return 0;
		if (h == (void *)SIG_DFL)
			return 1;
		k23_sigview_set(t, 1);
	}
}

static void deliver(int sig, struct k23_siginfo *si, struct k23_ucontext *uc, int forced)
{
	if (forced && k23_sigview_blocked()) {
		/* force_sig on a blocked signal: the kernel unblocks it and
		 * resets the handler, so the process dies of it. */
		program_sigsys.handler = (void *)SIG_DFL;
	}
	void *h = program_sigsys.handler;

	if (h == (void *)SIG_IGN && !forced)
		return;
	if (h != (void *)SIG_DFL && h != (void *)SIG_IGN) {
		/* Run the program's handler on this frame: it sees the real
		 * siginfo and ucontext, so its changes to them take effect.
		 * While it runs SIGSYS is blocked in the program's view, as the
		 * kernel blocks a signal during its handler unless SA_NODEFER
		 * asks otherwise: a SIGSYS sent meanwhile is held, and delivered
		 * when the handler has returned, one after the other, not nested
		 * in it. In the kernel's mask SIGSYS is unblocked while it runs
		 * (k23's own handler runs with it blocked), so that the
		 * program's calls can trap. */
		struct k23_thread *t = k23_thread_self(0);
		int held = 0;

		if (!(program_sigsys.flags & K23_SA_NODEFER) && !k23_sigview_blocked_in(t)) {
			t = k23_sigview_set(t, 1);
			held = t != 0;
		}
		k23_sigset_t was = k23_sigsys_unblock();

		if (!run_program_handler(h, sig, si, uc, t, held)) {
			k23_syscall4(__NR_rt_sigprocmask, SIG_SETMASK, (long)&was, 0, sizeof(was));
			return;
		}
	}
	/* Default action: die of SIGSYS as the program would have, now. */
	struct k23_sigaction dfl = { .handler = (void *)SIG_DFL };
	long pid = k23_syscall0(__NR_getpid), tid = k23_tid();

	k23_syscall4(__NR_rt_sigaction, SIGSYS, (long)&dfl, 0, sizeof(k23_sigset_t));
	k23_sigsys_unblock();
	k23_syscall3(__NR_tgkill, pid, tid, SIGSYS);
}

void k23_deliver_program_sigsys(int sig, struct k23_siginfo *si, struct k23_ucontext *uc)
{
	struct k23_thread *t;

	if (k23_sigview_blocked() && (t = k23_thread_self(1))) {
		/* Blocked in the program's view: pending until it unblocks
		 * (standard signals do not queue: a second one merges). */
		if (!t->sigsys_pending)
			k23_memcpy(&t->pending_si, si, sizeof(*si));
		t->sigsys_pending = 1;
		return;
	}
	deliver(sig, si, uc, 0);
}

void k23_raise_program_sigsys(struct k23_siginfo *si, struct k23_ucontext *uc)
{
	deliver(SIGSYS, si, uc, 1);
}

void k23_mask_program(const struct k23_call *c)
{
	const struct k23_ucontext *uc = c->uc;
	k23_sigset_t m;

	if (!uc)
		return;
	m = uc->uc_sigmask & ~SIGSYS_BIT;
	k23_syscall4(__NR_rt_sigprocmask, SIG_SETMASK, (long)&m, 0, sizeof(m));
}

long k23_call_program_mask(const struct k23_call *c)
{
	const struct k23_ucontext *uc = c->uc;
	k23_sigset_t prog = uc->uc_sigmask & ~SIGSYS_BIT;
	k23_sigset_t held = (uc->uc_sigmask | K23_HELD_SIGNALS) & ~SIGSYS_BIT;

	return k23_call_raw_masked(c, &prog, &held);
}

void k23_mask_held(const struct k23_call *c)
{
	const struct k23_ucontext *uc = c->uc;
	k23_sigset_t m;

	if (!uc)
		return;
	m = (uc->uc_sigmask | K23_HELD_SIGNALS) & ~SIGSYS_BIT;
	k23_syscall4(__NR_rt_sigprocmask, SIG_SETMASK, (long)&m, 0, sizeof(m));
}
