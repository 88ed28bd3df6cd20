/* plan.c - decoded rows and how far to trust them; the window around each verified site a jmp rel32 to a stub replaces, and why it is safe. */
#include <stdlib.h>
#include <string.h>

#include "decoder.h"
#include "plan.h"

/* What the planner needs about the function around a site. */
struct k23_plan_ctx {
	const struct k23_code *code;
	const uint8_t *bytemap;		/* K23_B_* per byte of code */
	uint64_t func_start, func_end;	/* the .eh_frame range holding the site */
	const char *unsafe;		/* why no site in this function may be patched, or NULL */
	const struct k23_row *rows;	/* the function decoded from its start */
	size_t nrows;
	uint64_t min_vaddr;		/* the previous site's plan ends here: no overlap */
};

/*
 * The patch (issue 5) writes `jmp rel32` (5 bytes) over a window of whole
 * instructions that holds the syscall; the stub runs the other, displaced
 * instructions (relocated when rip-relative), enters the dispatcher in
 * place of the syscall, and jumps back to the window's end.
 *
 * A window is safe when
 *   - both decoders agree on every instruction in it (boundary and length,
 *     and where a rip-relative displacement sits), and decoding from a
 *     known code address inside an earlier instruction does not put the
 *     boundaries elsewhere (k23_rows_contest);
 *   - no displaced instruction is a branch, call, return, syscall,
 *     interrupt or privileged instruction: only straight-line code moves;
 *   - no possible branch target lies inside it past its first byte: direct
 *     targets from anywhere in the code, function starts, the caller's
 *     entries, jump-table entries and lea'd code addresses - and the
 *     function has no indirect jump that could land anywhere;
 *   - it lies inside the function, does not overlap the previous site's
 *     window, and is at most 16 bytes and 8 instructions.
 *
 * Windows are tried in this order, and the first safe one is taken:
 *   1. the syscall and the instructions after it (the common shape
 *      `syscall; cmp rax, -4095` is 8 bytes on its own);
 *   2. the instructions before it and the syscall (`mov eax, N; syscall`,
 *      7 bytes), for sites at the end of a function or followed by a
 *      branch or a branch target;
 *   3. both sides.
 * The syscall's own address may be a branch target only when the window
 * starts there (shape 1): a jump to it then meets the jmp.
 *
 * Why shape 1 first: it is the common case and needs nothing of the code
 * before the site, whose decoding is the less certain (see contest). Its
 * cost: a thread inside the syscall when the patch is written comes back
 * to syscall + 2, inside the window. Issue 5 patches an object before any
 * of its code runs, so that cannot happen there; patching code that may
 * be running (lazily, after a SUD trap) should prefer shape 2, which ends
 * where the syscall ends.
 */

#define JMP_LEN		5
#define MAX_INSNS	8
#define MAX_BEFORE	3
#define MAX_AFTER	6

static const char R_DISAGREE[] = "no safe window: the decoders disagree on a neighbouring instruction";
static const char R_CONTESTED[] = "no safe window: decoding from a known code address nearby puts "
				  "instruction boundaries elsewhere";
static const char R_BRANCH[] = "no safe window: a neighbouring instruction is a branch, syscall or "
			       "other instruction that cannot be moved";
static const char R_FUNC[] = "no safe window: the bytes to replace would leave the function";
static const char R_OVERLAP[] = "no safe window: it would overlap the previous site's patch";
static const char R_LONG[] = "no safe window: more than 16 bytes or 8 instructions";
static const char R_TARGET[] = "no safe window: a branch target falls inside the bytes to replace";
static const char R_END[] = "no safe window: the function's decoded code ends within 5 bytes of the "
			    "syscall and nothing before it can be moved";

static const char OK_AFTER[] = "jmp over the syscall and the instructions after it: both decoders "
			       "agree on them, no branch target inside, relocatable, within the function";
static const char OK_BEFORE[] = "jmp over the instructions before the syscall and the syscall: both "
				"decoders agree on them, no branch target inside, relocatable, within "
				"the function";
