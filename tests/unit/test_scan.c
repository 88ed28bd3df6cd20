/* test_scan.c - unit tests of finding, verifying and planning syscall sites (offline/scan.c, plan.c) on hand-assembled code and on libc.
 *
 * Each synthetic case is a byte array built with E(...), commented with the
 * instruction it encodes; addresses that depend on layout are patched in
 * with rel32(). Links the offline objects (scan, plan, decode_*) and the
 * hosted common/ ones (ELF reading), with -lcapstone -lZydis -lcmocka.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <stdlib.h>

#include "elf_info.h"
#include "offline/scan.h"

static struct {
	uint8_t b[0x4000];
	size_t n;
	uint64_t base;
} A;

static struct k23_scan_result R;

static void reset(uint64_t base)
{
	memset(&A, 0xcc, sizeof(A));	/* int3 between things, as linkers pad */
	A.n = 0;
	A.base = base;
}

static uint64_t here(void)
{
	return A.base + A.n;
}

static uint64_t emit(const uint8_t *p, size_t n)
{
	uint64_t va = here();

	memcpy(A.b + A.n, p, n);
	A.n += n;
	return va;
}

#define E(...) emit((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static void pad_to(uint64_t va, uint8_t byte)
{
	memset(A.b + A.n, byte, va - here());
	A.n = va - A.base;
}

/* Stores target - next as the rel32 at field (an instruction ending at next). */
static void rel32(uint64_t field, uint64_t next, uint64_t target)
{
	int32_t d = (int32_t)(target - next);

	memcpy(A.b + (field - A.base), &d, 4);
}

static void put(uint64_t va, const void *p, size_t n)
{
	memcpy(A.b + (va - A.base), p, n);
}

static void scan(const struct k23_func_range *f, size_t nf, const uint64_t *entries, size_t ne)
{
	struct k23_code c = { A.b, A.n, A.base, entries, ne };

	k23_scan_free(&R);
	assert_int_equal(k23_scan(&c, f, nf, &R), 0);
}

static const struct k23_site *site(uint64_t va)
{
	for (size_t i = 0; i < R.nsites; i++)
		if (R.sites[i].vaddr == va)
			return &R.sites[i];
	return NULL;
}

static const struct k23_site *verified(uint64_t va, uint8_t kind)
{
	const struct k23_site *s = site(va);

	assert_non_null(s);
	assert_int_equal(s->verify, K23_VERIFIED);
	assert_int_equal(s->kind, kind);
	return s;
}

/* 0f 05 and 0f 34 inside immediates and displacements are no sites; the
 * real syscall and sysenter between them are. */
static void test_pairs_inside_instructions(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f = here(), s1, s2;
	const struct k23_site *s;

	E(0xb8, 0x0f, 0x05, 0x00, 0x00);		/* mov eax, 0x50f: imm32 */
	E(0x48, 0xc7, 0xc1, 0x0f, 0x34, 0x00, 0x00);	/* mov rcx, 0x340f: imm32 */
	E(0x8b, 0x80, 0x0f, 0x05, 0x00, 0x00);		/* mov eax, [rax + 0x50f]: disp32 */
	E(0x8b, 0x8c, 0x24, 0x0f, 0x34, 0x00, 0x00);	/* mov ecx, [rsp + 0x340f]: disp32 after SIB */
	E(0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x05);		/* palignr xmm0, xmm1, 5: opcode 0f, imm 05 */
	E(0xb8, 0x27, 0x00, 0x00, 0x00);		/* mov eax, 39 */
	s1 = E(0x0f, 0x05);				/* syscall */
	E(0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff);		/* cmp rax, -4095 */
	E(0xc7, 0xc0, 0x0f, 0x05, 0x0f, 0x34);		/* mov eax, 0x340f050f: two pairs */
	s2 = E(0x0f, 0x34);				/* sysenter */
	E(0xc3);					/* ret */
	struct k23_func_range fr = { f, here() };
	scan(&fr, 1, NULL, 0);

	assert_int_equal(R.nsites, 2);
	assert_int_equal(R.disagreements, 0);
	s = verified(s1, K23_SITE_SYSCALL);
	assert_int_equal(s->in_function, 1);
	/* syscall + cmp: 8 bytes from the syscall on */
	assert_int_equal(s->strategy, K23_PLAN_JMP_STUB);
	assert_int_equal(s->patch_vaddr, s1);
	assert_int_equal(s->patch_len, 8);
	assert_int_equal(s->ninsns, 2);
	assert_int_equal(s->site_index, 0);
	assert_memory_equal(s->orig, A.b + (s1 - A.base), 8);
	/* sysenter; ret: nothing after it moves, so the mov before it does */
	s = verified(s2, K23_SITE_SYSENTER);
	assert_int_equal(s->strategy, K23_PLAN_JMP_STUB);
	assert_int_equal(s->patch_vaddr, s2 - 6);
	assert_int_equal(s->patch_len, 8);
	assert_int_equal(s->site_index, 1);
	assert_int_equal(s->insn_len[0], 6);
	assert_int_equal(s->insn_len[1], 2);
}

