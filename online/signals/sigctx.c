/* sigctx.c - a program handler that interrupts a call in k23 sees the program's context at the call's site.
 *
 * A signal that arrives while k23 makes a call for the program (a trapped
 * call that sleeps, with the program's mask; a patched call, which holds
 * no signals) interrupts k23's own code: the kernel's frame holds k23's
 * rip, rsp and registers. Profilers, unwinders and runtimes read that
 * frame (the rip's function, a backtrace through it, Go's preemption
 * check). Every program handler is installed as k23's entry (onstack.c),
 * which calls k23_sigctx_enter on the frame the handler will get, to show
 * it the program's context instead:
 *
 *   trapped   k23_call_raw_masked (call_raw.S), between setting the
 *             program's mask and holding signals again, %r12 = the call,
 *             whose uc is the SIGSYS frame: the program's registers, rip
 *             after its syscall; its vector state too
 *   patched,  in patch_entry.S: k23_sigctx_settle already moved the context
 *   entry     to a point in the stub with the program's registers
 *             (sigctx_patched.c); only rip is shown as the site's (with
 *             --patch=page0 it is the program's context outright)
 *   patched,  in C: the frame patch_entry.S saved on the call's level holds
 *   in C      the program's registers; rax is the kernel's when k23_call_raw's
 *             syscall for this call was interrupted
 *
 * rip is after the site's syscall, or at it when the kernel restarts the
 * call (SA_RESTART; it moved rip back by the instruction's 2 bytes) or the
 * call is not made yet, as natively; rax is what the kernel left (the
 * result, -EINTR, or the call number to restart with). The entry then
 * jumps to the handler with rsp at that frame, as the kernel would, so the
 * handler returns through the program's restorer and unwinds through the
 * signal frame. That restorer's rt_sigreturn traps (sigsys.c): if the
 * handler left rip and rsp as shown, k23's context goes back into the
 * frame, so the call completes or restarts inside k23, and registers the
 * handler changed are carried over to the program's (rcx and r11 are what
 * the syscall instruction leaves, as for the trapped path). A handler that
 * moves rip or rsp (a context switch) sends the program there directly:
 * k23's call is abandoned, as by a longjmp; in patched C code outside the
 * system call itself k23 may be anywhere, so there the call is finished
 * first and the program goes on after it (docs/differences.md).
 */
#include <asm/unistd.h>
#include <linux/signal.h>
#include "k23/tool.h"
#include "online/core/rt.h"
#include "cold.h"
#include "online/core/rtlib.h"
#include "online/signals/sigctx.h"
#include "online/arch/x86_64/patch_layout.h"
#include "online/arch/x86_64/call_layout.h"

enum { NONE, TRAPPED, RESUME, PATCHED_CALL, PATCHED_C };

#define SYSCALL_LEN 2


/* rip at the syscall instruction at, or after it: 1 after, 0 at, -1 neither. */
static int after(unsigned long rip, unsigned long at)
{
	if (rip == at + SYSCALL_LEN)
		return 1;
	return rip == at ? 0 : -1;
}

/* Where the call's result is in k23's context, for a handler's change
 * of rax to reach it: nowhere (not made, or k23 keeps it elsewhere), rax
 * (the syscall just returned, or is being restarted with rax the number),
 * r14 (k23_call_raw_masked after its call). */
enum { RAX_NONE, RAX_RAX, RAX_R14 };

struct shown {
	int kind, rax_in;
	struct sigcontext *prog;	/* trapped: the SIGSYS frame's registers */
	struct k23_patch_frame *f;	/* patched: the entry's frame */
	unsigned long top;		/* and its level's top */
};

#define IN(rip, from, to) ((rip) >= (unsigned long)(from) && (rip) < (to))

