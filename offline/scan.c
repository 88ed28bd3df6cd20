/* scan.c - finds syscall/sysenter sites: two decoders in lockstep per .eh_frame function, anchored walks elsewhere, data left out. */
#include <stdlib.h>
#include <string.h>

#include "decoder.h"
#include "plan.h"
#include "scan.h"

/*
 * How a site comes to be reported:
 *
 *  1. Every .eh_frame function is decoded from its start by capstone and
 *     zydis in lockstep. A syscall is VERIFIED where both put a boundary
 *     and both decode `0f 05`/`0f 34`; any other syscall either decoder
 *     sees is DISAGREE. Functions whose bytes hold no 0f 05 / 0f 34 pair
 *     cannot hold a site for either decoder, so only zydis decodes them
 *     (for branch targets and data references): capstone, which formats
 *     text for every instruction, is the slow one.
 *  2. Outside the functions, code is decoded only from anchors - the
 *     caller's entries, direct branch targets of code that runs, the end of
 *     a range whose code runs off it - each walk running to a jump or
 *     return, and counting only if both decoders agree all the way. A blind
 *     linear sweep there would read data between functions as code.
 *  3. Addresses the code that runs reads as data (rip-relative or absolute
 *     operands, jump tables found by the lea + indexed load pattern) are
 *     marked data; functions holding such data are decoded again around
 *     it, and no syscall inside data is reported.
 *  4. Each verified site inside a function gets a patch plan (plan.c).
 */

#define NOFUNC K23_NOFUNC
#define MAX_TABLE 4096		/* entries read from one jump table */

