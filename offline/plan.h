/* plan.h - between the scanner and the planner: decoded instructions of a function, and choosing a site's patch. */
#ifndef K23_PLAN_H
#define K23_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "scan.h"

/* Per byte of the scanned code (struct scan's map): what is known about it. */
#define K23_B_TARGET	0x01	/* a possible branch target: no patch may cover it past its first byte */
#define K23_B_FUNC	0x02	/* inside some .eh_frame function range */
#define K23_B_SEEN	0x04	/* decoded by a walk outside the function ranges */
#define K23_B_DATA	0x08	/* data the code references (constant, jump table) */

/* One instruction position of a decoded range, both decoders merged. */
struct k23_row {
	uint64_t vaddr;
	uint64_t target;	/* direct branch target, with ROW_TARGET */
	uint64_t mem_addr;	/* static address of the memory operand or lea, with ROW_MEMSTATIC */
	uint16_t flags;		/* ROW_* */
	uint8_t len_a, len_b;	/* capstone's, zydis's length here; 0: no boundary of that decoder here */
	uint8_t disp_offset;	/* of the rip-relative disp32, with ROW_RIPREL */
	uint8_t mem_base, mem_index, mem_scale, mem_size, lea_dst;	/* as in struct k23_insn */
};

#define ROW_AGREE	0x0001	/* both decoders: boundary here, same length */
#define ROW_SYSCALL	0x0002	/* either decoder says syscall */
#define ROW_SYSENTER	0x0004
#define ROW_BRANCH	0x0008	/* either says: branch, call, ret */
#define ROW_INDIRECT	0x0010
#define ROW_NOFALL	0x0020	/* either says: never falls through */
#define ROW_SPECIAL	0x0040	/* either says: interrupt, privileged, ud, hlt */
#define ROW_RIPREL	0x0080	/* both say: rip-relative, disp32 at the same offset */
#define ROW_TARGET	0x0100	/* has a direct target */
#define ROW_MEMSTATIC	0x0200	/* mem_addr valid */
#define ROW_LEA		0x0400
#define ROW_CALL	0x0800
#define ROW_CONTESTED	0x1000	/* decoding from a known code address inside an earlier row skips this boundary */

struct k23_insn;

/* Fills r for address va from each decoder's view of it (NULL where that
 * decoder has no instruction boundary at va; la, lb: lengths, 0 = invalid). */
void k23_row_fill(struct k23_row *r, uint64_t va, const struct k23_insn *ia, unsigned la,
		  const struct k23_insn *ib, unsigned lb);

/* The index of the row at va in rows sorted by address, or n. */
size_t k23_row_find(const struct k23_row *rows, size_t n, uint64_t va);

/* Marks in seen[] the rows of a function its code reaches from known
 * targets (bytemap K23_B_TARGET, byte 0 at address base; the function's
 * start is one) by falling through and direct branches. Bytes decoded from
 * inline data are not reached, and what they seem to say is no evidence.
 * stack has room for n indices. */
void k23_rows_reach(const struct k23_row *rows, size_t n, const uint8_t *bytemap, uint64_t base,
		    uint8_t *seen, size_t *stack);

/*
 * How code decodes must not depend on where decoding starts. From each
 * known target inside a row (bytemap K23_B_TARGET: a branch target, a
 * lea'd address, an entry), decodes with length_at until the two
 * decodings meet; the rows in between get ROW_CONTESTED, and no plan moves
 * them. A jump over a lock prefix meets at once. glibc's __restore_rt does
 * not: its FDE starts a byte early, inside padding, so decoding from the
 * range start misreads the `mov rax, 15` before the syscall - and
 * sigaction's lea of the real entry shows it.
 */
void k23_rows_contest(struct k23_row *rows, size_t n, const uint8_t *bytemap,
		      const struct k23_code *code, uint64_t end,
		      unsigned (*length_at)(void *arg, uint64_t va), void *arg);

#define K23_NOFUNC UINT32_MAX

/* A syscall the scanner found, before planning. */
struct k23_cand {
	uint64_t vaddr;
	uint32_t func;		/* index into the planner's funcs, or K23_NOFUNC */
	uint8_t kind, verify;	/* enum k23_site_kind, enum k23_verify */
};

/* What the planner gets from the scanner. */
struct k23_plan_input {
	const struct k23_code *code;
	const uint8_t *bytemap;			/* K23_B_* per byte of code */
	const struct k23_func_range *funcs;	/* the ranges cands refer to */
	const char *const *unsafe;		/* per function: why none of its sites may be patched */
	/* Decodes funcs[f] from its start with both decoders; the rows stay
	 * valid until the next call. 0 or -1 (out of memory). */
	int (*decode)(void *arg, uint32_t f, const struct k23_row **rows, size_t *nrows);
	void *arg;
};

/* Turns candidates (sorted by vaddr, one per address) into out's sites,
 * each verified one inside a function with a plan or the reason it has
 * none; counts out->disagreements and out->planned. 0 or -1 (no memory). */
int k23_plan_sites(const struct k23_plan_input *in, const struct k23_cand *cands, size_t n,
		   struct k23_scan_result *out);

#endif