static int show_trapped(struct k23_ucontext *uc, struct shown *s)
{
	struct sigcontext *m = &uc->uc_mcontext;
	int a = after(m->rip, (unsigned long)k23_call_raw_resume - SYSCALL_LEN);
	const struct k23_call *c = (const struct k23_call *)m->r12;
	unsigned long rax = m->rax;
	struct k23_ucontext *puc;

	s->rax_in = RAX_RAX;
	if (a < 0)
		a = after(m->rip, (unsigned long)k23_call_raw_masked_resume - SYSCALL_LEN);
	if (a < 0 && IN(m->rip, k23_call_masked_open, (unsigned long)k23_call_raw_masked_resume - SYSCALL_LEN)) {
		a = 0; /* the program's mask is set, the call not made yet */
		s->rax_in = RAX_NONE;
		rax = c ? (unsigned long)c->nr : 0;
	} else if (a < 0 && IN(m->rip, k23_call_masked_kept, (unsigned long)k23_call_masked_closed)) {
		a = 1; /* made, not held yet: the result is in r14 */
		s->rax_in = RAX_R14;
		rax = m->r14;
	}
	if (a < 0 || !c)
		return 0;
	if (!(puc = c->uc))
		return 0; /* a patched call: show_patched */
	m->rax = rax;
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
	/* The vector state too: the SIGSYS handler runs with the kernel's
	 * initial one, the program's is in the SIGSYS frame. The kernel's
	 * rt_sigreturn restores it from wherever fpstate points, so the
	 * handler's changes land there, and k23's own (never used) is left. */
	if (m->fpstate && s->prog->fpstate)
		m->fpstate = s->prog->fpstate;
	return TRAPPED;
}

/* A patched call in C: the registers from the entry's frame. */
static int show_patched(struct k23_area *a, struct k23_ucontext *uc, struct shown *s)
{
	struct sigcontext *m = &uc->uc_mcontext;
	struct k23_patch_frame *f = k23_sigctx_patched(a, uc, &s->top);
	const struct k23_call *c;
	unsigned long site, sp;
	int at, made, incall;

	if (!f)
		return 0;
	c = (const struct k23_call *)f->call;
	site = k23_patched_site(f, s->top, &sp, &made);
	at = after(m->rip, (unsigned long)k23_call_raw_resume - SYSCALL_LEN);
	incall = made && c && at >= 0 && m->r12 == f->call;
	s->rax_in = incall ? RAX_RAX : RAX_NONE;
	if (incall) {
		made = at; /* rax: the kernel's */
	} else {
		made = made && c && c->ret != K23_RET_NONE;
		m->rax = made ? (unsigned long)c->ret : f->rax;
	}
	s->f = f;
	m->rbp = f->rbp, m->r12 = f->r12, m->r13 = f->r13, m->r14 = f->r14, m->r15 = f->r15;
	m->rbx = f->rbx, m->r9 = f->r9, m->r8 = f->r8, m->r10 = f->r10;
	m->rdx = f->rdx, m->rsi = f->rsi, m->rdi = f->rdi;
	m->rsp = sp;
	m->eflags = f->rflags;
	m->rip = site + (made ? SYSCALL_LEN : 0);
	m->rcx = site + SYSCALL_LEN;
	m->r11 = f->rflags;
	return incall ? PATCHED_CALL : PATCHED_C;
}

/* What k23_sigctx_enter replaced, until the frame's rt_sigreturn: a few
 * records shared by all threads, each claimed by the frame's address (no
 * two live frames share one). A handler that never returns (siglongjmp)
 * leaves its record taken until a frame at the same address claims it
 * again; with none free a handler sees k23's context, as before. */
struct record {
	unsigned long owner;		/* the frame's ucontext, 0 when free */
	int kind, rax_in;
	struct sigcontext *prog;	/* trapped: the SIGSYS frame's registers */
	struct k23_patch_frame *f;	/* patched: the entry's frame */
	unsigned long top;		/* and its level's top */
	struct k23_area *a;
	unsigned long resume;		/* settled: the point in the stub */
	unsigned long shown_rip, shown_rsp;
	struct sigcontext k23;		/* the interrupted context */
};

#define NREC 64
static K23_COLD struct record recs[NREC];

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
static __attribute__((noinline)) void show(struct k23_area *a, const struct k23_sigctx_note *n,
					   struct k23_ucontext *uc)
{
	struct sigcontext *m = &uc->uc_mcontext, k23 = *m;
	struct shown s = { 0 };
	struct record *r;

