/* scan.h - the interface between finding syscall sites in code (scan.c) and the rest of the offline pass. */
#ifndef K23_SCAN_H
#define K23_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* A function's extent, from .eh_frame (FDE pc ranges). */
struct k23_func_range {
	uint64_t start, end;	/* link-time virtual addresses, [start, end) */
};

/* One executable range to scan: bytes as in the file, at link-time vaddr. */
struct k23_code {
	const uint8_t *bytes;
	size_t size;
	uint64_t vaddr;
	/* Optional (NULL, 0): addresses known to start code - e_entry, init
	 * and fini, function symbols, LSDA landing pads. Each is a possible
	 * branch target (no plan covers it past its first byte) and, outside
	 * the .eh_frame ranges, a place where decoding starts: code there is
	 * only decoded from such anchors and direct branch targets, never by a
	 * blind sweep, which would read data in .text as code. */
	const uint64_t *entries;
	size_t nentries;
};

enum k23_site_kind { K23_SITE_SYSCALL = 1, K23_SITE_SYSENTER = 2 };

enum k23_verify {
	K23_VERIFIED = 1,	/* both decoders place an instruction boundary here and agree */
	K23_DISAGREE = 2,	/* the decoders disagree: reported, never patched */
};

enum k23_strategy {
	K23_PLAN_NONE = 0,	/* catch-all only: no safe patch */
	K23_PLAN_JMP_STUB = 1,	/* the site and neighbouring instructions become a jmp rel32 to a stub */
};

#define K23_PLAN_MAX_BYTES 16	/* bytes a plan may replace */

struct k23_site {
	uint64_t vaddr;			/* of the syscall/sysenter instruction */
	uint8_t kind;			/* enum k23_site_kind */
	uint8_t verify;			/* enum k23_verify */
	uint8_t in_function;		/* inside an .eh_frame range (else linear sweep) */
	uint8_t strategy;		/* enum k23_strategy */
	/* The plan: replace [patch_vaddr, patch_vaddr + patch_len) whose
	 * original bytes are orig[]; the displaced instructions (all but the
	 * syscall) are re-emitted in the stub, relocated if rip-relative. */
	uint64_t patch_vaddr;
	uint8_t patch_len;
	uint8_t orig[K23_PLAN_MAX_BYTES];
	uint8_t ninsns;			/* instructions in the replaced bytes */
	uint8_t site_index;		/* which of them is the syscall (patch_vaddr may lie before vaddr) */
	uint8_t insn_len[8];		/* their lengths, in order */
	uint8_t rip_relative_mask;	/* bit i: instruction i uses rip-relative addressing */
	uint8_t disp_offset[8];		/* for those: where the disp32 sits inside instruction i */
	const char *reason;		/* why the plan is safe, or why there is none (static string) */
};

struct k23_scan_result {
	struct k23_site *sites;		/* malloc'd, sorted by vaddr */
	size_t nsites;
	size_t disagreements;		/* sites with K23_DISAGREE */
	size_t planned;			/* sites with a plan other than K23_PLAN_NONE */
	/* Not reported as sites, counted so a caller can say what it left alone:
	 * syscall/sysenter decoded inside data that the code references
	 * (constants, jump tables); 0f 05 / 0f 34 byte pairs outside the
	 * .eh_frame ranges that no anchor's code reaches, and syscalls a walk
	 * from an anchor decoded before meeting bytes that are no code. */
	size_t skipped_in_data;
	size_t skipped_unreached;
};

/* Decodes code with both decoders (each function range from its start;
 * elsewhere only from entries and direct branch targets of code that runs),
 * finds syscall/sysenter instructions, verifies them and plans patches.
 * funcs need not be sorted. Returns 0, or -1 (out of memory, or a decoder
 * failed to initialise). */
int k23_scan(const struct k23_code *code, const struct k23_func_range *funcs, size_t nfuncs,
	     struct k23_scan_result *out);
void k23_scan_free(struct k23_scan_result *r);

#endif
