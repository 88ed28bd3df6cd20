/* stub.h - per-site stubs: where they live (within +-2 GiB of their site) and what they hold. */
#ifndef K23_STUB_H
#define K23_STUB_H

#include <stdint.h>

/* The instructions a patch displaces, as the sidecar plans them. */
struct k23_window {
	unsigned long addr;		/* run-time address of the first replaced byte */
	const uint8_t *bytes;		/* the original bytes (len) */
	unsigned len;
	unsigned ninsns, site_index;	/* instruction site_index is the syscall */
	const uint8_t *insn_len;
	const uint8_t *disp_offset;
	unsigned rip_relative_mask;
	/* Lazy stubs leave the site's syscall in place and fall back to it;
	 * planned stubs carry a copy of it. */
	int fallback_to_site;
};

/* Memory for stubs, every byte of it within rel32 reach of [lo, hi).
 * Mapped read-write; k23_stub_seal makes it read-execute once written. */
void *k23_stub_space(unsigned long lo, unsigned long hi, unsigned long size);
/* The same at exactly a, if free there and in reach; else 0. */
void *k23_stub_space_at(unsigned long a, unsigned long lo, unsigned long hi, unsigned long size);
void k23_stub_seal(void *space, unsigned long size);

/* Writes w's stub at at (K23_STUB_SLOT bytes); returns the address the
 * site must jump to, or 0 when a displaced rip-relative operand would be
 * out of reach from there. */
unsigned long k23_stub_write(uint8_t *at, const struct k23_window *w);

/* Stub memory in use, for signal delivery (sigctx_patched.c): register
 * a space once its stubs are live; k23_stub_find gives the slot holding
 * rip, if rip lies in one. Up to 1024 spaces are known; a signal in a
 * stub of any other shows the stub's address. */
void k23_stub_register(void *space, unsigned long size);
int k23_stub_find(unsigned long rip, unsigned long *slot);

#endif
