/* sigctx_patched.c - where a signal that interrupts a patched call finds the program's context.
 *
 * A patched site jumps to its stub, the stub to k23_stub_entry
 * (patch_entry.S), which either makes the call at once (the fast path) or
 * saves a frame and calls C. A signal can arrive at any instruction of
 * that: the kernel's frame then holds k23's rip and rsp and, depending on
 * the instruction, the program's registers, or some of them, the rest
 * saved on the call's level of the private stack. Two cases:
 *
 *   In patch_entry.S (any instruction of the entry, and k23_stub_trap):
 *   k23_sigctx_settle moves the interrupted context, before anything else
 *   looks at it, to an equivalent point in the stub, where every register
 *   is the program's and rsp is the program's own, and releases the level:
 *     - before the call is made (also at the fast path's `syscall` when
 *       the kernel restarts it): the stub's `lea R(%rip),%rcx`, so the
 *       whole entry runs again, with whatever the handler left in the
 *       registers (a changed call number or argument counts, as natively);
 *     - after it (the fast path's syscall returned, or C did and the
 *       registers are being restored, or the entry is leaving): the point
 *       the entry was about to jump to, R (the call done, rax its result)
 *       or the stub's fallback (the catch-all takes it).
 *   Which instruction holds what is named by labels in patch_entry.S; a
 *   change there must change the table below.
 *
 *   In C (k23_patched_call and what it calls, on the call's level): the
 *   context stays k23's, and k23_sigctx_patched finds the frame the entry
 *   saved at the level's top, holding every register the program had.
 *
 * Either way sigctx.c shows the handler the site: rip after its syscall
 * (the call made) or at it (not yet, or being restarted).
 */
#include "k23/tool.h"
#include "online/core/rt.h"
#include "online/signals/sigctx.h"
#include "online/arch/x86_64/patch_layout.h"
#include "online/core/rtlib.h"
#include "online/patch/stub.h"
#include "online/dispatch/fastpath.h"

extern const char k23_stub_claiming[], k23_stub_owned[], k23_stub_claimed[], k23_stub_flagged[],
	k23_stub_fast_call[], k23_stub_fast_done[], k23_stub_counting[], k23_stub_count_call[],
	k23_stub_count_done[], k23_stub_count_added[], k23_stub_counted[], k23_stub_slow[],
	k23_stub_saved[],
	k23_stub_restore[], k23_stub_refuse[], k23_stub_refused[], k23_stub_exit[],
	k23_stub_release[], k23_stub_leaving[], k23_stub_left[], k23_stub_end[],
	k23_stub_trap_jump[], k23_stub_trap_end[];

#define U64(p) (*(const unsigned long *)(p))

#define REL32(p) ((long)*(const int32_t *)(p))

/* The site of a stub, from a point the entry returns to: R (`jmp R+6`,
 * then `lea next(%rip),%rcx` with next the site's following instruction), a
 * planned fallback (`syscall; lea next(%rip),%rcx`) or a lazy one (`jmp
 * site`). *after: 1 at R (the call done), 0 at a fallback. */
unsigned long k23_stub_site(unsigned long at, int *after)
{
	const unsigned char *p = (const unsigned char *)at;

	*after = p[0] == 0xeb;
	if (p[0] == 0xeb)
		return at + K23_STUB_NEXT_END + REL32(at + K23_STUB_NEXT_REL) - 2;
	if (p[0] == 0x0f && p[1] == 0x05)
		return at + 9 + REL32(at + 5) - 2;	/* the lea after the syscall */
	return at + 5 + REL32(at + 1); /* e9 rel32 */
}

/* How each stretch of k23_stub_entry holds the program's state. */
enum where { REG, R11, T8, T16, T24, FRAME, LIVE_RCX };