/* Data between two functions (no .eh_frame range covers it, nothing
 * branches to it) is never decoded, however syscall-like it looks. */
static void test_data_between_functions(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t fa = here(), sa, fb, sb, ea;

	E(0xb8, 0x27, 0x00, 0x00, 0x00);		/* mov eax, 39 */
	sa = E(0x0f, 0x05);				/* syscall */
	E(0xc3);					/* ret */
	ea = here();
	/* a table of .long 0x340f050f, 0x50f, 0x340f: five pairs */
	E(0x0f, 0x05, 0x0f, 0x34, 0x0f, 0x05, 0x00, 0x00, 0x0f, 0x05, 0x00, 0x00, 0x0f, 0x34, 0x00, 0x00);
	fb = here();
	E(0xb8, 0x3c, 0x00, 0x00, 0x00);		/* mov eax, 60 */
	sb = E(0x0f, 0x05);				/* syscall */
	E(0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff);		/* cmp rax, -4095 */
	E(0xc3);					/* ret */
	struct k23_func_range fr[] = { { fb, here() }, { fa, ea } };	/* unsorted on purpose */
	scan(fr, 2, NULL, 0);

	assert_int_equal(R.nsites, 2);
	verified(sa, K23_SITE_SYSCALL);
	verified(sb, K23_SITE_SYSCALL);
	assert_int_equal(R.skipped_unreached, 5);
	/* sa: syscall; ret - the mov before it moves instead */
	assert_int_equal(site(sa)->strategy, K23_PLAN_JMP_STUB);
	assert_int_equal(site(sa)->patch_vaddr, fa);
}

/* A PIC switch whose table sits inside the function: lea + movsxd + add +
 * jmp. The first entry, 0x50f, is a 0f 05 pair; the cases after the table
 * are decoded from their real boundaries. */
static void test_jump_table_in_function(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f = here(), lea, t, c1, c0;
	uint32_t e[2];

	lea = E(0x48, 0x8d, 0x0d, 0, 0, 0, 0);		/* lea rcx, [rip + T] */
	E(0x48, 0x63, 0x04, 0xb9);			/* movsxd rax, dword [rcx + rdi*4] */
	E(0x48, 0x01, 0xc8);				/* add rax, rcx */
	E(0xff, 0xe0);					/* jmp rax */
	t = E(0, 0, 0, 0, 0, 0, 0, 0);			/* T: .long C0 - T, C1 - T */
	c1 = E(0xb8, 0x27, 0x00, 0x00, 0x00);		/* C1: mov eax, 39 */
	E(0x0f, 0x05, 0xc3);				/* syscall; ret */
	pad_to(t + 0x50f, 0x90);			/* nops */
	c0 = E(0xb8, 0x3c, 0x00, 0x00, 0x00);		/* C0: mov eax, 60 */
	E(0x0f, 0x05, 0xc3);				/* syscall; ret */
	rel32(lea + 3, lea + 7, t);
	e[0] = (uint32_t)(c0 - t);
	e[1] = (uint32_t)(c1 - t);
	put(t, e, sizeof(e));
	assert_int_equal(A.b[t - A.base], 0x0f);
	assert_int_equal(A.b[t - A.base + 1], 0x05);
	struct k23_func_range fr = { f, here() };
	scan(&fr, 1, NULL, 0);

	assert_int_equal(R.nsites, 2);
	assert_null(site(t));
	assert_int_equal(R.skipped_in_data, 1);
	/* the table bounds the jmp: its targets are known branch targets,
	 * and a window may start at one */
	assert_int_equal(verified(c1 + 5, K23_SITE_SYSCALL)->strategy, K23_PLAN_JMP_STUB);
	assert_int_equal(site(c1 + 5)->patch_vaddr, c1);
	assert_int_equal(verified(c0 + 5, K23_SITE_SYSCALL)->patch_vaddr, c0);
}

