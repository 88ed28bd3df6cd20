/* decode_capstone.c - the capstone backend of decoder.h, from capstone's detail mode (groups, operands, encoding). */
#include <capstone/capstone.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"

struct cs_handle {
	csh h;
	cs_insn *insn;		/* reused: cs_disasm_iter decodes into it without allocating */
};

static void *cs_backend_open(void)
{
	struct cs_handle *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &c->h) != CS_ERR_OK) {
		free(c);
		return NULL;
	}
	/* Detail mode is what gives operands and the encoding offsets. */
	if (cs_option(c->h, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK ||
	    !(c->insn = cs_malloc(c->h))) {
		cs_close(&c->h);
		free(c);
		return NULL;
	}
	return c;
}

static void cs_backend_close(void *h)
{
	struct cs_handle *c = h;

	if (!c)
		return;
	cs_free(c->insn, 1);
	cs_close(&c->h);
	free(c);
}

/* 64-bit general registers as 0-15, the numbering both backends share. */
static uint8_t gpr(x86_reg r)
{
	static const x86_reg map[16] = {
		X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX,
		X86_REG_RSP, X86_REG_RBP, X86_REG_RSI, X86_REG_RDI,
		X86_REG_R8, X86_REG_R9, X86_REG_R10, X86_REG_R11,
		X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15,
	};

	for (uint8_t i = 0; i < 16; i++)
		if (map[i] == r)
			return i;
	return K23_NOREG;
}

static int in_group(const cs_detail *d, uint8_t g)
{
	for (uint8_t i = 0; i < d->groups_count; i++)
		if (d->groups[i] == g)
			return 1;
	return 0;
}

static void classify(const cs_insn *in, struct k23_insn *o)
{
	const cs_detail *d = in->detail;
	int jump = in_group(d, X86_GRP_JUMP), call = in_group(d, X86_GRP_CALL);
	int ret = in_group(d, X86_GRP_RET), iret = in_group(d, X86_GRP_IRET);

	o->is_syscall = in->id == X86_INS_SYSCALL;
	o->is_sysenter = in->id == X86_INS_SYSENTER;
	o->is_call = call;
	o->is_ret = ret;
	/* xbegin's abort address is a branch target like any jcc's. */
	o->is_branch = jump || call || ret || iret || in_group(d, X86_GRP_BRANCH_RELATIVE) ||
		       in->id == X86_INS_XBEGIN;
	switch (in->id) {
	case X86_INS_JMP: case X86_INS_LJMP: case X86_INS_RET: case X86_INS_RETF:
	case X86_INS_RETFQ: case X86_INS_IRET: case X86_INS_IRETD: case X86_INS_IRETQ:
	case X86_INS_UD0: case X86_INS_UD2: case X86_INS_UD2B: case X86_INS_HLT:
		o->no_fallthrough = 1;
		break;
	default:
		break;
	}
	o->is_special = in_group(d, X86_GRP_INT) || iret || in_group(d, X86_GRP_PRIVILEGE) ||
			in->id == X86_INS_UD0 || in->id == X86_INS_UD2 || in->id == X86_INS_UD2B ||
			in->id == X86_INS_HLT || in->id == X86_INS_SYSRET || in->id == X86_INS_SYSEXIT;
}

static void operands(const cs_insn *in, struct k23_insn *o)
{
	const cs_x86 *x = &in->detail->x86;
	uint64_t next = in->address + in->size;

	o->is_lea = in->id == X86_INS_LEA;
	for (uint8_t i = 0; i < x->op_count; i++) {
		const cs_x86_op *op = &x->operands[i];

		if (op->type == X86_OP_IMM && !o->is_ret &&
		    (in_group(in->detail, X86_GRP_BRANCH_RELATIVE) || in->id == X86_INS_XBEGIN)) {
			/* capstone already resolves relative branches to absolute targets */
			o->has_target = 1;
			o->target = (uint64_t)op->imm;
		} else if ((op->type == X86_OP_REG || op->type == X86_OP_MEM) && i == 0 &&
			   (o->is_branch && !o->is_ret)) {
			o->is_indirect = 1;
		}
		if (op->type == X86_OP_REG && o->is_lea && i == 0)
			o->lea_dst = gpr(op->reg);
		if (op->type != X86_OP_MEM)
			continue;
		o->has_mem = 1;
		o->mem_base = gpr(op->mem.base);
		o->mem_index = gpr(op->mem.index);
		o->mem_scale = (uint8_t)op->mem.scale;
		o->mem_size = o->is_lea ? 0 : op->size;
		if (op->mem.base == X86_REG_RIP) {
			o->mem_static = 1;
			o->mem_addr = next + (uint64_t)op->mem.disp;
			o->rip_relative = 1;
			o->disp_offset = x->encoding.disp_offset;
			/* always 32 bits in 64-bit mode; capstone 4 says 2 for
			 * some SSE forms with a 66 prefix (movdqa xmm0, [rip + X]) */
			o->disp_size = 4;
		} else if (op->mem.base == X86_REG_INVALID && op->mem.segment != X86_REG_FS &&
			   op->mem.segment != X86_REG_GS) {
			/* fs:/gs: addresses are thread-relative, not addresses in the image */
			o->mem_static = 1;
			o->mem_addr = (uint64_t)op->mem.disp;
		}
	}
}

static unsigned cs_backend_decode(void *h, const uint8_t *p, size_t n, uint64_t addr,
				  struct k23_insn *o)
{
	struct cs_handle *c = h;
	const uint8_t *code = p;
	size_t size = n;
	uint64_t a = addr;

	memset(o, 0, sizeof(*o));
	o->mem_base = o->mem_index = o->lea_dst = K23_NOREG;
	if (!cs_disasm_iter(c->h, &code, &size, &a, c->insn)) {
		o->invalid = 1;
		return 0;
	}
	o->length = (uint8_t)c->insn->size;
	classify(c->insn, o);
	operands(c->insn, o);
	return o->length;
}

const struct k23_decoder k23_decoder_capstone = {
	.name = "capstone",
	.open = cs_backend_open,
	.close = cs_backend_close,
	.decode = cs_backend_decode,
};
