/* onstack.c - the program's alternate signal stack, emulated, and delivery of the program's handlers.
 *
 * The kernel's sigaltstack setting of every thread is k23's own signal
 * stack (tarea.h), so that k23's SIGSYS frames never land on program
 * memory. The program's sigaltstack calls are answered from the setting
 * k23 keeps in the thread's area, with the kernel's rules (EPERM while on
 * it, SS_AUTODISARM, MINSIGSTKSZ). The kernel would now put the frame of a
 * program handler with SA_ONSTACK on k23's stack, so every program handler
 * is installed as k23's entry below, the program's handler, flags and
 * restorer kept in an immutable record named by the action's sa_restorer:
 *
 *   signal ──kernel──▶ k23_onstack_entry on k23's signal stack (SA_ONSTACK)
 *          ──▶ frame copied to where the kernel would have put it for the
 *              program: its alternate stack if enabled and not in use, else
 *              below its stack pointer (red zone kept); uc_stack is the
 *              program's setting ──▶ program handler, returning to its own
 *              restorer; its rt_sigreturn traps and k23 swaps uc_stack back.
 *
 * Handlers without SA_ONSTACK are installed without it, so the kernel's
 * frame is already where the program's would be; k23 only fixes its return
 * address and uc_stack there. A signal that interrupts k23 itself (a call
 * in flight on the thread's private stack) is placed, with or without
 * SA_ONSTACK, from the program's stack pointer at that call
 * (k23_area_program_sp): no program handler runs on the private stack,
 * whose levels belong to the calls in flight. Records are never
 * changed or freed, so a vfork child (shared memory, own handlers) cannot
 * disturb its parent's.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/signal.h>
#include "online/core/rt.h"
#include "cold.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/signals/onstack.h"
#include "online/signals/sigctx.h"
#include "online/signals/signals.h"
#include "online/ptrace/ptrace_tracee.h"
#include "online/ptrace/ptrace_async.h"

#define SS_ONSTACK_ 1
#define SS_DISABLE_ 2
#define SS_AUTODISARM_ (1U << 31)
#define MINSIGSTKSZ_ 2048
#define RED_ZONE 128

/* --- the emulated setting --- */

static int on_stack(const struct k23_stack *ss, unsigned long sp)
{
	unsigned long lo = (unsigned long)ss->ss_sp;

	if ((unsigned)ss->ss_flags & SS_AUTODISARM_)
		return 0;
	return sp > lo && sp - lo <= ss->ss_size;
}

static int stack_flags(const struct k23_stack *ss, unsigned long sp)
{
	if (!ss->ss_size)
		return SS_DISABLE_;
	return on_stack(ss, sp) ? SS_ONSTACK_ : 0;
}

static long set_altstack(struct k23_area *a, const struct k23_stack *ss, unsigned long sp)
{
	struct k23_stack n = *ss;
	unsigned mode = (unsigned)n.ss_flags & ~SS_AUTODISARM_;

	if (on_stack(&a->prog_ss, sp))
		return -EPERM;
	if (mode != SS_DISABLE_ && mode != SS_ONSTACK_ && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE_) {
		n.ss_sp = 0;
		n.ss_size = 0;
	} else if (n.ss_size < MINSIGSTKSZ_) {
		return -ENOMEM;
	}
	a->prog_ss = n;
	return 0;
}

long k23_altstack_call(struct k23_area *a, const struct k23_stack *ss, struct k23_stack *oss,
		       unsigned long sp)
{
	if (oss) {
		k23_memset(oss, 0, sizeof(*oss));
		oss->ss_sp = a->prog_ss.ss_sp;
		oss->ss_size = a->prog_ss.ss_size;
		oss->ss_flags = stack_flags(&a->prog_ss, sp) |
				(int)((unsigned)a->prog_ss.ss_flags & SS_AUTODISARM_);
	}
	return ss ? set_altstack(a, ss, sp) : 0;
}

static struct k23_stack own_stack(const struct k23_area *a)
{
	struct k23_stack s = { .ss_sp = (char *)a + K23_TA_ALT_OFF, .ss_size = K23_TA_ALT_SIZE };

	return s;
}