/* A non-PIC switch through a table of absolute addresses in the function:
 * jmp [T + rdi*8]; the entry 0x40050f is the pair 0f 05. */
static void test_absolute_table_in_function(void **state)
{
	(void)state;
	reset(0x400000);
	uint64_t f = here(), jmp, t, c1, c0, e[2];
	uint32_t tabs;

	jmp = E(0xff, 0x24, 0xfd, 0, 0, 0, 0);		/* jmp [T + rdi*8] */
	t = E(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);	/* T: .quad C0, C1 */
	c1 = E(0xb8, 0x27, 0x00, 0x00, 0x00);		/* C1: mov eax, 39 */
	E(0x0f, 0x05, 0xc3);				/* syscall; ret */
	pad_to(0x40050f, 0x90);
	c0 = E(0xb8, 0x3c, 0x00, 0x00, 0x00);		/* C0 = 0x40050f: mov eax, 60 */
	E(0x0f, 0x05, 0xc3);				/* syscall; ret */
	tabs = (uint32_t)t;
	put(jmp + 3, &tabs, 4);
	e[0] = c0;
	e[1] = c1;
	put(t, e, sizeof(e));
	struct k23_func_range fr = { f, here() };
	scan(&fr, 1, NULL, 0);

	assert_int_equal(R.nsites, 2);
	assert_null(site(t));
	verified(c1 + 5, K23_SITE_SYSCALL);
	verified(c0 + 5, K23_SITE_SYSCALL);
	assert_int_equal(site(c0 + 5)->strategy, K23_PLAN_JMP_STUB);
}

/* A constant the function loads rip-relative, placed after its ret. */
static void test_constant_in_function(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f = here(), ld, s, k;

	ld = E(0x8b, 0x05, 0, 0, 0, 0);			/* mov eax, [rip + K] */
	s = E(0x0f, 0x05);				/* syscall */
	E(0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff);		/* cmp rax, -4095 */
	E(0xc3);					/* ret */
	k = E(0x0f, 0x34, 0x0f, 0x05);			/* K: .long 0x050f340f */
	rel32(ld + 2, ld + 6, k);
	struct k23_func_range fr = { f, here() };
	scan(&fr, 1, NULL, 0);

	assert_int_equal(R.nsites, 1);
	verified(s, K23_SITE_SYSCALL);
	assert_int_equal(R.skipped_in_data, 2);
}

/* Bytes no code reaches (after a jmp or ret, not a branch target) are
 * not believed when they decode as a reference to code or as a branch:
 * here one would make the real syscall data, the other lead into data
 * holding a syscall-like pair. */
static void test_unreached_bytes_are_no_evidence(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f = here(), s, j, g;

	E(0xb8, 0x27, 0x00, 0x00, 0x00);		/* mov eax, 39 */
	E(0xeb, 0x06);					/* jmp S */
	E(0x8b, 0x05, 0x00, 0x00, 0x00, 0x00);		/* skipped: reads as mov eax, [rip + S] */
	s = E(0x0f, 0x05);				/* S: syscall */
	E(0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff);		/* cmp rax, -4095 */
	E(0xc3);					/* ret */
	j = E(0xe9, 0, 0, 0, 0);			/* after ret: reads as jmp G */
	struct k23_func_range fr = { f, here() };
	E(0xcc, 0xcc);
	g = E(0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xc3);	/* G, outside: data */
	rel32(j + 1, j + 5, g);
	scan(&fr, 1, NULL, 0);

	assert_int_equal(R.nsites, 1);
	assert_int_equal(verified(s, K23_SITE_SYSCALL)->strategy, K23_PLAN_JMP_STUB);
	assert_int_equal(R.skipped_in_data, 0);
	assert_int_equal(R.skipped_unreached, 1);
}

/* glibc's __restore_rt: its .eh_frame range starts one byte early, in the
 * padding, so decoding from the range start misreads the mov before the
 * syscall (00 48 c7 | c0 0f 00 | 00 00 | 0f 05). sigaction's lea of the
 * real entry shows it: no plan may move those made-up instructions. */
