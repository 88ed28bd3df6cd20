/* patch_layout.h - the frame patch_entry.S builds and the stub layout stub.c writes; shared by C and assembly. */
#ifndef K23_PATCH_LAYOUT_H
#define K23_PATCH_LAYOUT_H

#define K23_ENTRY_STUB	1
#define K23_ENTRY_PAGE0	2

/* A stub's header, 16-byte aligned, right before its code:
 *   +0  the site's address after its syscall (what the kernel leaves in rcx)
 *   +8  offset from the stub's return point to its fallback code (32 bits)
 *   +16 address of k23_stub_entry, read by the stub's `call *hdr+16(%rip)`
 * The entry finds the header from its return address: the call's disp32
 * ends there. */
#define K23_STUB_HDR_NEXT	0
#define K23_STUB_HDR_FALLBACK	8
#define K23_STUB_HDR_ENTRY	16
#define K23_STUB_HDR_SIZE	24
#define K23_STUB_SLOT		128	/* bytes reserved per stub */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* What patch_entry.S pushed, lowest address first. */
struct k23_patch_frame {
	unsigned long rbx, r11, rcx, r9, r8, r10, rdx, rsi, rdi, rax;
	unsigned long kind;	/* K23_ENTRY_* */
	unsigned long rflags;
	unsigned long ret;	/* stub: its return point; page0: the site's next instruction */
};
_Static_assert(sizeof(struct k23_patch_frame) == 13 * 8, "patch_entry.S pushes 13 words");

struct k23_stub_hdr {
	uint64_t next;
	uint32_t fallback;
	uint32_t reserved;
	uint64_t entry;
};
_Static_assert(sizeof(struct k23_stub_hdr) == K23_STUB_HDR_SIZE, "stub header");

void k23_stub_entry(void);
void k23_page0_entry(void);
/* Page 0's fallback gadget (page0.c sets it). */
extern unsigned long k23_page0_gadget;
extern unsigned long k23_page0_noret;
/* The C side of patch_entry.S. */
long k23_patched_call(struct k23_patch_frame *f);
long k23_patched_refuse(struct k23_patch_frame *f);
#endif

#endif