void k23_altstack_sigreturn(struct k23_area *a, struct k23_ucontext *fr)
{
	/* uc_stack up to uc_mcontext.rsp, in one copy. */
	char part[offsetof(struct k23_ucontext, uc_mcontext.rsp) + sizeof(unsigned long) -
		  offsetof(struct k23_ucontext, uc_stack)] __attribute__((aligned(8)));
	struct k23_stack ss, own;
	unsigned long sp;

	if (!a || k23_copy_from(part, &fr->uc_stack, sizeof(part)))
		return; /* a bad frame: the kernel's rt_sigreturn fails on it */
	k23_memcpy(&ss, part, sizeof(ss));
	k23_memcpy(&sp, part + sizeof(part) - sizeof(sp), sizeof(sp));
	own = own_stack(a);
	if (ss.ss_sp == own.ss_sp)
		return; /* built by the kernel for k23: holds k23's setting */
	set_altstack(a, &ss, sp); /* errors ignored, as the kernel's restore_altstack */
	k23_copy_to(&fr->uc_stack, &own, sizeof(own));
}

/* --- records of the program's handlers --- */

struct rec {
	void *handler;
	unsigned long flags;
	void *restorer;
	int ready;
};

#define NREC 512
static K23_COLD struct rec recs[NREC];
static unsigned nrec;

static struct rec *rec_for(const struct k23_sigaction *act)
{
	unsigned n = __atomic_load_n(&nrec, __ATOMIC_ACQUIRE), i;

	for (i = 0; i < n && i < NREC; i++) {
		struct rec *r = &recs[i];

		if (__atomic_load_n(&r->ready, __ATOMIC_ACQUIRE) && r->handler == act->handler &&
		    r->flags == act->flags && r->restorer == act->restorer)
			return r;
	}
	i = __atomic_fetch_add(&nrec, 1, __ATOMIC_ACQ_REL);
	if (i >= NREC)
		return 0;
	recs[i].handler = act->handler;
	recs[i].flags = act->flags;
	recs[i].restorer = act->restorer;
	__atomic_store_n(&recs[i].ready, 1, __ATOMIC_RELEASE);
	return &recs[i];
}

void k23_onstack_entry(int sig, struct k23_siginfo *si, struct k23_ucontext *uc);
void k23_onstack_jump(void *handler, long sig, void *info, void *uc, unsigned long sp)
	__attribute__((noreturn));

void k23_onstack_wrap(int sig, struct k23_sigaction *act)
{
	struct rec *r;

	if (sig < 1 || sig > 64 || sig == SIGKILL || sig == SIGSTOP || sig == SIGSYS ||
	    act->handler == (void *)SIG_DFL || act->handler == (void *)SIG_IGN)
		return;
	r = rec_for(act);
	if (!r)
		return; /* out of records: the kernel delivers it (on k23's stack if SA_ONSTACK) */
	act->handler = (void *)k23_onstack_entry;
	act->flags |= K23_SA_RESTORER | K23_SA_SIGINFO;
	act->restorer = r;
}

void k23_onstack_unwrap(struct k23_sigaction *oact)
{
	const struct rec *r = oact->restorer;

	if (oact->handler != (void *)k23_onstack_entry)
		return;
	oact->handler = r->handler;
	oact->flags = r->flags;
	oact->restorer = r->restorer;
}

/* --- delivery --- */

/* The kernel's rt_sigframe: return address, ucontext, siginfo; the
 * extended register state follows, 64-byte aligned. */
struct frame {
	void *pretcode;
	struct k23_ucontext uc;
	struct k23_siginfo info;
};
_Static_assert(sizeof(struct frame) == 440, "rt_sigframe");

static unsigned long fp_size(const struct k23_ucontext *uc)
{
	const uint32_t *sw = (const uint32_t *)((const char *)uc->uc_mcontext.fpstate + 464);

	if (!uc->uc_mcontext.fpstate)
		return 0;
	return sw[0] == 0x46505853U /* FP_XSTATE_MAGIC1 */ ? sw[1] : 512;
}

/* What the kernel does when it cannot write a signal frame: SIGSEGV. */
__attribute__((noreturn)) static void force_segv(void)
{
	struct k23_sigaction dfl = { .handler = (void *)SIG_DFL };
	k23_sigset_t segv = K23_SIGBIT(SIGSEGV);

	k23_syscall4(__NR_rt_sigaction, SIGSEGV, (long)&dfl, 0, sizeof(k23_sigset_t));
	k23_syscall4(__NR_rt_sigprocmask, SIG_UNBLOCK, (long)&segv, 0, sizeof(segv));
	k23_syscall3(__NR_tgkill, k23_syscall0(__NR_getpid), k23_tid(), SIGSEGV);
	k23_syscall1(__NR_exit_group, 128 + SIGSEGV);
	__builtin_unreachable();
}