static void test_range_starting_inside_padding(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t r, f2, lea;

	E(0x0f, 0x1f, 0x40, 0x00);			/* nopl [rax + 0]: padding */
	r = E(0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00);	/* R: mov rax, 15 */
	E(0x0f, 0x05);					/* syscall */
	E(0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00);	/* padding */
	f2 = here();
	lea = E(0x48, 0x8d, 0x05, 0, 0, 0, 0);		/* lea rax, [rip + R] */
	E(0xc3);					/* ret */
	rel32(lea + 3, lea + 7, r);
	struct k23_func_range fr[] = { { r - 1, r + 9 }, { f2, here() } };
	scan(fr, 2, NULL, 0);

	assert_int_equal(R.nsites, 1);
	assert_int_equal(verified(r + 7, K23_SITE_SYSCALL)->strategy, K23_PLAN_NONE);
	assert_non_null(strstr(site(r + 7)->reason, "known code address"));
}

/* A branch target right after the syscall: no jmp may cover it, and the
 * 2 bytes before the syscall are too few. */
static void test_target_inside_patch(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f = here(), s;
	const struct k23_site *p;

	E(0x31, 0xc0);					/* xor eax, eax */
	s = E(0x0f, 0x05);				/* syscall */
	E(0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff);		/* L: cmp rax, -4095 */
	E(0x74, 0xf8);					/* je L */
	E(0xc3);					/* ret */
	struct k23_func_range fr = { f, here() };
	scan(&fr, 1, NULL, 0);

	p = verified(s, K23_SITE_SYSCALL);
	assert_int_equal(p->strategy, K23_PLAN_NONE);
	assert_non_null(strstr(p->reason, "branch target"));
	assert_int_equal(R.planned, 0);
}

/* Sites as the last instruction of a range, the second also of the code. */
static void test_site_at_end_of_range(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f1 = here(), s1, f2, s2;

	E(0xb8, 0x3c, 0x00, 0x00, 0x00);		/* mov eax, 60 */
	s1 = E(0x0f, 0x05);				/* syscall */
	f2 = here();
	E(0x31, 0xff);					/* xor edi, edi */
	s2 = E(0x0f, 0x05);				/* syscall, the last two bytes */
	struct k23_func_range fr[] = { { f1, f2 }, { f2, here() } };
	scan(fr, 2, NULL, 0);

	assert_int_equal(R.nsites, 2);
	assert_int_equal(verified(s1, K23_SITE_SYSCALL)->strategy, K23_PLAN_JMP_STUB);
	assert_int_equal(site(s1)->patch_vaddr, f1);
	assert_int_equal(site(s1)->patch_len, 7);
	assert_int_equal(verified(s2, K23_SITE_SYSCALL)->strategy, K23_PLAN_NONE);
	assert_non_null(strstr(site(s2)->reason, "ends within 5 bytes"));
}

/* syscall; mov rax, [rip + X]: the load is displaced with its disp32
 * relocated, and the plan says where that disp32 is. */
static void test_rip_relative_after_site(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f = here(), s, ld;
	const struct k23_site *p;

	E(0xb8, 0x27, 0x00, 0x00, 0x00);		/* mov eax, 39 */
	s = E(0x0f, 0x05);				/* syscall */
	ld = E(0x48, 0x8b, 0x05, 0, 0, 0, 0);		/* mov rax, [rip + X], X outside the code */
	E(0xc3);					/* ret */
	rel32(ld + 3, ld + 7, 0x200000);
	struct k23_func_range fr = { f, here() };
	scan(&fr, 1, NULL, 0);

	p = verified(s, K23_SITE_SYSCALL);
	assert_int_equal(p->strategy, K23_PLAN_JMP_STUB);
	assert_int_equal(p->patch_vaddr, s);
	assert_int_equal(p->patch_len, 9);
	assert_int_equal(p->ninsns, 2);
	assert_int_equal(p->insn_len[1], 7);
	assert_int_equal(p->rip_relative_mask, 0x2);
	assert_int_equal(p->disp_offset[1], 3);
}

/* 66 e8 rel: Intel CPUs ignore the 66 (6 bytes, as zydis decodes), AMD
 * honour it (rel16, 4 bytes, as capstone does), and then 0f 05 follows.
 * Such a site is reported as a disagreement and never planned. */