	if (n && n->resume) {
		s.kind = RESUME;
		m->rip = n->shown;
	} else {
		s.kind = show_trapped(uc, &s);
		if (!s.kind)
			s.kind = show_patched(a, uc, &s);
	}
	if (!s.kind)
		return;
	if (!(r = claim((unsigned long)uc))) {
		*m = k23; /* nowhere to keep k23's context: shown as it is */
		return;
	}
	r->kind = s.kind;
	r->rax_in = s.rax_in;
	r->prog = s.prog;
	r->f = s.f;
	r->top = s.top;
	r->a = a;
	r->resume = n ? n->resume : 0;
	r->shown_rip = m->rip;
	r->shown_rsp = m->rsp;
	r->k23 = k23;
	m->reserved1[0] = MARK_KEY(uc);
	m->reserved1[1] = (unsigned long)(r - recs);
}

void k23_sigctx_enter(struct k23_area *a, const struct k23_sigctx_note *n, struct k23_ucontext *uc)
{
	struct sigcontext *m = &uc->uc_mcontext;
	struct k23_sigctx_note in_stub;

	m->reserved1[0] = 0;
	if ((n && n->resume) || (m->rip >= k23_rt.text_start && m->rip < k23_rt.text_end))
		show(a, n, uc);
	else if (k23_sigctx_in_stub(m->rip, &in_stub))
		show(a, &in_stub, uc);
	/* else the program's own code: as it is */
}

/* The registers a handler may change and the program keeps (not rip,
 * rsp, and rcx and r11, which the syscall instruction sets anyway). */
#define CARRY(to, f) do { if (m->f != (to)->f) (to)->f = m->f; } while (0)

static void leave(struct k23_ucontext *uc, const struct record *r)
{
	struct sigcontext *m = &uc->uc_mcontext;
	unsigned long rax = m->rax;
	struct k23_patch_frame *f = r->f;

	if (r->kind == RESUME) {
		/* The context is the program's; only rip is the stub's. */
		if (m->rip == r->shown_rip)
			m->rip = r->resume;
		return;
	}
	if (m->rip != r->shown_rip || m->rsp != r->shown_rsp) {
		if (r->kind == TRAPPED)
			return; /* the handler sent the program elsewhere */
		if (r->kind == PATCHED_CALL) {
			/* So did this one, from the system call itself: the
			 * call's level is free again if it is the innermost. */
			f->kind = 0;
			if (r->a && r->a->entry_sp == r->top - K23_TA_LEVEL)
				r->a->entry_sp = r->top;
			return;
		}
		/* PATCHED_C: k23 is somewhere in its own work on the call
		 * (a tool's output, a lock...): it finishes, the program goes
		 * on after the call (docs/differences.md). */
	}
	if (r->kind == TRAPPED) {
		/* The SIGSYS frame's return restores the program's registers. */
		CARRY(r->prog, r8); CARRY(r->prog, r9); CARRY(r->prog, r10);
		CARRY(r->prog, r12); CARRY(r->prog, r13); CARRY(r->prog, r14);
		CARRY(r->prog, r15); CARRY(r->prog, rdi); CARRY(r->prog, rsi);
		CARRY(r->prog, rdx); CARRY(r->prog, rbp); CARRY(r->prog, rbx);
		CARRY(r->prog, eflags);
	} else {
		/* patch_entry.S restores them all from its frame. */
		CARRY(f, r8); CARRY(f, r9); CARRY(f, r10);
		CARRY(f, r12); CARRY(f, r13); CARRY(f, r14);
		CARRY(f, r15); CARRY(f, rdi); CARRY(f, rsi);
		CARRY(f, rdx); CARRY(f, rbp); CARRY(f, rbx);
		if (m->eflags != f->rflags)
			f->rflags = m->eflags;
	}
	*m = r->k23;
	/* The call's result, or the number to restart with. */
	if (r->rax_in == RAX_RAX)
		m->rax = rax;
	else if (r->rax_in == RAX_R14)
		m->r14 = rax;
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