struct region {
	const char *from, *to;	/* [from, to) */
	char prog_sp;		/* REG: rsp itself; R11; T8: at the level's top word */
	char ret;		/* the stub's return point: LIVE_RCX, T16, FRAME */
	char flags;		/* REG: live; T24; FRAME; R11 (the syscall's copy) */
	char regs;		/* REG: live; FRAME: all from the saved frame */
	char claimed;		/* the level is this call's (release it) */
	char done;		/* 1: go on at the return point; 0: the entry again */
	char uncounted;		/* k23_stub_counting made the call, the number at T-32:
				   CALLS: nothing added yet; ERRORS: all but errors[] */
};
enum { COUNTED, CALLS, ERRORS };

#define L(x) ((const char *)(x))
static const struct region regions[] = {
	{ L(k23_stub_entry), k23_stub_claiming, REG, LIVE_RCX, REG, REG, 0, 0, COUNTED },
	{ k23_stub_claiming, k23_stub_owned, R11, LIVE_RCX, REG, REG, 0, 0, COUNTED },
	{ k23_stub_owned, k23_stub_claimed, R11, LIVE_RCX, REG, REG, 1, 0, COUNTED },
	{ k23_stub_claimed, k23_stub_flagged, T8, LIVE_RCX, REG, REG, 1, 0, COUNTED },
	{ k23_stub_flagged, k23_stub_fast_call, T8, T16, T24, REG, 1, 0, COUNTED },
	{ k23_stub_fast_call, k23_stub_fast_done, T8, T16, REG, REG, 1, 0, COUNTED },	/* at the syscall: restart */
	{ k23_stub_fast_done, k23_stub_counting, T8, T16, REG, REG, 1, 1, COUNTED },
	{ k23_stub_counting, k23_stub_count_call, T8, T16, T24, REG, 1, 0, COUNTED },
	{ k23_stub_count_call, k23_stub_count_done, T8, T16, REG, REG, 1, 0, COUNTED },	/* restart */
	{ k23_stub_count_done, k23_stub_count_added, T8, T16, R11, REG, 1, 1, CALLS },
	{ k23_stub_count_added, k23_stub_counted, T8, T16, R11, REG, 1, 1, ERRORS },
	{ k23_stub_counted, k23_stub_slow, T8, T16, R11, REG, 1, 1, COUNTED },
	{ k23_stub_slow, k23_stub_saved, T8, T16, T24, REG, 1, 0, COUNTED },
	{ k23_stub_saved, k23_stub_restore, T8, FRAME, FRAME, FRAME, 1, 0, COUNTED },
	{ k23_stub_restore, k23_stub_refuse, T8, FRAME, FRAME, FRAME, 1, 1, COUNTED },
	{ k23_stub_refuse, k23_stub_refused, T8, T16, T24, REG, 1, 0, COUNTED },
	{ k23_stub_refused, k23_stub_exit, T8, T16, REG, REG, 1, 0, COUNTED },
	{ k23_stub_exit, k23_stub_leaving, T8, LIVE_RCX, REG, REG, 1, 1, COUNTED },
	{ k23_stub_leaving, k23_stub_left, T8, LIVE_RCX, REG, REG, 0, 1, COUNTED },	/* rsp is the top */
	{ k23_stub_left, k23_stub_end, REG, LIVE_RCX, REG, REG, 0, 1, COUNTED },
};
#define NREGIONS (sizeof(regions) / sizeof(regions[0]))

/* The frame patch_entry.S saves below the level's top word. */
static struct k23_patch_frame *frame_at(unsigned long top)
{
	return (struct k23_patch_frame *)(top - 8 - sizeof(struct k23_patch_frame));
}

static void from_frame(struct sigcontext *m, const struct k23_patch_frame *f)
{
	m->rbp = f->rbp, m->r12 = f->r12, m->r13 = f->r13, m->r14 = f->r14, m->r15 = f->r15;
	m->rbx = f->rbx, m->r11 = f->r11, m->r9 = f->r9, m->r8 = f->r8, m->r10 = f->r10;
	m->rdx = f->rdx, m->rsi = f->rsi, m->rdi = f->rdi, m->rax = f->rax;
	m->eflags = f->rflags;
}

/* k23_stub_trap: the program owns %gs; rcx is R, or (at the jump) the
 * fallback, r11 its distance from R. */