static const char OK_AROUND[] = "jmp over instructions before and after the syscall: both decoders "
				"agree on them, no branch target inside, relocatable, within the function";

static void merge(struct k23_row *r, const struct k23_insn *i)
{
	r->flags |= (i->is_syscall ? ROW_SYSCALL : 0) | (i->is_sysenter ? ROW_SYSENTER : 0) |
		    (i->is_branch ? ROW_BRANCH : 0) | (i->is_indirect ? ROW_INDIRECT : 0) |
		    (i->no_fallthrough ? ROW_NOFALL : 0) | (i->is_special ? ROW_SPECIAL : 0) |
		    (i->is_lea ? ROW_LEA : 0) | (i->is_call ? ROW_CALL : 0);
	if (i->has_target && !(r->flags & ROW_TARGET)) {
		r->flags |= ROW_TARGET;
		r->target = i->target;
	}
	if (i->has_mem && !(r->flags & ROW_MEMSTATIC)) {
		r->mem_base = i->mem_base;
		r->mem_index = i->mem_index;
		r->mem_scale = i->mem_scale;
		r->mem_size = i->mem_size;
		r->lea_dst = i->lea_dst;
		if (i->mem_static) {
			r->flags |= ROW_MEMSTATIC;
			r->mem_addr = i->mem_addr;
		}
	}
}

/* Both decoders must agree on the relocation of a rip-relative operand,
 * or the instruction is not one they agree on. */
static int same_riprel(const struct k23_insn *a, const struct k23_insn *b)
{
	if (a->rip_relative != b->rip_relative)
		return 0;
	return !a->rip_relative || (a->disp_offset == b->disp_offset && a->disp_size == 4 &&
				    b->disp_size == 4);
}

/* A row from what each decoder made of the bytes at va: ia (length la)
 * from capstone, ib (lb) from zydis; NULL where that decoder has no
 * boundary at va. The flags are the union of what either says, so each
 * use is as cautious as the more cautious decoder. */
void k23_row_fill(struct k23_row *r, uint64_t va, const struct k23_insn *ia, unsigned la,
		  const struct k23_insn *ib, unsigned lb)
{
	memset(r, 0, sizeof(*r));
	r->vaddr = va;
	r->mem_base = r->mem_index = r->lea_dst = K23_NOREG;
	r->len_a = ia ? (uint8_t)la : 0;
	r->len_b = ib ? (uint8_t)lb : 0;
	if (ia && la)
		merge(r, ia);
	if (ib && lb)
		merge(r, ib);
	if (ia && ib && la && lb && la == lb && same_riprel(ia, ib)) {
		r->flags |= ROW_AGREE;
		if (ia->rip_relative) {
			r->flags |= ROW_RIPREL;
			r->disp_offset = ia->disp_offset;
		}
	}
}

size_t k23_row_find(const struct k23_row *rows, size_t n, uint64_t va)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (rows[mid].vaddr < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && rows[lo].vaddr == va ? lo : n;
}

void k23_rows_reach(const struct k23_row *rows, size_t n, const uint8_t *bytemap, uint64_t base,
		    uint8_t *seen, size_t *stack)
{
	size_t top = 0;

	for (size_t i = 0; i < n; i++)
		if ((seen[i] = !!(bytemap[rows[i].vaddr - base] & K23_B_TARGET)))
			stack[top++] = i;
	while (top) {
		size_t i = stack[--top], k = 0;
		const struct k23_row *r = &rows[i];
		uint64_t next[3];

		if (!(r->flags & ROW_NOFALL)) {
			if (r->len_a)
				next[k++] = r->vaddr + r->len_a;
			if (r->len_b && r->len_b != r->len_a)
				next[k++] = r->vaddr + r->len_b;
		}
		if (r->flags & ROW_TARGET)
			next[k++] = r->target;
		while (k--) {
			size_t j = i + 1 < n && rows[i + 1].vaddr == next[k] ? i + 1
									: k23_row_find(rows, n, next[k]);

			if (j < n && !seen[j]) {
				seen[j] = 1;
				stack[top++] = j;
			}
		}
	}
}

