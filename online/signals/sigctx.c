/* sigctx.c - a program handler that interrupts a call in k23 sees the program's context at the call's site.
 *
 * A signal that arrives while k23 makes a call for the program (a trapped
 * call that sleeps, with the program's mask; a patched call, which holds
 * no signals) interrupts k23's own `syscall` instruction: the kernel's
 * frame holds k23's rip, rsp and registers. Profilers, unwinders and
 * runtimes read that frame (the rip's function, a backtrace through it,
 * Go's preemption check). Every program handler is installed as k23's
 * entry (onstack.c), which calls k23_sigctx_enter on the frame the handler
 * will get, to show it the program's context instead:
 *
 *   trapped   k23_call_raw's syscall, %r12 = the call, whose uc is the
 *             SIGSYS frame: the program's registers, rip after its syscall
 *
 * rip is after the site's syscall, or at it when the kernel restarts the
 * call (SA_RESTART; it moved rip back by the instruction's 2 bytes), as
 * natively; rax is what the kernel left (the result, -EINTR, or the call
 * number to restart with). The entry then jumps to the handler with rsp
 * at that frame, as the kernel would, so the handler returns through the
 * program's restorer and unwinds through the signal frame. That
 * restorer's rt_sigreturn traps (sigsys.c): if the handler left rip
 * and rsp as shown, k23's context goes back into the frame, so the call
 * completes or restarts inside k23, and registers the handler changed are
 * carried over to the program's. A handler that moves rip or rsp (a
 * context switch) sends the program there directly: k23's call is
 * abandoned, as by a longjmp.
 *
 * Not covered yet: patched calls (the handler sees k23's registers there;
 * stubs now pass their return point in registers, stub.c, so the program's
 * site and registers must come from there), and a signal landing in k23
 * other than at k23_call_raw's syscall.
 */
#include <asm/unistd.h>
#include <linux/signal.h>
#include "k23/tool.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/signals/sigctx.h"
#include "online/arch/x86_64/call_layout.h"

enum { NONE, TRAPPED };

#define SYSCALL_LEN 2


/* rip at the syscall instruction at, or after it: 1 after, 0 at, -1 neither. */
static int after(unsigned long rip, unsigned long at)
{
	if (rip == at + SYSCALL_LEN)
		return 1;
	return rip == at ? 0 : -1;
}

struct shown {
	int kind;
	struct sigcontext *prog;	/* trapped: the SIGSYS frame's registers */
};

static int show_trapped(struct k23_ucontext *uc, struct shown *s)
{
	struct sigcontext *m = &uc->uc_mcontext;
	int a = after(m->rip, (unsigned long)k23_call_raw_resume - SYSCALL_LEN);
	const struct k23_call *c = (const struct k23_call *)m->r12;
	struct k23_ucontext *puc;

	if (a < 0 || !c)
		return 0;
	if (!(puc = c->uc))
		return 0; /* a patched call: not shown yet (see above) */
	s->prog = &puc->uc_mcontext;
	m->r8 = s->prog->r8, m->r9 = s->prog->r9, m->r10 = s->prog->r10;
	m->r12 = s->prog->r12, m->r13 = s->prog->r13, m->r14 = s->prog->r14, m->r15 = s->prog->r15;
	m->rdi = s->prog->rdi, m->rsi = s->prog->rsi, m->rdx = s->prog->rdx;
	m->rbp = s->prog->rbp, m->rbx = s->prog->rbx, m->rsp = s->prog->rsp;
	m->eflags = s->prog->eflags;
	/* The trap's frame has rip after the site's syscall. */
	m->rip = s->prog->rip - (a ? 0 : SYSCALL_LEN);
	m->rcx = s->prog->rip;
	m->r11 = s->prog->eflags;
	return TRAPPED;
}

/* What k23_sigctx_enter replaced, until the frame's rt_sigreturn: a few
 * records shared by all threads, each claimed by the frame's address (no
 * two live frames share one). A handler that never returns (siglongjmp)
 * leaves its record taken until a frame at the same address claims it
 * again; with none free a handler sees k23's context, as before. */