static int in_range(unsigned long p, unsigned long lo, unsigned long size)
{
	return p - lo < size;
}

/* The program's view of its setting as the kernel saves it in a frame;
 * then SS_AUTODISARM disarms it for the handler's duration. */
static struct k23_stack delivered(struct k23_area *a)
{
	struct k23_stack saved = a->prog_ss;

	if ((unsigned)a->prog_ss.ss_flags & SS_AUTODISARM_) {
		a->prog_ss.ss_sp = 0;
		a->prog_ss.ss_size = 0;
		a->prog_ss.ss_flags = SS_DISABLE_;
	}
	return saved;
}

/* The kernel's frame is where the program's belongs: fix it there. */
__attribute__((noreturn)) static void in_place(const struct rec *r, int sig, struct k23_area *a,
					       struct k23_ucontext *uc, const struct k23_sigctx_note *n)
{
	struct frame *f = (struct frame *)((char *)uc - 8);

	if (!(r->flags & K23_SA_RESTORER))
		force_segv(); /* x86-64 needs one: the kernel fails the delivery */
	if (a)
		uc->uc_stack = delivered(a);
	f->pretcode = r->restorer;
	k23_sigctx_enter(a, n, uc); /* sigctx.c: the program's context, if it interrupted k23 */
	k23_onstack_jump(r->handler, sig, &f->info, &f->uc, (unsigned long)f);
}

void k23_onstack_entry(int sig, struct k23_siginfo *si, struct k23_ucontext *uc)
{
	const struct rec *r = __builtin_return_address(0);
	struct k23_area *a = k23_area_of(uc);
	unsigned long rsp = uc->uc_mcontext.rsp, sp, fp, fsz = fp_size(uc), at;
	int on = 0, entering = 0, onstack = !!(r->flags & K23_SA_ONSTACK);
	struct k23_sigctx_note n;
	struct frame f;

	if (uc->uc_sigmask & K23_SIGBIT(SIGSYS))
		k23_sigsys_unblock(); /* inside k23's SIGSYS handler: the program's may trap */
	if (__atomic_load_n(&k23_ptrace_traceme_tid, __ATOMIC_RELAXED))
		k23_ptrace_signal_settle(sig, si, uc); /* the tracer sees it first */
	if (sig == SIGCHLD && __atomic_load_n(&k23_tracer_async_on, __ATOMIC_RELAXED))
		k23_tracer_async_consume(); /* ptrace_async.c */
	/* A signal inside a patched call's entry: the program's context, at
	 * the stub, from here on; rsp still says where the kernel's frame is. */
	k23_sigctx_settle(a, uc, &n);
	if (!a || k23_area_on_sigstack(a, rsp))
		in_place(r, sig, a, uc, &n); /* below k23's own code on its signal stack */
	if (!onstack && !in_range(rsp, (unsigned long)a, K23_TA_SIZE))
		in_place(r, sig, a, uc, &n); /* the kernel put it where it belongs */
	sp = k23_area_program_sp(a, uc) - RED_ZONE;
	if (onstack) {
		on = on_stack(&a->prog_ss, sp);
		if (a->prog_ss.ss_size && !on) {
			sp = (unsigned long)a->prog_ss.ss_sp + a->prog_ss.ss_size;
			entering = 1;
		}
	}
	fp = (sp - fsz) & ~63UL;
	at = ((fp - sizeof(f)) & ~15UL) - 8;
	if ((on || entering) && !(at > (unsigned long)a->prog_ss.ss_sp &&
				  at - (unsigned long)a->prog_ss.ss_sp <= a->prog_ss.ss_size))
		force_segv(); /* it would overflow the alternate stack */
	if (!(r->flags & K23_SA_RESTORER))
		force_segv();
	f.pretcode = r->restorer;
	k23_memcpy(&f.uc, uc, sizeof(f.uc));
	k23_memcpy(&f.info, si, sizeof(f.info));
	f.uc.uc_mcontext.fpstate = fsz ? (void *)fp : 0;
	f.uc.uc_stack = delivered(a);
	if (k23_copy_to2((void *)fp, uc->uc_mcontext.fpstate, fsz, (void *)at, &f, sizeof(f)))
		force_segv();
	k23_sigctx_enter(a, &n, &((struct frame *)at)->uc);
	k23_onstack_jump(r->handler, sig, &((struct frame *)at)->info, &((struct frame *)at)->uc, at);
}