static void test_decoders_disagree(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f = here();

	E(0x66, 0xe8, 0x11, 0x22, 0x0f, 0x05);		/* call rel32 / callw rel16; syscall */
	E(0xc3);					/* ret */
	struct k23_func_range fr = { f, here() };
	scan(&fr, 1, NULL, 0);

	assert_int_equal(R.nsites, 1);
	assert_int_equal(R.disagreements, 1);
	assert_int_equal(R.sites[0].vaddr, f + 4);
	assert_int_equal(R.sites[0].verify, K23_DISAGREE);
	assert_int_equal(R.sites[0].strategy, K23_PLAN_NONE);
}

/* glibc's clone: the CFI ends before the syscall, so the code runs out of
 * its range; the site is found there but left to the catch-all. */
static void test_fallthrough_out_of_range(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f = here(), s;

	E(0xb8, 0x38, 0x00, 0x00, 0x00);		/* mov eax, 56 (range ends) */
	s = E(0x0f, 0x05);				/* syscall */
	E(0x48, 0x85, 0xc0);				/* test rax, rax */
	E(0xc3);					/* ret */
	E(0x0f, 0x05);					/* after ret, unreached */
	struct k23_func_range fr = { f, s };
	scan(&fr, 1, NULL, 0);

	assert_int_equal(R.nsites, 1);
	assert_int_equal(verified(s, K23_SITE_SYSCALL)->in_function, 0);
	assert_int_equal(site(s)->strategy, K23_PLAN_NONE);
	assert_int_equal(R.skipped_unreached, 1);
}

/* Without .eh_frame ranges code is decoded from the caller's entries and
 * from direct branch targets only. */
static void test_entries_and_targets(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t g = here(), call, h, sg, sh;

	E(0xb8, 0x27, 0x00, 0x00, 0x00);		/* G: mov eax, 39 */
	sg = E(0x0f, 0x05);				/* syscall */
	call = E(0xe8, 0, 0, 0, 0);			/* call H */
	E(0xc3);					/* ret */
	h = E(0xb8, 0x3c, 0x00, 0x00, 0x00);		/* H: mov eax, 60 */
	sh = E(0x0f, 0x05);				/* syscall */
	E(0xeb, 0xfe);					/* jmp . */
	rel32(call + 1, call + 5, h);

	scan(NULL, 0, NULL, 0);
	assert_int_equal(R.nsites, 0);
	assert_int_equal(R.skipped_unreached, 2);
	scan(NULL, 0, &g, 1);
	assert_int_equal(R.nsites, 2);
	assert_int_equal(verified(sg, K23_SITE_SYSCALL)->in_function, 0);
	verified(sh, K23_SITE_SYSCALL);

	/* An entry that points into data (a relocation to a string, say):
	 * the walk meets a byte no decoder knows before any jump or return,
	 * so nothing it decoded counts. */
	reset(0x1000);
	g = E(0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05);	/* reads as mov eax, 60; syscall */
	E(0x06, 0xc3);					/* invalid in 64-bit mode; ret */
	scan(NULL, 0, &g, 1);
	assert_int_equal(R.nsites, 0);
}

/* jmp rcx may land anywhere in its function: no plan there; jmp [rip + X]
 * is a tail call through a pointer and does not matter. */
static void test_indirect_jumps(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f1 = here(), s1, f2, s2, j;

	E(0xb8, 0x27, 0x00, 0x00, 0x00);		/* mov eax, 39 */
	s1 = E(0x0f, 0x05);				/* syscall */
	E(0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff);		/* cmp rax, -4095 */
	E(0xff, 0xe1);					/* jmp rcx */
	f2 = here();
	E(0xb8, 0x27, 0x00, 0x00, 0x00);		/* mov eax, 39 */
	s2 = E(0x0f, 0x05);				/* syscall */
	E(0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff);		/* cmp rax, -4095 */
	j = E(0xff, 0x25, 0, 0, 0, 0);			/* jmp [rip + X], X outside the code */
	rel32(j + 2, j + 6, 0x300000);
	struct k23_func_range fr[] = { { f1, f2 }, { f2, here() } };
	scan(fr, 2, NULL, 0);

	assert_int_equal(verified(s1, K23_SITE_SYSCALL)->strategy, K23_PLAN_NONE);
	assert_non_null(strstr(site(s1)->reason, "indirect jump"));
	assert_int_equal(verified(s2, K23_SITE_SYSCALL)->strategy, K23_PLAN_JMP_STUB);
}

/* Two sites close together: the second's window may not reach into the
 * first's. */
