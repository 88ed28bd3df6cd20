/* pol_bpf.c - runs the policy's seccomp BPF program on one call, in-process: complain mode and the audit log.
 *
 * The one interpreter k23 has: freestanding, so the runtime runs it here
 * and k23-prepare (which links the runtime) runs it for `check` and
 * `explain` through policy/bpf_sim.c. Asking the compiled filter itself,
 * rather than the rules it came from, makes complain mode log exactly what
 * the installed filter would deny. No static state: reentrant.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include "online/core/rtlib.h"
#include "online/policy/pol_bpf.h"

static uint32_t load_word(const struct seccomp_data *d, uint32_t off)
{
	uint32_t w = 0;

	if (off % 4 == 0 && off + 4 <= sizeof(*d))
		k23_memcpy(&w, (const char *)d + off, 4);
	return w;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_ADD: return a + v;
	case BPF_SUB: return a - v;
	case BPF_MUL: return a * v;
	case BPF_DIV: return v ? a / v : 0;
	case BPF_MOD: return v ? a % v : 0;
	case BPF_OR: return a | v;
	case BPF_AND: return a & v;
	case BPF_XOR: return a ^ v;
	case BPF_LSH: return v < 32 ? a << v : 0;
	case BPF_RSH: return v < 32 ? a >> v : 0;
	case BPF_NEG: return -a;
	}
	return a;
}

static int jump(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_JEQ: return a == v;
	case BPF_JGT: return a > v;
	case BPF_JGE: return a >= v;
	case BPF_JSET: return (a & v) != 0;
	}
	return 0;
}

/* SECCOMP_RET_KILL_PROCESS for anything the kernel would have refused to load. */
uint32_t k23_pol_bpf_run(const void *bpf, unsigned len, uint32_t arch, int nr, uint64_t ip,
			 const uint64_t args[6], unsigned *steps)
{
	const struct sock_filter *f = bpf;
	struct seccomp_data d;
	uint32_t a = 0, x = 0, m[BPF_MEMWORDS];

	k23_memset(&d, 0, sizeof(d));
	k23_memset(m, 0, sizeof(m));
	d.nr = nr;
	d.arch = arch;
	d.instruction_pointer = ip;
	k23_memcpy(d.args, args, sizeof(d.args));
	for (unsigned pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &f[pc];
		uint32_t v = BPF_SRC(i->code) == BPF_X ? x : i->k;

		if (steps)
			++*steps;
		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			a = BPF_MODE(i->code) == BPF_ABS ? load_word(&d, i->k) :
			    BPF_MODE(i->code) == BPF_IMM ? i->k :
			    BPF_MODE(i->code) == BPF_MEM && i->k < BPF_MEMWORDS ? m[i->k] :
			    BPF_MODE(i->code) == BPF_LEN ? (uint32_t)sizeof(d) : 0;
			break;
		case BPF_LDX:
			x = BPF_MODE(i->code) == BPF_IMM ? i->k :
			    BPF_MODE(i->code) == BPF_MEM && i->k < BPF_MEMWORDS ? m[i->k] :
			    BPF_MODE(i->code) == BPF_LEN ? (uint32_t)sizeof(d) : 0;
			break;
		case BPF_ST:
			if (i->k < BPF_MEMWORDS)
				m[i->k] = a;
			break;
		case BPF_STX:
			if (i->k < BPF_MEMWORDS)
				m[i->k] = x;
			break;
		case BPF_ALU:
			a = alu(BPF_OP(i->code), a, v);
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_JA)
				pc += i->k;
			else
				pc += jump(BPF_OP(i->code), a, v) ? i->jt : i->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : i->k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
	return SECCOMP_RET_KILL_PROCESS;
}
