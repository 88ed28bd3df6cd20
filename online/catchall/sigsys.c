/* sigsys.c - the SIGSYS handler: turns a trapped system call into a dispatcher call.
 *
 *   program: syscall ──SUD or seccomp──▶ kernel builds SIGSYS frame
 *       ──▶ k23_sigsys_handler(uc) ──▶ k23_dispatch(call) ──▶ raw syscall in k23 text
 *       ◀── rax = result; return ──▶ k23_restore_rt: rt_sigreturn ──▶ program, after its syscall
 *
 * Both mechanisms roll the registers back to the system-call entry, so the
 * frame's rax holds the call number and rdi..r9 its arguments; rip already
 * points after the syscall instruction. The frame is on the thread's signal
 * stack in k23's own area (tarea.h), never on program memory.
 */
#include <asm/unistd.h>
#include <linux/signal.h>
#include "k23/compat.h"
#include "online/core/rt.h"
#include "online/tools/inject.h"
#include "online/core/rtlib.h"
#include "online/catchall/arm.h"
#include "online/dispatch/dispatch.h"
#include "online/signals/signals.h"
#include "online/views/prog_sud.h"
#include "online/patch/patch.h"
#include "online/arch/x86_64/call_layout.h"
#include "online/core/tarea.h"
#include "online/signals/onstack.h"
#include "online/signals/sigctx.h"
#include "online/catchall/sigsys.h"
#include "online/ptrace/ptrace_tracee.h"
#include "online/views/foreign_arch.h"

static int trap_kind(const struct k23_siginfo *si)
{
	if (si->si_code == SYS_USER_DISPATCH)
		return K23_VIA_SUD;
	if (si->si_code == SYS_SECCOMP && si->si_errno == K23_SECCOMP_TRAP_DATA)
		return K23_VIA_SECCOMP;
	return 0;
}

static void read_args(struct k23_call *c, const struct sigcontext *m)
{
	c->args[0] = (long)m->rdi;
	c->args[1] = (long)m->rsi;
	c->args[2] = (long)m->rdx;
	c->args[3] = (long)m->r10;
	c->args[4] = (long)m->r8;
	c->args[5] = (long)m->r9;
}

/* A SIGSYS that is not one of k23's traps: sent by kill, or raised by a
 * seccomp filter of the program's own. */
static void foreign_sigsys(int sig, struct k23_siginfo *si, struct k23_ucontext *uc)
{
	struct sigcontext *m = &uc->uc_mcontext;

	if (si->si_code == SYS_SECCOMP && (m->rip == (unsigned long)k23_call_raw_resume ||
					   m->rip == (unsigned long)k23_call_raw_masked_resume)) {
		/* The program's filter trapped a call k23 was making for it:
		 * its handler must see its own frame, as without k23. */
		struct k23_call *outer = (struct k23_call *)m->r12;
		struct k23_ucontext *ouc = outer->uc;

		if (ouc) {
			si->u.sigsys.call_addr = (void *)ouc->uc_mcontext.rip;
			ouc->uc_mcontext.rax = (unsigned long)outer->nr; /* rolled back */
			k23_deliver_program_sigsys(sig, si, ouc);
			m->rax = (unsigned long)K23_RET_NONE; /* the handler decided */
			return;
		}
	} else if (si->si_code == SYS_SECCOMP &&
		   (m->rip < k23_rt.text_start || m->rip > k23_rt.text_end)) {
		/* The program's filter took precedence over k23's for one of
		 * the program's calls: not performed, but asked for. */
		struct k23_call c = { .nr = si->u.sigsys.syscall, .ret = K23_RET_NONE,
				      .via = K23_VIA_SECCOMP, .uc = uc };

		read_args(&c, m);
		k23_report(&c);
	}
	k23_deliver_program_sigsys(sig, si, uc);
}

/* The end of a trapped call: dispatch it, write the result to the frame. */
static void finish(struct k23_call *c)
{
	struct sigcontext *m = &((struct k23_ucontext *)c->uc)->uc_mcontext;

	k23_dispatch(c);
	if (c->ret == K23_RET_NONE)
		return; /* the program's own SIGSYS handler set the registers */
	if (k23_rt.lazy && k23_rt.patch == K23_PATCH_STUB && !k23_needs_frame(c))
		k23_lazy_patch(m->rip, c->nr);
	m->rax = (unsigned long)c->ret;
	/* What the syscall instruction leaves in rcx and r11. */
	m->rcx = m->rip;
	m->r11 = m->eflags;
}

/* A trapped call that may sleep runs with the program's mask, so program
 * handlers may run meanwhile, and their own trapped calls put SIGSYS
 * frames at the top of the signal stack again (they run on the program's
 * stacks, onstack.c): so the call leaves the signal stack first, with a
 * copy of its frame, for a level of the private stack (tarea_layout.h).
 * So does a SIGSYS that runs the program's own handler (foreign): a
 * SIGSYS that comes while that handler is in a patched call (on the
 * private stack) gets its frame at the top of the signal stack too. */
struct moved {
	struct k23_call c;
	struct k23_siginfo si;	/* foreign: the signal's */
	int foreign;
	struct k23_area *a;
	unsigned long top;	/* of the level it claimed */
};

static unsigned long moved_body(void *arg)
{
	struct moved *mv = arg;

	if (mv->foreign)
		foreign_sigsys(SIGSYS, &mv->si, mv->c.uc);
	else
		finish(&mv->c);
	/* SIGSYS held too until the rt_sigreturn: a foreign one that came
	 * after the release would claim this level and copy its frame over
	 * the one the rt_sigreturn is about to restore. */
	k23_sigsys_block();
	mv->a->entry_sp = mv->top; /* signals are held again: release the level */
	return (unsigned long)mv->c.uc; /* rt_sigreturn's rsp */
}

