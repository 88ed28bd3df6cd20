/* seccomp_filter.c - the seccomp catch-all: trap every call but k23's own, judged by architecture first.
 *
 *   x86-64 (x32 numbers too)   allowed from k23's text, trapped elsewhere; k23
 *                              re-issues x32 numbers unchanged and never
 *                              dispatches them as x86-64 calls (sigsys.c)
 *   i386 (int $0x80)           allowed only from the one int $0x80 k23
 *                              re-issues the program's i386 calls with
 *                              (arch/x86_64/int80.S); trapped elsewhere
 *   any other architecture     trapped
 *
 * Written as raw BPF because it tests seccomp_data.instruction_pointer,
 * which libseccomp's rule language cannot express. tests/unit/
 * test_seccomp_filter.c runs it on synthesized seccomp_data, for
 * architectures this kernel may not be able to issue.
 */
#include <stddef.h>
#include <stdint.h>
#include <linux/seccomp.h>
#include "k23/compat.h"
#include "online/core/rt.h"
#include "online/catchall/seccomp_filter.h"

#define LD_W(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (field))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define JMP(op, k, t, f) BPF_JUMP(BPF_JMP | (op) | BPF_K, (k), (t), (f))
#define TRAP (SECCOMP_RET_TRAP | K23_SECCOMP_TRAP_DATA)
#define IP_LO offsetof(struct seccomp_data, instruction_pointer)
#define IP_HI (IP_LO + 4)

int k23_seccomp_program(struct sock_filter *out, unsigned long start, unsigned long end,
			unsigned long int80_ip)
{
	/* k23's text is far smaller than 4 GiB and aligned: one upper word. */
	if ((start >> 32) != (end >> 32) || (int80_ip >> 32) != (start >> 32))
		return -1;
	/* Jump offsets count from the next instruction. */
	const struct sock_filter code[] = {
		/*  0 */ LD_W(offsetof(struct seccomp_data, arch)),
		/*  1 */ JMP(BPF_JEQ, AUDIT_ARCH_X86_64, 1, 0),		/* -> 3, 2 */
		/*  2 */ JMP(BPF_JEQ, AUDIT_ARCH_I386, 7, 6),		/* -> 10, 9 */
		/*  3 */ LD_W(IP_HI),
		/*  4 */ JMP(BPF_JEQ, (uint32_t)(start >> 32), 0, 4),	/* -> 5, 9 */
		/*  5 */ LD_W(IP_LO),
		/*  6 */ JMP(BPF_JGE, (uint32_t)start, 0, 2),		/* -> 7, 9 */
		/*  7 */ JMP(BPF_JGT, (uint32_t)end, 1, 0),		/* -> 9, 8 */
		/*  8 */ RET(SECCOMP_RET_ALLOW),
		/*  9 */ RET(TRAP),
		/* 10 */ LD_W(IP_HI),
		/* 11 */ JMP(BPF_JEQ, (uint32_t)(int80_ip >> 32), 0, 3),	/* -> 12, 15 */
		/* 12 */ LD_W(IP_LO),
		/* 13 */ JMP(BPF_JEQ, (uint32_t)int80_ip, 0, 1),		/* -> 14, 15 */
		/* 14 */ RET(SECCOMP_RET_ALLOW),
		/* 15 */ RET(TRAP),
	};
	_Static_assert(sizeof(code) / sizeof(code[0]) <= K23_FILTER_MAX, "K23_FILTER_MAX");

	for (unsigned i = 0; i < sizeof(code) / sizeof(code[0]); i++)
		out[i] = code[i];
	return (int)(sizeof(code) / sizeof(code[0]));
}