static void test_plans_do_not_overlap(void **state)
{
	(void)state;
	reset(0x1000);
	uint64_t f = here(), s1, s2;

	s1 = E(0x0f, 0x05);				/* syscall */
	E(0x89, 0xc7);					/* mov edi, eax */
	E(0x89, 0xc6);					/* mov esi, eax */
	s2 = E(0x0f, 0x05);				/* syscall */
	E(0xc3);					/* ret */
	struct k23_func_range fr = { f, here() };
	scan(&fr, 1, NULL, 0);

	assert_int_equal(verified(s1, K23_SITE_SYSCALL)->strategy, K23_PLAN_JMP_STUB);
	assert_int_equal(site(s1)->patch_len, 6);
	assert_int_equal(verified(s2, K23_SITE_SYSCALL)->strategy, K23_PLAN_NONE);
}

/* On this machine's libc, with the project's ELF and .eh_frame readers. */
static void test_real_libc(void **state)
{
	(void)state;
	const char *path = "/lib/x86_64-linux-gnu/libc.so.6";
	struct k23_elf_range *ranges = NULL;
	uint64_t *pads = NULL;
	size_t nf = 0, npads = 0, nv = 0, nd = 0, np = 0;
	struct k23_code code = { 0 };
	struct k23_elf_obj o;
	const char *why;
	struct timespec t0, t1;
	uint64_t prev_end = 0;

	assert_int_equal(k23_elf_load(path, &o), K23_ELF_OK);
	assert_int_equal(k23_elf_func_ranges(&o, &ranges, &nf, &pads, &npads, &why), 0);
	for (unsigned i = 0; i < o.e.phnum; i++)
		if (o.e.ph[i].p_type == PT_LOAD && (o.e.ph[i].p_flags & PF_X))
			code = (struct k23_code){ o.data + o.e.ph[i].p_offset, o.e.ph[i].p_filesz,
						  o.e.ph[i].p_vaddr, pads, npads };
	assert_true(code.size > 0 && nf > 1000);

	k23_scan_free(&R);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(k23_scan(&code, (const struct k23_func_range *)ranges, nf, &R), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	for (size_t i = 0; i < R.nsites; i++) {
		const struct k23_site *s = &R.sites[i];
		const uint8_t *b = code.bytes + (s->vaddr - code.vaddr);

		nv += s->verify == K23_VERIFIED;
		nd += s->verify == K23_DISAGREE;
		assert_non_null(s->reason);
		if (s->verify == K23_VERIFIED)
			assert_true(b[0] == 0x0f && (b[1] == 0x05 || b[1] == 0x34));
		if (s->strategy == K23_PLAN_NONE)
			continue;
		np++;
		assert_int_equal(s->verify, K23_VERIFIED);
		assert_true(s->patch_len >= 5 && s->patch_len <= K23_PLAN_MAX_BYTES);
		assert_true(s->patch_vaddr >= prev_end);
		assert_memory_equal(s->orig, code.bytes + (s->patch_vaddr - code.vaddr), s->patch_len);
		prev_end = s->patch_vaddr + s->patch_len;
	}
	printf("# libc.so.6: %zu functions, %zu sites: %zu verified, %zu disagreeing, %zu planned; "
	       "skipped %zu in data, %zu unreached; %.0f ms\n", nf, R.nsites, nv, nd, np,
	       R.skipped_in_data, R.skipped_unreached,
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	assert_true(nv > 50);
	assert_int_equal(nd, R.disagreements);
	assert_int_equal(np, R.planned);
	free(ranges);
	free(pads);
	k23_elf_unload(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs_inside_instructions),
		cmocka_unit_test(test_data_between_functions),
		cmocka_unit_test(test_jump_table_in_function),
		cmocka_unit_test(test_absolute_table_in_function),
		cmocka_unit_test(test_constant_in_function),
		cmocka_unit_test(test_unreached_bytes_are_no_evidence),
		cmocka_unit_test(test_target_inside_patch),
		cmocka_unit_test(test_range_starting_inside_padding),
		cmocka_unit_test(test_site_at_end_of_range),
		cmocka_unit_test(test_rip_relative_after_site),
		cmocka_unit_test(test_decoders_disagree),
		cmocka_unit_test(test_fallthrough_out_of_range),
		cmocka_unit_test(test_entries_and_targets),
		cmocka_unit_test(test_indirect_jumps),
		cmocka_unit_test(test_plans_do_not_overlap),
		cmocka_unit_test(test_real_libc),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	k23_scan_free(&R);
	return rc;
}
