/* patch_layout.h - the frame patch_entry.S builds and the stub layout stub.c writes; shared by C and assembly. */
#ifndef K23_PATCH_LAYOUT_H
#define K23_PATCH_LAYOUT_H

#define K23_ENTRY_STUB	1
#define K23_ENTRY_PAGE0	2

/* At a stub's return point R (stub.c): `jmp R+6` over the offset from R to
 * the stub's fallback code (32 bits, at R+2), which only the full path
 * reads. The stub itself sets rcx to the site's next address. */
#define K23_STUB_META_FALLBACK	2
#define K23_STUB_META_END	6
#define K23_STUB_SLOT		128	/* bytes reserved per stub */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* What patch_entry.S pushed, lowest address first (then, for a stub, the
 * program's rsp). */
struct k23_patch_frame {
	unsigned long rbx, r11, rcx, r9, r8, r10, rdx, rsi, rdi, rax;
	unsigned long kind;	/* K23_ENTRY_* */
	unsigned long rflags;
	unsigned long ret;	/* stub: its return point (page0's lies 120 bytes higher) */
};
_Static_assert(sizeof(struct k23_patch_frame) == 13 * 8, "patch_entry.S pushes 13 words");


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