struct scan {
	const struct k23_code *c;
	uint8_t *map;			/* K23_B_* per byte */
	struct k23_func_range *funcs;	/* clipped to the code, sorted by start */
	size_t nfuncs;
	const char **unsafe;		/* per function: why none of its sites may be patched */
	void *ha, *hb;			/* capstone, zydis */
	struct k23_row *rows;
	size_t nrows, caprows;
	struct k23_cand *cands;
	size_t ncands, capcands;
	uint64_t *work;			/* anchors outside the functions, still to walk */
	size_t nwork, capwork;
	uint8_t *seen;			/* per row: reached (scan_rows) */
	size_t capseen;
	size_t *stack, capstack;
	int collect;			/* decode_range records targets and candidates */
	int walk_bad;			/* the last walk met bytes that are not agreed code */
	size_t in_data;			/* candidates dropped because they lie in data */
	size_t unreached;		/* candidates dropped with the walk that found them */
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (!(q = realloc(*p, n * elem)))
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

#define PUSH(S, arr, n, cap) grow((void **)&(S)->arr, &(S)->cap, (S)->n + 1, sizeof(*(S)->arr))

static int in_code(const struct scan *S, uint64_t va)
{
	return va >= S->c->vaddr && va - S->c->vaddr < S->c->size;
}

/* An anchor outside the functions, to be walked later. */
static int anchor(struct scan *S, uint64_t va)
{
	size_t off = va - S->c->vaddr;

	if (!in_code(S, va) || (S->map[off] & (K23_B_FUNC | K23_B_SEEN | K23_B_DATA)))
		return 0;
	if (PUSH(S, work, nwork, capwork))
		return -1;
	S->work[S->nwork++] = va;
	return 0;
}

/* Any direct branch target is one for the planner; only those of code
 * known to run are anchors (scan_rows). */
static void mark_target(struct scan *S, uint64_t va)
{
	if (in_code(S, va))
		S->map[va - S->c->vaddr] |= K23_B_TARGET;
}

static int target(struct scan *S, uint64_t va)
{
	mark_target(S, va);
	return anchor(S, va);
}

static int add_cand(struct scan *S, uint64_t va, uint8_t kind, uint8_t verify, uint32_t func)
{
	if (PUSH(S, cands, ncands, capcands))
		return -1;
	S->cands[S->ncands++] = (struct k23_cand){ va, func, kind, verify };
	return 0;
}

static unsigned dec(struct scan *S, int zydis, size_t off, struct k23_insn *in)
{
	const struct k23_decoder *d = zydis ? &k23_decoder_zydis : &k23_decoder_capstone;

	return d->decode(zydis ? S->hb : S->ha, S->c->bytes + off, S->c->size - off,
			 S->c->vaddr + off, in);
}

/* A syscall either decoder sees at this row. */
static int row_cand(struct scan *S, const struct k23_row *r, int da, const struct k23_insn *ia,
		    int db, const struct k23_insn *ib, uint32_t func)
{
	int sa = da && r->len_a && (ia->is_syscall || ia->is_sysenter);
	int sb = db && r->len_b && (ib->is_syscall || ib->is_sysenter);
	uint8_t kind = (r->flags & ROW_SYSENTER) ? K23_SITE_SYSENTER : K23_SITE_SYSCALL;
	/* A prefixed form (66 0f 05) is no instruction a compiler emits; the
	 * planner and the runtime's byte check only know the plain two bytes. */
	int ok = sa && sb && (r->flags & ROW_AGREE) && r->len_a == 2 &&
		 ia->is_syscall == ib->is_syscall;

	if (!sa && !sb)
		return 0;
	return add_cand(S, r->vaddr, kind, ok ? K23_VERIFIED : K23_DISAGREE, func);
}

static size_t skip_data(const struct scan *S, size_t p, size_t e)
{
	while (p < e && (S->map[p] & K23_B_DATA))
		p++;
	return p;
}

/*
 * Decodes offsets [s, e) from s into S->rows, capstone (when both) and
 * zydis in lockstep: the decoder that is behind steps next, so each keeps
 * its own boundaries; where one fails to decode it resumes at the other's
 * next boundary, and where both fail the bytes are skipped one at a time.
 * A walk also stops after an instruction that does not fall through and
 * where it meets a function or code already walked.
 */
static int decode_range(struct scan *S, size_t s, size_t e, int both, int walk, uint32_t func)
{
	size_t pa = s, pb = s;

	S->nrows = 0;
	for (;;) {
		struct k23_insn ia, ib;
		unsigned la = 0, lb = 0;
		struct k23_row *r;
		size_t p;
		int da, db;

		pa = skip_data(S, pa, e);
		pb = skip_data(S, pb, e);
		if (!both)
			pa = pb;
		p = pa < pb ? pa : pb;
		if (p >= e)
			break;
		if (walk && pa == pb && p != s && (S->map[p] & (K23_B_FUNC | K23_B_SEEN)))
			break;
		da = both && pa == p;
		db = pb == p;
		if (da)
			la = dec(S, 0, p, &ia);
		if (db)
			lb = dec(S, 1, p, &ib);
		if (!la && !lb && (!both || (da && db))) {
			if (walk) {
				S->walk_bad = 1;	/* code does not run into bytes no decoder knows */
				break;
			}
			pa = pb = p + 1;
			continue;
		}
		if (da)
			pa = la ? p + la : (db && lb ? p + lb : pb);
		if (db)
			pb = lb ? p + lb : (da && la ? p + la : pa);
		if (PUSH(S, rows, nrows, caprows))
			return -1;
		r = &S->rows[S->nrows++];
		k23_row_fill(r, S->c->vaddr + p, da ? &ia : NULL, la, db ? &ib : NULL, lb);
		if (S->collect) {
			if (da && la && ia.has_target)
				mark_target(S, ia.target);
			if (db && lb && ib.has_target)
				mark_target(S, ib.target);
			if (row_cand(S, r, da, &ia, db, &ib, func))
				return -1;
		}
		if (walk) {
			size_t end = p + (lb ? lb : la);

			if (!(r->flags & ROW_AGREE))
				S->walk_bad = 1;
			for (size_t q = p; q < end && q < S->c->size; q++)
				S->map[q] |= K23_B_SEEN;
			if ((r->flags & ROW_NOFALL) && pa == pb)
				break;
		}
	}
	return 0;
}

/* The start of the first function above va, or the end of the code. */
static uint64_t next_func(const struct scan *S, uint64_t va)
{
	size_t lo = 0, hi = S->nfuncs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (S->funcs[mid].start <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < S->nfuncs ? S->funcs[lo].start : S->c->vaddr + S->c->size;
}

/* Marks [va, va + n) as data the code reads. */
static void mark_data(struct scan *S, uint64_t va, size_t n)
{
	for (size_t i = 0; i < n && in_code(S, va + i); i++)
		S->map[va + i - S->c->vaddr] |= K23_B_DATA;
}

/*
 * A jump table at base inside the code: 4-byte entries relative to base
 * (what gcc and clang emit for PIC switches) or 8-byte absolute ones. It
 * runs while entries point into a function - any: cases may sit in a
 * .cold part - (into the code, when there are no ranges) and stops where
 * code begins: at the earliest entry or the next function. Reading past
 * its real end only adds branch targets, which makes plans more cautious;
 * for that reason entries are never anchors for walks.
 */
static int table(struct scan *S, uint64_t base, unsigned esz)
{
	const struct k23_code *c = S->c;
	uint64_t first_code = next_func(S, base), va = base;
	size_t n = 0;

	while (n < MAX_TABLE && va + esz <= first_code && va - c->vaddr + esz <= c->size) {
		uint64_t e = 0, t;

		memcpy(&e, c->bytes + (va - c->vaddr), esz);	/* little-endian, as x86-64 */
		t = esz == 4 ? base + (uint64_t)(int64_t)(int32_t)e : e;
		if (!in_code(S, t) || (S->nfuncs && !(S->map[t - c->vaddr] & K23_B_FUNC)))
			break;
		if (t > base && t < first_code)
			first_code = t;
		mark_target(S, t);
		n++;
		va += esz;
	}
	mark_data(S, base, n ? n * esz : esz);
	return n > 0;
}

/* lea reg, [rip + T] followed within a few instructions by a load from
 * [reg + index * scale]: T is a table, not code. */
static int lea_table_scale(const struct scan *S, size_t i)
{
	const struct k23_row *r = &S->rows[i];

	for (size_t j = i + 1; j < S->nrows && j <= i + 4; j++) {
		const struct k23_row *u = &S->rows[j];

		if (u->mem_base == r->lea_dst && r->lea_dst != K23_NOREG &&
		    u->mem_index != K23_NOREG && !(u->flags & ROW_LEA))
			return u->mem_scale;
	}
	return 0;
}

/* What the code at row i says about the bytes it refers to: 1 when it is
 * a jump table read whole (its targets are known), 0, or -1 (no memory). */
static int data_ref(struct scan *S, size_t i)
{
	const struct k23_row *r = &S->rows[i];
	uint64_t a = r->mem_addr;
	int scale;

	if (!(r->flags & ROW_MEMSTATIC) || !in_code(S, a))
		return 0;
	if (r->flags & ROW_LEA) {
		scale = lea_table_scale(S, i);
		if (scale == 4 || scale == 8)
			return table(S, a, (unsigned)scale);
		if (scale)
			mark_data(S, a, (size_t)scale);
		else
			S->map[a - S->c->vaddr] |= K23_B_TARGET;	/* maybe a code pointer */
	} else if (r->mem_index != K23_NOREG && r->mem_scale == 8) {
		return table(S, a, 8);	/* jmp [table + index * 8], non-PIC */
	} else {
		mark_data(S, a, r->mem_size ? r->mem_size : 1);
	}
	return 0;
}

/* How far after a jump table's lea its indirect jmp may come: lea, movsxd,
 * add, jmp in the code compilers emit. */
#define TABLE_JMP_ROWS 6

/* Marks in S->seen the rows of a function that its code reaches. */
static int reach(struct scan *S)
{
	if (grow((void **)&S->seen, &S->capseen, S->nrows, 1) ||
	    grow((void **)&S->stack, &S->capstack, S->nrows, sizeof(*S->stack)))
		return -1;
	k23_rows_reach(S->rows, S->nrows, S->map, S->c->vaddr, S->seen, S->stack);
	return 0;
}

/* Code that runs off the end of its range continues outside it: glibc's
 * clone and clone3 end their CFI before the syscall on purpose, so the
 * unwinder stops in the child. A call at the end is a noreturn call, and
 * what follows it need not be code. */
static int runs_off_end(const struct scan *S, uint32_t func)
{
	const struct k23_row *last = S->nrows ? &S->rows[S->nrows - 1] : NULL;

	return last && S->seen[S->nrows - 1] && !(last->flags & (ROW_NOFALL | ROW_CALL)) &&
	       last->vaddr + (last->len_b ? last->len_b : last->len_a) == S->funcs[func].end;
}

/*
 * Branch targets, data references and indirect jumps of the rows just
 * decoded. Inside a function only the rows its code reaches are evidence
 * of references and anchors: bytes decoded from inline data make up
 * references and branches of their own. (A walk's rows all run.)
 */
static int scan_rows(struct scan *S, uint32_t func)
{
	size_t table_row = SIZE_MAX;
	int unbounded = 0;

	if (func != NOFUNC && reach(S))
		return -1;
	for (size_t i = 0; i < S->nrows; i++) {
		const struct k23_row *r = &S->rows[i];
		int t = 0;

		if ((func == NOFUNC || S->seen[i]) &&
		    ((t = data_ref(S, i)) < 0 || ((r->flags & ROW_TARGET) && anchor(S, r->target))))
			return -1;
		if (t)
			table_row = i;
		/* jmp [rip + X] goes where a pointer variable (a GOT slot)
		 * points: a tail call. A jump through a table read whole lands
		 * on its entries, all marked. Any other indirect jump may be a
		 * switch through a table elsewhere (.rodata) and land anywhere. */
		if ((r->flags & (ROW_INDIRECT | ROW_CALL | ROW_NOFALL)) == (ROW_INDIRECT | ROW_NOFALL) &&
		    !((r->flags & ROW_MEMSTATIC) && r->mem_index == K23_NOREG) &&
		    !(table_row != SIZE_MAX && i - table_row <= TABLE_JMP_ROWS))
			unbounded = 1;
	}
	if (func == NOFUNC)
		return 0;
	if (unbounded)
		S->unsafe[func] = "the function has an indirect jump (a jump table or computed goto) "
				  "that may land inside the replaced bytes";
	return runs_off_end(S, func) ? anchor(S, S->funcs[func].end) : 0;
}

/* Whether a 0f 05 or 0f 34 pair starts in [s, e): if not, no decoder can
 * find a site there. Bytes up to 15 past e count: an instruction may end there. */
static int has_pair(const struct scan *S, size_t s, size_t e)
{
	const uint8_t *b = S->c->bytes;

	e = e + 15 < S->c->size ? e + 15 : S->c->size;
	for (const uint8_t *p = b + s; p + 1 < b + e; p++) {
		p = memchr(p, 0x0f, (size_t)(b + e - 1 - p));
		if (!p)
			return 0;
		if (p[1] == 0x05 || p[1] == 0x34)
			return 1;
	}
	return 0;
}

static int decode_func(struct scan *S, uint32_t i)
{
	size_t s = S->funcs[i].start - S->c->vaddr, e = S->funcs[i].end - S->c->vaddr;

	if (decode_range(S, s, e, has_pair(S, s, e), 0, i))
		return -1;
	return scan_rows(S, i);
}

/* Decodes from each anchor outside the functions, as long as new ones turn up. */
static int walk_anchors(struct scan *S)
{
	while (S->nwork) {
		uint64_t va = S->work[--S->nwork];
		size_t s = va - S->c->vaddr, e = next_func(S, va) - S->c->vaddr, ncands = S->ncands;

		if (S->map[s] & (K23_B_FUNC | K23_B_SEEN | K23_B_DATA))
			continue;
		S->walk_bad = 0;
		if (decode_range(S, s, e, 1, 1, NOFUNC))
			return -1;
		/* Without a function range, code must show itself: both decoders
		 * agree on every instruction up to a jump, a return or known code.
		 * Data an anchor pointed into seldom does. */
		if (S->walk_bad) {
			S->unreached += S->ncands - ncands;
			S->ncands = ncands;
			continue;
		}
		if (scan_rows(S, NOFUNC))
			return -1;
	}
	return 0;
}

/* Functions holding data found by references are decoded again around it,
 * so the code after a table is decoded from its real boundaries. */
static int redo_data_funcs(struct scan *S)
{
	for (uint32_t i = 0; i < S->nfuncs; i++) {
		size_t s = S->funcs[i].start - S->c->vaddr, e = S->funcs[i].end - S->c->vaddr, k = 0;
		size_t q = s;

		while (q < e && !(S->map[q] & K23_B_DATA))
			q++;
		if (q == e)
			continue;
		for (size_t j = 0; j < S->ncands; j++) {
			const struct k23_cand *c = &S->cands[j];

			if (c->func != i)
				S->cands[k++] = *c;
			else if (S->map[c->vaddr - S->c->vaddr] & K23_B_DATA)
				S->in_data++;
		}
		S->ncands = k;
		S->unsafe[i] = NULL;
		if (decode_func(S, i))
			return -1;
	}
	return 0;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct k23_cand *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* Sorts the candidates, drops those inside data, merges duplicates (from
 * overlapping ranges): a disagreement anywhere wins. */
static void settle_cands(struct scan *S, struct k23_scan_result *out)
{
	size_t k = 0;

	if (S->ncands)
		qsort(S->cands, S->ncands, sizeof(*S->cands), cand_cmp);
	for (size_t j = 0; j < S->ncands; j++) {
		struct k23_cand *c = &S->cands[j];

		if (S->map[c->vaddr - S->c->vaddr] & K23_B_DATA) {
			S->in_data++;
			continue;
		}
		if (k && S->cands[k - 1].vaddr == c->vaddr) {
			struct k23_cand *p = &S->cands[k - 1];

			if (c->verify > p->verify)
				p->verify = c->verify;
			if (p->func == NOFUNC)
				p->func = c->func;
			continue;
		}
		S->cands[k++] = *c;
	}
	S->ncands = k;
	out->skipped_in_data = S->in_data;
	out->skipped_unreached = S->unreached;
	for (size_t off = 0; off + 1 < S->c->size; off++)
		if (S->c->bytes[off] == 0x0f && (S->c->bytes[off + 1] == 0x05 || S->c->bytes[off + 1] == 0x34) &&
		    !(S->map[off] & (K23_B_FUNC | K23_B_SEEN | K23_B_DATA)))
			out->skipped_unreached++;
}

/* One instruction's length at va, by zydis: for k23_rows_contest. */
static unsigned length_at(void *arg, uint64_t va)
{
	struct scan *S = arg;
	struct k23_insn in;

	return dec(S, 1, va - S->c->vaddr, &in);
}

/* The planner's way to the decoded instructions of a function. */
static int decode_for_plan(void *arg, uint32_t f, const struct k23_row **rows, size_t *nrows)
{
	struct scan *S = arg;

	if (decode_range(S, S->funcs[f].start - S->c->vaddr, S->funcs[f].end - S->c->vaddr, 1, 0, f))
		return -1;
	k23_rows_contest(S->rows, S->nrows, S->map, S->c, S->funcs[f].end, length_at, S);
	*rows = S->rows;
	*nrows = S->nrows;
	return 0;
}

static int range_cmp(const void *a, const void *b)
{
	const struct k23_func_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Function ranges clipped to the code and sorted; bytes and targets marked. */
static int setup(struct scan *S, const struct k23_func_range *funcs, size_t nfuncs)
{
	const struct k23_code *c = S->c;
	uint64_t lo = c->vaddr, hi = c->vaddr + c->size;

	if (!(S->map = calloc(c->size, 1)) ||
	    (nfuncs && !(S->funcs = malloc(nfuncs * sizeof(*S->funcs)))))
		return -1;
	for (size_t i = 0; i < nfuncs; i++) {
		uint64_t s = funcs[i].start > lo ? funcs[i].start : lo;
		uint64_t e = funcs[i].end < hi ? funcs[i].end : hi;

		/* a range starting before the code cannot be decoded from its start */
		if (s < e && funcs[i].start >= lo)
			S->funcs[S->nfuncs++] = (struct k23_func_range){ s, e };
	}
	if (S->nfuncs)
		qsort(S->funcs, S->nfuncs, sizeof(*S->funcs), range_cmp);
	if (S->nfuncs && !(S->unsafe = calloc(S->nfuncs, sizeof(*S->unsafe))))
		return -1;
	for (size_t i = 0; i < S->nfuncs; i++)
		memset(S->map + (S->funcs[i].start - lo), K23_B_FUNC, S->funcs[i].end - S->funcs[i].start);
	for (size_t i = 0; i < S->nfuncs; i++)
		S->map[S->funcs[i].start - lo] |= K23_B_TARGET;
	for (size_t i = 0; i < c->nentries; i++)
		if (target(S, c->entries[i]))
			return -1;
	S->ha = k23_decoder_capstone.open();
	S->hb = k23_decoder_zydis.open();
	return S->ha && S->hb ? 0 : -1;
}

static void teardown(struct scan *S)
{
	if (S->ha)
		k23_decoder_capstone.close(S->ha);
	if (S->hb)
		k23_decoder_zydis.close(S->hb);
	free(S->map);
	free(S->funcs);
	free(S->unsafe);
	free(S->rows);
	free(S->cands);
	free(S->work);
	free(S->seen);
	free(S->stack);
}

int k23_scan(const struct k23_code *code, const struct k23_func_range *funcs, size_t nfuncs,
	     struct k23_scan_result *out)
{
	struct scan S = { .c = code, .collect = 1 };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!code->size)
		return 0;
	if (setup(&S, funcs, nfuncs))
		goto done;
	for (uint32_t i = 0; i < S.nfuncs; i++)
		if (decode_func(&S, i))
			goto done;
	if (walk_anchors(&S) || redo_data_funcs(&S) || walk_anchors(&S))
		goto done;
	settle_cands(&S, out);
	S.collect = 0;
	rc = k23_plan_sites(&(struct k23_plan_input){ .code = code, .bytemap = S.map,
			    .funcs = S.funcs, .unsafe = S.unsafe, .decode = decode_for_plan, .arg = &S },
			    S.cands, S.ncands, out);
done:
	teardown(&S);
	if (rc)
		k23_scan_free(out);
	return rc;
}

void k23_scan_free(struct k23_scan_result *r)
{
	free(r->sites);
	memset(r, 0, sizeof(*r));
}