/* Decodes from va, inside the instruction before rows[j], until a
 * boundary of the rows comes again; the rows passed over are contested. */
static void contest_from(struct k23_row *rows, size_t n, uint64_t va, size_t j, uint64_t end,
			 unsigned (*length_at)(void *, uint64_t), void *arg)
{
	for (int steps = 0; steps < 32 && va < end; steps++) {
		unsigned len = length_at(arg, va);

		if (!len)
			return;		/* no code there: a target made up by data */
		va += len;
		while (j < n && rows[j].vaddr < va)
			rows[j++].flags |= ROW_CONTESTED;
		if (j < n && rows[j].vaddr == va)
			return;
	}
	while (j < n && rows[j].vaddr < end)	/* never met: trust none of it */
		rows[j++].flags |= ROW_CONTESTED;
}

void k23_rows_contest(struct k23_row *rows, size_t n, const uint8_t *bytemap,
		      const struct k23_code *code, uint64_t end,
		      unsigned (*length_at)(void *arg, uint64_t va), void *arg)
{
	for (size_t i = 0; i < n; i++) {
		unsigned len = rows[i].len_b ? rows[i].len_b : rows[i].len_a;

		for (unsigned q = 1; q < len; q++) {
			uint64_t va = rows[i].vaddr + q;

			if (va - code->vaddr < code->size && (bytemap[va - code->vaddr] & K23_B_TARGET))
				contest_from(rows, n, va, i + 1, end, length_at, arg);
		}
	}
}

/* The bytes rows [lo, hi] span, or 0 when they are not contiguous. */
static uint64_t span(const struct k23_plan_ctx *x, size_t lo, size_t hi)
{
	for (size_t k = lo; k < hi; k++)
		if (x->rows[k].vaddr + x->rows[k].len_a != x->rows[k + 1].vaddr)
			return 0;
	return x->rows[hi].vaddr + x->rows[hi].len_a - x->rows[lo].vaddr;
}

/* Why the window rows [lo, hi] holding the site at row i may not be
 * replaced, or NULL when it may. */
static const char *check(const struct k23_plan_ctx *x, size_t lo, size_t hi, size_t i)
{
	const uint16_t unmovable = ROW_BRANCH | ROW_SPECIAL | ROW_SYSCALL | ROW_SYSENTER;
	uint64_t start = x->rows[lo].vaddr, len = span(x, lo, hi);

	for (size_t k = lo; k <= hi; k++) {
		const struct k23_row *r = &x->rows[k];

		if (!(r->flags & ROW_AGREE))
			return R_DISAGREE;
		if (r->flags & ROW_CONTESTED)
			return R_CONTESTED;
		if (k != i && (r->flags & unmovable))
			return R_BRANCH;
	}
	if (!len)
		return R_DISAGREE;
	if (start < x->func_start || start + len > x->func_end)
		return R_FUNC;
	if (start < x->min_vaddr)
		return R_OVERLAP;
	if (len > K23_PLAN_MAX_BYTES || hi - lo + 1 > MAX_INSNS)
		return R_LONG;
	for (uint64_t va = start + 1; va < start + len; va++)
		if (x->bytemap[va - x->code->vaddr] & K23_B_TARGET)
			return R_TARGET;
	return NULL;
}

static void fill(const struct k23_plan_ctx *x, size_t lo, size_t hi, size_t i, struct k23_site *s,
		 const char *why)
{
	s->strategy = K23_PLAN_JMP_STUB;
	s->patch_vaddr = x->rows[lo].vaddr;
	s->patch_len = (uint8_t)span(x, lo, hi);
	memcpy(s->orig, x->code->bytes + (s->patch_vaddr - x->code->vaddr), s->patch_len);
	s->ninsns = (uint8_t)(hi - lo + 1);
	s->site_index = (uint8_t)(i - lo);
	for (size_t k = lo; k <= hi; k++) {
		s->insn_len[k - lo] = x->rows[k].len_a;
		if (x->rows[k].flags & ROW_RIPREL) {
			s->rip_relative_mask |= (uint8_t)(1u << (k - lo));
			s->disp_offset[k - lo] = x->rows[k].disp_offset;
		}
	}
	s->reason = why;
}