static void settle_trap(struct sigcontext *m, struct k23_sigctx_note *n)
{
	unsigned long ret = m->rcx;

	if (m->rip == (unsigned long)k23_stub_trap_jump)
		ret = m->rcx - m->r11;
	n->resume = ret - K23_STUB_LEA_TO_R;
	n->shown = k23_stub_site(ret, &n->after);
	n->after = 0;
}

/* --- the page-0 strategy (--patch=page0) ---
 *
 * The site's `call *%rax` pushed its next address at E (rsp after the
 * call) and k23_page0_entry runs on the program's stack below it, so the
 * program's state at the site is rip [E] - 2 or [E], rsp E + 8: a signal
 * anywhere on that way is settled into the program's context directly,
 * and needs nothing of k23 to go on (the site's `call` runs again, or
 * the code after it does). */
extern const char k23_page0_below[], k23_page0_flagged[], k23_page0_fast_call[],
	k23_page0_fast_done[], k23_page0_fast_left[], k23_page0_slow[], k23_page0_saving[],
	k23_page0_saved[], k23_page0_owned[], k23_page0_returned[], k23_page0_released[],
	k23_page0_nolevel[], k23_page0_verdict[], k23_page0_trap_restore[],
	k23_page0_trap_restored[], k23_page0_trap_popped[], k23_page0_trap_jump[],
	k23_page0_done_restore[], k23_page0_done_restored[], k23_page0_done_popped[],
	k23_page0_end[];
extern const char k23_page0_gadget_start[], k23_page0_g_pushed[], k23_page0_g_popped[],
	k23_page0_g_done[], k23_page0_g_released[], k23_page0_gadget_end[];
extern const char k23_page0_noret_start[], k23_page0_n_dropped[], k23_page0_noret_end[];
extern unsigned long k23_page0_gadget, k23_page0_noret;

#define P0_E_FROM_FRAME (sizeof(struct k23_patch_frame) - 16 + 128)	/* f to E */

enum p0base { E_RSP, F_RBX, F_RSP };	/* E = rsp + off; the frame at rbx; at rsp */
enum p0flags { FL_LIVE, FL_AT_RSP, FL_AT_RSP136, FL_FRAME };
enum p0state { BACK, ON, VERDICT };	/* the site again; after it; by %eax (0: on) */

struct p0region {
	const char *from, *to;
	char base;
	short off;
	char flags, state, claimed;
};

static const struct p0region p0regions[] = {
	{ L(k23_page0_entry), k23_page0_below, E_RSP, 0, FL_LIVE, BACK, 0 },
	{ k23_page0_below, k23_page0_flagged, E_RSP, 120, FL_LIVE, BACK, 0 },
	{ k23_page0_flagged, k23_page0_fast_call, E_RSP, 128, FL_AT_RSP, BACK, 0 },
	{ k23_page0_fast_call, k23_page0_fast_done, E_RSP, 120, FL_LIVE, BACK, 0 },
	{ k23_page0_fast_done, k23_page0_fast_left, E_RSP, 120, FL_LIVE, ON, 0 },
	{ k23_page0_fast_left, k23_page0_slow, E_RSP, -8, FL_LIVE, ON, 0 },
	{ k23_page0_slow, k23_page0_saving, E_RSP, 128, FL_AT_RSP, BACK, 0 },
	{ k23_page0_saving, k23_page0_saved, E_RSP, 264, FL_AT_RSP136, BACK, 0 },
	{ k23_page0_saved, k23_page0_owned, F_RBX, 0, FL_FRAME, BACK, 0 },
	{ k23_page0_owned, k23_page0_returned, F_RBX, 0, FL_FRAME, BACK, 1 },
	{ k23_page0_returned, k23_page0_released, F_RBX, 0, FL_FRAME, VERDICT, 1 },
	{ k23_page0_released, k23_page0_nolevel, F_RBX, 0, FL_FRAME, VERDICT, 0 },
	{ k23_page0_nolevel, k23_page0_verdict, F_RBX, 0, FL_FRAME, BACK, 0 },
	{ k23_page0_verdict, k23_page0_trap_restore, F_RBX, 0, FL_FRAME, VERDICT, 0 },
	{ k23_page0_trap_restore, k23_page0_trap_restored, F_RSP, 0, FL_FRAME, BACK, 0 },
	{ k23_page0_trap_restored, k23_page0_trap_popped, E_RSP, 128, FL_AT_RSP, BACK, 0 },
	{ k23_page0_trap_popped, k23_page0_trap_jump, E_RSP, 120, FL_LIVE, BACK, 0 },
	{ k23_page0_trap_jump, k23_page0_done_restore, E_RSP, 0, FL_LIVE, BACK, 0 },
	{ k23_page0_done_restore, k23_page0_done_restored, F_RSP, 0, FL_FRAME, ON, 0 },
	{ k23_page0_done_restored, k23_page0_done_popped, E_RSP, 128, FL_AT_RSP, ON, 0 },
	{ k23_page0_done_popped, k23_page0_end, E_RSP, 120, FL_LIVE, ON, 0 },
};
_Static_assert(P0_E_FROM_FRAME == 264, "the page-0 frame's distance to E");

