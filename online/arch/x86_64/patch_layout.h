/* patch_layout.h - the frame patch_entry.S builds and the stub layout stub.c writes; shared by C and assembly. */
#ifndef K23_PATCH_LAYOUT_H
#define K23_PATCH_LAYOUT_H

/* The frame's kind word; distinct values, so that a live stub frame can
 * be told from stale stack contents (sigctx.c), and cleared on exit. */
#define K23_ENTRY_STUB	0x6b325301
#define K23_ENTRY_PAGE0	0x6b325302

/* At a stub's return point R (stub.c): `jmp R+6` over the offset from R to
 * the stub's fallback code (32 bits, at R+2), which only the full path
 * reads. The stub itself sets rcx to the site's next address. */
#define K23_STUB_META_FALLBACK	2
#define K23_STUB_META_END	6
#define K23_STUB_SLOT		128	/* bytes reserved per stub */
/* From a stub's `lea R(%rip),%rcx` to R (lea 7, movabs 10, jmp *%r11 3). */
#define K23_STUB_LEA_TO_R	20
/*
 * After the meta, `lea next(%rip),%rcx` and a 3-byte nop set rcx to the
 * site's next address: relative, so a stub's bytes depend only on its
 * distance from the site (and on k23_stub_entry, whose address is fixed
 * in k23's image), and a stub area written once can be mapped from the
 * sidecar cache in any process (online/patch/prepatched.c). From R to
 * that lea's rel32, and to the end of the lea (what the rel32 counts
 * from); the instructions after the syscall start at R + 16. */
#define K23_STUB_NEXT_REL	9
#define K23_STUB_NEXT_END	13
#define K23_STUB_POST		16

#ifndef __ASSEMBLER__
#include <stdint.h>

/* What patch_entry.S pushed, lowest address first (then, for a stub, the
 * program's rsp). */
struct k23_patch_frame {
	unsigned long call;	/* the struct k23_call being made, once k23_patched_call set it */
	unsigned long rbp, r12, r13, r14, r15;
	unsigned long rbx, r11, rcx, r9, r8, r10, rdx, rsi, rdi, rax;
	unsigned long kind;	/* K23_ENTRY_*, 0 once the frame is left */
	unsigned long rflags;
	unsigned long ret;	/* stub: its return point (page0's lies 120 bytes higher) */
};
_Static_assert(sizeof(struct k23_patch_frame) == 19 * 8, "patch_entry.S pushes 19 words");


void k23_stub_entry(void);
/* Where k23_stub_entry goes: claiming a level of the private stack, or
 * (k23_stub_trap) to the stub's fallback once the program owns %gs. */
extern unsigned long k23_stub_go;
void k23_stub_trap(void);
void k23_page0_entry(void);
/* Page 0's fallback gadget (page0.c sets it). */
extern unsigned long k23_page0_gadget;
extern unsigned long k23_page0_noret;
/* The C side of patch_entry.S. */
long k23_patched_call(struct k23_patch_frame *f);
long k23_patched_refuse(struct k23_patch_frame *f);
#endif

#endif
