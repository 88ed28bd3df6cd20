/* decode_zydis.c - the zydis backend of decoder.h, from ZydisDecoderDecodeFull's instruction and operands. */
#include <Zydis/Zydis.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"

static void *zy_open(void)
{
	ZydisDecoder *d = malloc(sizeof(*d));

	if (d && ZYAN_FAILED(ZydisDecoderInit(d, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64))) {
		free(d);
		return NULL;
	}
	return d;
}

static void zy_close(void *h)
{
	free(h);
}

/* 64-bit general registers as 0-15, the numbering both backends share. */
static uint8_t gpr(ZydisRegister r)
{
	if (r >= ZYDIS_REGISTER_RAX && r <= ZYDIS_REGISTER_R15)
		return (uint8_t)(r - ZYDIS_REGISTER_RAX);
	return K23_NOREG;
}

static void classify(const ZydisDecodedInstruction *in, struct k23_insn *o)
{
	ZydisInstructionCategory cat = in->meta.category;
	ZydisMnemonic m = in->mnemonic;
	int iret = m == ZYDIS_MNEMONIC_IRET || m == ZYDIS_MNEMONIC_IRETD || m == ZYDIS_MNEMONIC_IRETQ;
	int ud = m == ZYDIS_MNEMONIC_UD0 || m == ZYDIS_MNEMONIC_UD1 || m == ZYDIS_MNEMONIC_UD2;

	o->is_syscall = m == ZYDIS_MNEMONIC_SYSCALL;
	o->is_sysenter = m == ZYDIS_MNEMONIC_SYSENTER;
	o->is_call = cat == ZYDIS_CATEGORY_CALL;
	o->is_ret = cat == ZYDIS_CATEGORY_RET;
	o->is_branch = cat == ZYDIS_CATEGORY_COND_BR || cat == ZYDIS_CATEGORY_UNCOND_BR ||
		       o->is_call || o->is_ret || iret || m == ZYDIS_MNEMONIC_XBEGIN ||
		       in->meta.branch_type != ZYDIS_BRANCH_TYPE_NONE;
	/* zydis files xabort under UNCOND_BR, but outside a transaction it
	 * does nothing and execution goes on */
	o->no_fallthrough = (cat == ZYDIS_CATEGORY_UNCOND_BR && m != ZYDIS_MNEMONIC_XABORT) ||
			    o->is_ret || iret || ud || m == ZYDIS_MNEMONIC_HLT;
	o->is_special = cat == ZYDIS_CATEGORY_INTERRUPT || cat == ZYDIS_CATEGORY_SYSCALL ||
			cat == ZYDIS_CATEGORY_SYSRET || iret || ud || m == ZYDIS_MNEMONIC_HLT ||
			m == ZYDIS_MNEMONIC_SYSEXIT ||
			(in->attributes & ZYDIS_ATTRIB_IS_PRIVILEGED);
}

static void memory(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *op,
		   uint64_t addr, struct k23_insn *o)
{
	ZyanU64 a;

	o->has_mem = 1;
	o->mem_base = gpr(op->mem.base);
	o->mem_index = gpr(op->mem.index);
	o->mem_scale = op->mem.scale;
	o->mem_size = o->is_lea ? 0 : (uint8_t)(op->size / 8);
	if (op->mem.base == ZYDIS_REGISTER_RIP) {
		if (ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(in, op, addr, &a))) {
			o->mem_static = 1;
			o->mem_addr = a;
		}
		o->rip_relative = 1;
		o->disp_offset = in->raw.disp.offset;
		o->disp_size = in->raw.disp.size / 8;	/* zydis counts bits */
	} else if (op->mem.base == ZYDIS_REGISTER_NONE && op->mem.segment != ZYDIS_REGISTER_FS &&
		   op->mem.segment != ZYDIS_REGISTER_GS) {
		/* fs:/gs: addresses are thread-relative, not addresses in the
		 * image. With an index register only the displacement is
		 * static; zydis then computes nothing, so take it as it is. */
		o->mem_static = 1;
		o->mem_addr = (uint64_t)op->mem.disp.value;
		if (op->mem.index == ZYDIS_REGISTER_NONE &&
		    ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(in, op, addr, &a)))
			o->mem_addr = a;	/* truncated to 32 bits under a 67 prefix */
	}
}

static void operands(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops,
		     uint64_t addr, struct k23_insn *o)
{
	o->is_lea = in->mnemonic == ZYDIS_MNEMONIC_LEA;
	/* Hidden operands are implicit (rsp for push, rsi/rdi for movs): the
	 * visible ones are what the instruction encodes. */
	for (uint8_t i = 0; i < in->operand_count_visible; i++) {
		const ZydisDecodedOperand *op = &ops[i];
		ZyanU64 t;

		if (op->type == ZYDIS_OPERAND_TYPE_IMMEDIATE && op->imm.is_relative &&
		    ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(in, op, addr, &t))) {
			o->has_target = 1;
			o->target = t;
		} else if ((op->type == ZYDIS_OPERAND_TYPE_REGISTER ||
			    op->type == ZYDIS_OPERAND_TYPE_MEMORY) && i == 0 &&
			   o->is_branch && !o->is_ret) {
			o->is_indirect = 1;
		}
		if (op->type == ZYDIS_OPERAND_TYPE_REGISTER && o->is_lea && i == 0)
			o->lea_dst = gpr(op->reg.value);
		if (op->type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    (op->mem.type == ZYDIS_MEMOP_TYPE_MEM || op->mem.type == ZYDIS_MEMOP_TYPE_AGEN ||
		     op->mem.type == ZYDIS_MEMOP_TYPE_MIB || op->mem.type == ZYDIS_MEMOP_TYPE_VSIB))
			memory(in, op, addr, o);
	}
}

static unsigned zy_decode(void *h, const uint8_t *p, size_t n, uint64_t addr, struct k23_insn *o)
{
	ZydisDecodedInstruction in;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];

	memset(o, 0, sizeof(*o));
	o->mem_base = o->mem_index = o->lea_dst = K23_NOREG;
	if (ZYAN_FAILED(ZydisDecoderDecodeFull(h, p, n, &in, ops))) {
		o->invalid = 1;
		return 0;
	}
	o->length = in.length;
	classify(&in, o);
	operands(&in, ops, addr, o);
	return o->length;
}

const struct k23_decoder k23_decoder_zydis = {
	.name = "zydis",
	.open = zy_open,
	.close = zy_close,
	.decode = zy_decode,
};