static void program_at(struct sigcontext *m, unsigned long rip, unsigned long rsp, int on)
{
	m->rip = rip;
	m->rsp = rsp;
	m->rcx = on ? rip : rip + 2; /* as the syscall instruction leaves them */
	if (!on)
		m->r11 = m->eflags;
}

/* Page 0 itself: the slide, the trap gadget and its ring of return
 * addresses (page0_gadget.S), the rt_sigreturn gadget. */
static int settle_page0_page(struct k23_area *a, struct sigcontext *m)
{
	unsigned long rip = m->rip, g = k23_page0_gadget, nr = k23_page0_noret;
	unsigned long *ring = (unsigned long *)((char *)a + K23_TA_RING);
	unsigned idx = (unsigned)a->ring_idx & 0xff;

#define G(l) (g + (unsigned long)(l - k23_page0_gadget_start))
#define N(l) (nr + (unsigned long)(l - k23_page0_noret_start))
	if (rip < g) { /* the slide: the return address at rsp */
		program_at(m, U64(m->rsp) - 2, m->rsp + 8, 0);
	} else if (rip < G(k23_page0_g_pushed)) {
		program_at(m, U64(m->rsp) - 2, m->rsp + 8, 0);
	} else if (rip < G(k23_page0_gadget_end)) {
		unsigned long ret = rip < G(k23_page0_g_popped) ? U64(m->rsp) : ring[idx];

		if (rip >= G(k23_page0_g_released)) {
			program_at(m, m->r11, m->rsp, 1);
			return 1;
		}
		a->ring_idx = (a->ring_idx & ~0xffUL) | ((idx - 1) & 0xff); /* its entry is out */
		if (rip < G(k23_page0_g_popped))
			program_at(m, ret - 2, m->rsp + 8, 0);
		else if (rip < G(k23_page0_g_done))
			program_at(m, ret - 2, m->rsp, 0);
		else
			program_at(m, ret, m->rsp, 1);
	} else if (rip >= nr && rip < N(k23_page0_n_dropped)) {
		program_at(m, U64(m->rsp) - 2, m->rsp + 8, 0);
	} else if (rip >= nr && rip < N(k23_page0_noret_end)) {
		program_at(m, U64(m->rsp - 8) - 2, m->rsp, 0);
	} else {
		return 0;
	}
#undef G
#undef N
	return 1;
}