struct record {
	unsigned long owner;		/* the frame's ucontext, 0 when free */
	int kind;
	struct sigcontext *prog;	/* trapped: the SIGSYS frame's registers */
	unsigned long shown_rip, shown_rsp;
	struct sigcontext k23;		/* the interrupted context */
};

#define NREC 64
static struct record recs[NREC];

/* The frame's mark: reserved1 of its sigcontext, which the kernel neither
 * reads nor (on delivery) writes, so it is cleared on every delivery. */
#define MARK 0x6b3233736967ULL	/* "k23sig" */
#define MARK_KEY(uc) (MARK ^ (unsigned long)(uc))

static struct record *claim(unsigned long uc)
{
	for (unsigned i = 0; i < NREC; i++)
		if (__atomic_load_n(&recs[i].owner, __ATOMIC_ACQUIRE) == uc)
			return &recs[i];
	for (unsigned i = 0; i < NREC; i++) {
		unsigned long free = 0;

		if (__atomic_compare_exchange_n(&recs[i].owner, &free, uc, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			return &recs[i];
	}
	return 0;
}

/* Out of line: a handler on a small alternate stack pays for these
 * locals only when it interrupted k23. */
static __attribute__((noinline)) void show(struct k23_ucontext *uc)
{
	struct sigcontext *m = &uc->uc_mcontext, k23 = *m;
	struct shown s = { 0 };
	struct record *r;

	s.kind = show_trapped(uc, &s);
	if (!s.kind)
		return;
	if (!(r = claim((unsigned long)uc))) {
		*m = k23; /* nowhere to keep k23's context: shown as it is */
		return;
	}
	r->kind = s.kind;
	r->prog = s.prog;
	r->shown_rip = m->rip;
	r->shown_rsp = m->rsp;
	r->k23 = k23;
	m->reserved1[0] = MARK_KEY(uc);
	m->reserved1[1] = (unsigned long)(r - recs);
}

void k23_sigctx_enter(struct k23_ucontext *uc)
{
	struct sigcontext *m = &uc->uc_mcontext;

	m->reserved1[0] = 0;
	if (m->rip >= k23_rt.text_start && m->rip < k23_rt.text_end)
		show(uc); /* else the program's own code: as it is */
}

/* The registers a handler may change and the program keeps (not rip,
 * rsp, and rcx and r11, which the syscall instruction sets anyway). */
#define CARRY(to, f) do { if (m->f != (to)->f) (to)->f = m->f; } while (0)

static void leave(struct k23_ucontext *uc, const struct record *r)
{
	struct sigcontext *m = &uc->uc_mcontext;
	unsigned long rax = m->rax;

	if (m->rip != r->shown_rip || m->rsp != r->shown_rsp)
		return; /* the handler sent the program elsewhere */
	if (r->kind == TRAPPED) {
		/* The SIGSYS frame's return restores the program's registers. */
		CARRY(r->prog, r8); CARRY(r->prog, r9); CARRY(r->prog, r10);
		CARRY(r->prog, r12); CARRY(r->prog, r13); CARRY(r->prog, r14);
		CARRY(r->prog, r15); CARRY(r->prog, rdi); CARRY(r->prog, rsi);
		CARRY(r->prog, rdx); CARRY(r->prog, rbp); CARRY(r->prog, rbx);
		CARRY(r->prog, eflags);
	}
	if (r->kind == TRAPPED) {
		*m = r->k23;
		m->rax = rax; /* the call's result, or the number to restart with */
		return;
	}
}

void k23_sigctx_sigreturn(struct k23_ucontext *fr)
{
	struct sigcontext *m = &fr->uc_mcontext;
	unsigned long i = m->reserved1[1];
	struct record *r;

	if (m->reserved1[0] != MARK_KEY(fr) || i >= NREC)
		return;
	r = &recs[i];
	m->reserved1[0] = 0;
	if (__atomic_load_n(&r->owner, __ATOMIC_ACQUIRE) != (unsigned long)fr)
		return;
	leave(fr, r);
	__atomic_store_n(&r->owner, 0, __ATOMIC_RELEASE);
}