/* Runs the rest of the handler on a level of the private stack; si: a
 * foreign SIGSYS's, or NULL for the trapped call c. Returns only when no
 * level is left (the caller goes on where it is). */
static int move(struct k23_call *c, const struct k23_siginfo *si, struct k23_area *a)
{
	const struct k23_ucontext *uc = c->uc;
	const uint32_t *sw = (const uint32_t *)((const char *)uc->uc_mcontext.fpstate + 464);
	unsigned long top = a->entry_sp, fsz = 0, fp;
	struct k23_ucontext *nuc;
	struct moved *mv;

	if (top - K23_TA_LEVEL < a->stack_lo || top > a->stack_top)
		return -1; /* no level left: on the signal stack, as it is */
	/* Signals are held: claimed without a race. */
	a->entry_sp = top - K23_TA_LEVEL;
	/* For onstack.c: the program's stack pointer (a trapped call's is its
	 * frame's; a foreign SIGSYS may have come inside k23, on a level). */
	*(unsigned long *)(top - 8) = si ? k23_area_program_sp(a, (struct k23_ucontext *)uc)
					 : uc->uc_mcontext.rsp;
	if (uc->uc_mcontext.fpstate)
		fsz = sw[0] == 0x46505853U /* FP_XSTATE_MAGIC1 */ ? sw[1] : 512;
	fp = (top - 64 - fsz) & ~63UL;
	nuc = (struct k23_ucontext *)((fp - sizeof(*nuc)) & ~15UL);
	mv = (struct moved *)(((unsigned long)nuc - sizeof(*mv)) & ~15UL);
	k23_memcpy(nuc, uc, sizeof(*nuc));
	if (fsz) {
		k23_memcpy((void *)fp, uc->uc_mcontext.fpstate, fsz);
		nuc->uc_mcontext.fpstate = (void *)fp;
	}
	mv->c = *c;
	mv->c.uc = nuc;
	mv->foreign = si != 0;
	if (si)
		k23_memcpy(&mv->si, si, sizeof(*si));
	mv->a = a;
	mv->top = top;
	k23_run_moved(((unsigned long)mv - 64) & ~15UL, moved_body, mv);
}

void k23_sigsys_handler(int sig, struct k23_siginfo *si, struct k23_ucontext *uc)
{
	struct sigcontext *m = &uc->uc_mcontext;
	struct k23_call c;
	struct k23_area *a;

	c.via = trap_kind(si);
	if (!c.via) {
		struct k23_sigctx_note n;

		c.uc = uc;
		a = k23_area_of(uc);
		/* Inside a patched call's entry: the context at its stub, the
		 * level released, before a level is claimed below. */
		if (a)
			k23_sigctx_settle(a, uc, &n);
		/* Moved only from the top of the signal stack: one that came
		 * inside k23's handler has live frames above it there. */
		if (!a || k23_area_on_sigstack(a, uc->uc_mcontext.rsp) ||
		    move(&c, si, a))
			foreign_sigsys(sig, si, uc);
		return;
	}
	/* The program's own filters judge the calls k23 makes for it here
	 * and may trap one (RET_TRAP): SIGSYS must be deliverable. */
	if (__atomic_load_n(&k23_program_filters, __ATOMIC_RELAXED))
		k23_sigsys_unblock();
	if (c.via == K23_VIA_SECCOMP && ((k23_rt.catch_all & K23_CATCH_SUD) || k23_ptrace_traced()))
		k23_arm_thread(); /* the backstop caught a thread SUD missed: arm it */
	if (k23_is_foreign(si)) {
		k23_foreign_call(si, uc, c.via); /* never dispatched as x86-64 */
		return;
	}
	c.nr = si->u.sigsys.syscall;
	read_args(&c, m);
	c.uc = uc;
	c.ret = 0;
	c.policy = 0;
	c.mark = 0;
	c.t_real = c.t_mono = c.delay_exit_us = 0;
	c.fdpath = 0;
	a = k23_area_of(uc);

	/* -e inject= on rt_sigreturn: the frame is not restored, the call
	 * returns the injected result like any other (as under strace). */
	if (c.nr == __NR_rt_sigreturn && k23_rt.opts &&
	    k23_topts_bit(k23_rt.opts->inject_any, __NR_rt_sigreturn) && k23_inject_enter(&c) == 1) {
		m->rax = (unsigned long)c.ret;
		return;
	}
	if (c.nr == __NR_rt_sigreturn) {
		/* Leave this frame into the stub that re-issues rt_sigreturn from
		 * exempt text with the program's rsp (its own signal frame).
		 * What it "returns" is the rax that frame restores (strace shows
		 * the same); a bad frame faults here as it would in the kernel. */
		c.ret = (long)((const struct k23_ucontext *)m->rsp)->uc_mcontext.rax;
		k23_ptrace_enter(&c); /* its exit is the kernel's own stop (ptrace_tracer.c) */
		k23_report(&c);
		k23_altstack_sigreturn(a, (struct k23_ucontext *)m->rsp);
		k23_sigctx_sigreturn((struct k23_ucontext *)m->rsp); /* after: it judges by the program's rsp */
		m->rip = (unsigned long)k23_restore_prog_rt;
		m->rax = __NR_rt_sigreturn;
		return;
	}
	if (k23_prog_sud_intercept(&c))
		return; /* the program's handler set the registers */
	if (!a || k23_never_sleeps(c.nr) || move(&c, 0, a))
		finish(&c); /* move does not return when it moves */
}