static int settle_page0(struct k23_area *a, struct sigcontext *m)
{
	const struct p0region *r = 0;
	struct k23_patch_frame *f = 0;
	unsigned long e;
	int on;

	if (!k23_page0_gadget)
		return 0;
	if (m->rip < 4096)
		return settle_page0_page(a, m);
	for (unsigned i = 0; i < sizeof(p0regions) / sizeof(p0regions[0]) && !r; i++)
		if (m->rip >= (unsigned long)p0regions[i].from && m->rip < (unsigned long)p0regions[i].to)
			r = &p0regions[i];
	if (!r)
		return 0;
	if (r->base == E_RSP) {
		e = m->rsp + (long)r->off;
	} else {
		f = (struct k23_patch_frame *)(r->base == F_RBX ? m->rbx : m->rsp);
		e = (unsigned long)f + P0_E_FROM_FRAME;
	}
	on = r->state == ON || (r->state == VERDICT && (unsigned)m->rax == 0);
	if (f) {
		from_frame(m, f);
		f->kind = 0; /* left for good */
	} else if (r->flags == FL_AT_RSP) {
		m->eflags = U64(m->rsp);
	} else if (r->flags == FL_AT_RSP136) {
		m->eflags = U64(m->rsp + 136);
	}
	if (r->claimed)
		a->entry_sp += K23_TA_LEVEL;
	program_at(m, U64(e) - (on ? 0 : 2), e + 8, on);
	return 1;
}

int k23_sigctx_settle(struct k23_area *a, struct k23_ucontext *uc, struct k23_sigctx_note *n)
{
	struct sigcontext *m = &uc->uc_mcontext;
	const struct region *r = 0;
	unsigned long top, ret, prog;
	struct k23_patch_frame *f;

	n->resume = 0;
	if (!a)
		return 0;
	if (settle_page0(a, m))
		return 1; /* the program's own addresses: nothing to map back */
	if (m->rip >= (unsigned long)k23_stub_trap && m->rip < (unsigned long)k23_stub_trap_end) {
		settle_trap(m, n);
	} else {
		for (unsigned i = 0; i < NREGIONS && !r; i++)
			if (m->rip >= (unsigned long)regions[i].from && m->rip < (unsigned long)regions[i].to)
				r = &regions[i];
		if (!r)
			return 0;
		/* The level's top: claimed, entry_sp is its bottom; released
		 * (k23_stub_leaving), rsp is back at the top. */
		top = r->claimed ? a->entry_sp + K23_TA_LEVEL : m->rsp;
		f = frame_at(top);
		prog = r->prog_sp == REG ? m->rsp : r->prog_sp == R11 ? m->r11 : U64(top - 8);
		if (r->ret == LIVE_RCX)
			ret = m->rcx;
		else
			ret = r->ret == FRAME ? f->ret : U64(top - 16);
		if (r->regs == FRAME)
			from_frame(m, f);
		else if (r->flags == T24)
			m->eflags = U64(top - 24);
		else if (r->flags == R11)
			m->eflags = m->r11;
		if (r->uncounted)
			k23_fast_count_rest(U64(top - 32), (long)m->rax, r->uncounted == CALLS);
		if (r->regs == FRAME)
			f->kind = 0; /* left for good */
		if (r->claimed)
			a->entry_sp = top;
		m->rsp = prog;
		if (r->done) {
			n->resume = ret;
			n->shown = k23_stub_site(ret, &n->after);
		} else {
			n->resume = ret - K23_STUB_LEA_TO_R;
			n->shown = k23_stub_site(ret, &n->after);
			n->after = 0;
		}
	}
	m->rip = n->resume;
	/* What the syscall instruction leaves in them; the entry never needs
	 * them at the points it goes on from. */
	m->rcx = n->shown + 2;
	if (!n->after)
		m->r11 = m->eflags; /* else the kernel's, or the frame's, which is the same */
	if (n->after)
		n->shown += 2;
	return 1;
}

