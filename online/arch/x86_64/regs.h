/* regs.h - the register snapshot a new thread resumes from; shared by C and clone.S. */
#ifndef K23_REGS_H
#define K23_REGS_H

#define K23_REG_RAX 0
#define K23_REG_RBX 8
#define K23_REG_RCX 16
#define K23_REG_RDX 24
#define K23_REG_RSI 32
#define K23_REG_RDI 40
#define K23_REG_RBP 48
#define K23_REG_RSP 56
#define K23_REG_R8 64
#define K23_REG_R9 72
#define K23_REG_R10 80
#define K23_REG_R11 88
#define K23_REG_R12 96
#define K23_REG_R13 104
#define K23_REG_R14 112
#define K23_REG_R15 120
#define K23_REG_RIP 128
#define K23_REG_RFLAGS 136
#define K23_REG_XFEATURES 144	/* 0: fx holds a legacy fxsave image; else xrstor mask */
#define K23_REG_HAS_FX 152	/* fx holds a state image to restore */
#define K23_REG_FX 192		/* 64-aligned, so the block can be 64-aligned */
#define K23_XSTATE_MAX 4096	/* room for AVX-512 (2.5 KiB) and then some */
#define K23_REGS_SIZE (192 + K23_XSTATE_MAX)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct k23_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t xfeatures;	/* xrstor's feature mask; 0 for fxrstor */
	uint64_t has_fx;	/* fx holds a state image to restore */
	uint64_t flags;		/* clone flags, for the child's set-up */
	uint64_t sigmask;	/* the program's signal mask, for the child */
	uint64_t sigsys_blocked; /* the program's view of SIGSYS in it */
	uint64_t area;		/* the k23 area the child makes its own, or 0 */
	uint8_t fx[K23_XSTATE_MAX] __attribute__((aligned(64)));
};

_Static_assert(offsetof(struct k23_regs, rax) == K23_REG_RAX, "rax");
_Static_assert(offsetof(struct k23_regs, rcx) == K23_REG_RCX, "rcx");
_Static_assert(offsetof(struct k23_regs, rsp) == K23_REG_RSP, "rsp");
_Static_assert(offsetof(struct k23_regs, r8) == K23_REG_R8, "r8");
_Static_assert(offsetof(struct k23_regs, r15) == K23_REG_R15, "r15");
_Static_assert(offsetof(struct k23_regs, rip) == K23_REG_RIP, "rip");
_Static_assert(offsetof(struct k23_regs, rflags) == K23_REG_RFLAGS, "rflags");
_Static_assert(offsetof(struct k23_regs, xfeatures) == K23_REG_XFEATURES, "xfeatures");
_Static_assert(offsetof(struct k23_regs, has_fx) == K23_REG_HAS_FX, "has_fx");
_Static_assert(offsetof(struct k23_regs, fx) == K23_REG_FX, "fx");
_Static_assert(sizeof(struct k23_regs) == K23_REGS_SIZE, "size");

/* clone.S */
long k23_clone_raw(long nr, long a0, long a1, long a2, long a3, long a4);
__attribute__((noreturn)) void k23_resume(const struct k23_regs *r);
#endif

#endif
