/* decoder.h - one narrow interface over the two x86-64 decoders (capstone, zydis) that must agree. */
#ifndef K23_DECODER_H
#define K23_DECODER_H

#include <stddef.h>
#include <stdint.h>

#define K23_NOREG 0xff		/* no register in a gpr field below */

/* What the offline pass needs to know about one instruction. Both backends
 * fill it from the decoder's structured operands, never from printed text,
 * so the scanner can compare the two field by field. */
struct k23_insn {
	uint8_t length;		/* bytes; 0 when invalid */
	uint8_t invalid;	/* not an instruction (or cut off by the end of the buffer) */
	uint8_t is_syscall;	/* 0f 05 */
	uint8_t is_sysenter;	/* 0f 34 */
	uint8_t is_branch;	/* transfers control: jmp, jcc, loop, call, ret, iret, xbegin, far forms */
	uint8_t is_call;
	uint8_t is_ret;
	uint8_t is_indirect;	/* branch whose target comes from a register or memory */
	uint8_t no_fallthrough;	/* never continues with the next instruction: jmp, ret, ud2, hlt */
	uint8_t is_special;	/* int, int3, ud*, hlt, sysret, privileged: never displaced */
	uint8_t has_target;	/* direct (relative) branch: target below is valid */
	uint64_t target;

	/* The instruction's memory operand (or lea's address), when its
	 * address is known statically: rip-relative or absolute (no base). */
	uint8_t is_lea;
	uint8_t has_mem;	/* any explicit memory operand or lea */
	uint8_t mem_static;	/* mem_addr below is valid (rip-relative or no base) */
	uint8_t mem_base;	/* 64-bit gpr number 0-15 (rax=0 ... r15=15) or K23_NOREG */
	uint8_t mem_index;	/* likewise */
	uint8_t mem_scale;
	uint8_t mem_size;	/* bytes accessed; 0 for lea or when unknown */
	uint8_t lea_dst;	/* lea's destination gpr, or K23_NOREG */
	uint64_t mem_addr;	/* rip-relative: next rip + disp; absolute: disp */

	/* rip-relative addressing needs relocating when the instruction moves:
	 * the disp32 field sits at disp_offset within the instruction. */
	uint8_t rip_relative;
	uint8_t disp_offset;
	uint8_t disp_size;
};

/* A decoder backend. open() returns a handle (NULL on failure) that
 * decode() uses; decode() decodes the instruction at p (at most n bytes
 * available) as if it sat at address addr, and always fills *out: on
 * invalid bytes out->invalid is set and 0 is returned, else the length. */
struct k23_decoder {
	const char *name;
	void *(*open)(void);
	void (*close)(void *h);
	unsigned (*decode)(void *h, const uint8_t *p, size_t n, uint64_t addr, struct k23_insn *out);
};

extern const struct k23_decoder k23_decoder_capstone;
extern const struct k23_decoder k23_decoder_zydis;

#endif