struct k23_patch_frame *k23_sigctx_patched(struct k23_area *a, const struct k23_ucontext *uc,
					   unsigned long *top)
{
	unsigned long rsp = uc->uc_mcontext.rsp, t, kind;
	struct k23_patch_frame *f;

	if (!a || rsp - a->stack_lo >= a->stack_top - a->stack_lo)
		return 0;
	t = a->stack_top - (a->stack_top - 1 - rsp) / K23_TA_LEVEL * K23_TA_LEVEL;
	f = frame_at(t);
	if (f->kind == K23_ENTRY_STUB) {
		if (f->ret < k23_rt.text_end && f->ret >= k23_rt.text_start)
			return 0;
	} else {
		/* page0: the level's top word is the frame, on the program's
		 * stack; a stub level's is the program's rsp: read with care. */
		f = (struct k23_patch_frame *)U64(t - 8);
		if (!k23_page0_gadget || k23_copy_from(&kind, &f->kind, sizeof(kind)) ||
		    kind != K23_ENTRY_PAGE0)
			return 0;
	}
	*top = t;
	return f;
}

unsigned long k23_patched_site(const struct k23_patch_frame *f, unsigned long top,
			       unsigned long *prog_sp, int *can_make)
{
	unsigned long e = (unsigned long)f + P0_E_FROM_FRAME;

	if (f->kind == K23_ENTRY_PAGE0) {
		*prog_sp = e + 8;
		*can_make = !!f->call; /* 0: refused, the gadget's trap makes it */
		return U64(e) - 2;
	}
	*prog_sp = U64(top - 8);
	return k23_stub_site(f->ret, can_make); /* at its fallback: the catch-all makes it */
}

/* A stub's instructions are the window's, relocated, around the jump to
 * the entry (stub.c): the same lengths, so an address in the stub has its
 * twin in the window. Signals that land in a stub (its copy of the mov
 * before the syscall, of the instructions after it, its fallback) are
 * shown there; the stub is read by a copy, never in place. */
int k23_sigctx_in_stub(unsigned long rip, struct k23_sigctx_note *n)
{
	uint8_t b[K23_STUB_SLOT];
	unsigned long slot, lea = 0, ret, site, fb, end;
	unsigned long entry = (unsigned long)k23_stub_entry;
	unsigned i;

	if (!k23_stub_find(rip, &slot) || k23_copy_from(b, (void *)slot, sizeof(b)))
		return 0;
	for (i = 0; i + K23_STUB_LEA_TO_R + K23_STUB_META_END + 10 <= sizeof(b) && !lea; i++)
		if (b[i] == 0x48 && b[i + 1] == 0x8d && b[i + 2] == 0x0d && b[i + 7] == 0x49 &&
		    b[i + 8] == 0xbb && *(const unsigned long *)(b + i + 9) == entry &&
		    b[i + 17] == 0x41 && b[i + 18] == 0xff && b[i + 19] == 0xe3)
			lea = slot + i;
	if (!lea)
		return 0;
	i = (unsigned)(lea - slot) + K23_STUB_LEA_TO_R;
	ret = lea + K23_STUB_LEA_TO_R;
	if (b[i] != 0xeb)
		return 0;
	site = ret + K23_STUB_NEXT_END + REL32(b + i + K23_STUB_NEXT_REL) - 2;
	fb = ret + *(const int32_t *)(b + i + K23_STUB_META_FALLBACK);
	end = fb - 5; /* jmp <end of the window> */
	if (fb - slot + 14 > sizeof(b) || b[end - slot] != 0xe9)
		return 0;
	n->resume = rip;
	n->after = 0;
	if (rip < lea) {
		n->shown = site - (lea - rip); /* before the syscall */
	} else if (rip < ret) {
		n->shown = site; /* rcx or r11 may be spent: the stub again */
		n->resume = lea;
	} else if (rip < ret + K23_STUB_POST) {
		n->shown = site + 2; /* the call made; rcx is set next */
		n->resume = ret;
	} else if (rip < end) {
		n->shown = site + 2 + (rip - ret - K23_STUB_POST);
	} else if (rip == end) {
		n->shown = end + 5 + *(const int32_t *)(b + end - slot + 1);
	} else if (rip == fb) {
		n->shown = site; /* its syscall, or (lazy) the jump to the site's */
	} else if (b[fb - slot] == 0x0f) {
		n->shown = site + 2; /* after the fallback's syscall */
	} else {
		return 0;
	}
	return 1;
}