/* The smallest window [lo, hi] with lo = i - before, at least JMP_LEN
 * bytes; returns 0 when the rows run out first. */
static int window(const struct k23_plan_ctx *x, size_t i, size_t before, size_t min_after,
		  size_t *hi)
{
	for (size_t a = min_after; a <= MAX_AFTER && i + a < x->nrows; a++) {
		uint64_t len = span(x, i - before, i + a);

		if (!len)
			return 0;
		if (len >= JMP_LEN) {
			*hi = i + a;
			return 1;
		}
	}
	return 0;
}

static void plan_site(const struct k23_plan_ctx *x, struct k23_site *s)
{
	size_t i = k23_row_find(x->rows, x->nrows, s->vaddr), hi;
	const char *why_after = R_END, *why_before = NULL;

	if (i == x->nrows) {
		s->reason = R_DISAGREE;
		return;
	}
	if (x->unsafe) {
		s->reason = x->unsafe;
		return;
	}
	/* Longer windows on the same side only add instructions, so the
	 * first one long enough decides for its side. */
	if (window(x, i, 0, 1, &hi) && !(why_after = check(x, i, hi, i))) {
		fill(x, i, hi, i, s, OK_AFTER);
		return;
	}
	for (size_t b = 1; b <= MAX_BEFORE && b <= i; b++) {
		uint64_t len = span(x, i - b, i);

		if (!len)
			break;
		if (len < JMP_LEN)
			continue;
		if (!(why_before = check(x, i - b, i, i))) {
			fill(x, i - b, i, i, s, OK_BEFORE);
			return;
		}
		break;
	}
	for (size_t b = 1; b <= MAX_BEFORE && b <= i; b++) {
		if (window(x, i, b, 1, &hi) && !check(x, i - b, hi, i)) {
			fill(x, i - b, hi, i, s, OK_AROUND);
			return;
		}
	}
	/* The reason for the preferred side, unless that side simply ran out
	 * of function: then what stopped the other side says more. */
	s->reason = (why_after == R_END || why_after == R_FUNC) && why_before ? why_before : why_after;
}

int k23_plan_sites(const struct k23_plan_input *in, const struct k23_cand *cands, size_t n,
		   struct k23_scan_result *out)
{
	struct k23_plan_ctx x = { .code = in->code, .bytemap = in->bytemap,
				  .min_vaddr = in->code->vaddr };
	uint32_t decoded = K23_NOFUNC;

	if (n && !(out->sites = calloc(n, sizeof(*out->sites))))
		return -1;
	for (size_t j = 0; j < n; j++) {
		const struct k23_cand *c = &cands[j];
		struct k23_site *s = &out->sites[out->nsites++];

		*s = (struct k23_site){ .vaddr = c->vaddr, .kind = c->kind, .verify = c->verify,
					.in_function = c->func != K23_NOFUNC };
		if (c->verify != K23_VERIFIED) {
			out->disagreements++;
			s->reason = "the decoders disagree here: never patched, left to the catch-all";
			continue;
		}
		if (c->func == K23_NOFUNC) {
			s->reason = "outside the .eh_frame functions, where branch targets are not all "
				    "known: left to the catch-all";
			continue;
		}
		/* Sites come sorted, so each function is decoded once. */
		if (decoded != c->func && in->decode(in->arg, c->func, &x.rows, &x.nrows))
			return -1;
		decoded = c->func;
		x.func_start = in->funcs[c->func].start;
		x.func_end = in->funcs[c->func].end;
		x.unsafe = in->unsafe[c->func];
		plan_site(&x, s);
		if (s->strategy != K23_PLAN_NONE) {
			out->planned++;
			x.min_vaddr = s->patch_vaddr + s->patch_len;
		}
	}
	return 0;
}
