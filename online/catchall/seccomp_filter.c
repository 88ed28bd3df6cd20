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
 * Two shapes of the x86-64 part:
 *   every call     (--catch-all=seccomp, both) the address test above runs
 *                  for every call: the filter is the catch-all itself;
 *   by number      (the default, hybrid: SUD is the catch-all and this is its
 *                  backstop) the address test runs only for the calls in
 *                  k23_filter_checked[], which could put a thread or an
 *                  image out of SUD's reach (docs/architecture.md, "The
 *                  backstop filter"); every other x86-64 number is allowed
 *                  on its number alone. Such a verdict depends on nothing but
 *                  the number and the architecture, so the kernel's action
 *                  cache (Linux 5.11, seccomp_cache_prepare) answers it from
 *                  a bitmap without running the filter at all: that is why
 *                  the way to that ALLOW loads only nr and arch.
 *
 * Written as raw BPF because it tests seccomp_data.instruction_pointer,
 * which libseccomp's rule language cannot express (and the runtime has no
 * libc). tests/unit/test_seccomp_filter.c runs it on synthesized
 * seccomp_data, for architectures this kernel may not be able to issue, and
 * runs the kernel's cacheability emulation on it for every number.
 */
#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>
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
#define X32_BIT 0x40000000U

/* The calls the by-number filter still judges by address. Why these and why
 * every other number may pass on its number: docs/architecture.md, "The
 * backstop filter". Numbers only: a test of an argument would make the
 * number uncacheable just the same, and a mask or a path cannot be read. */
const int k23_filter_checked[] = {
	/* a new task starts without SUD (k23 arms it before its first
	 * program instruction) */
	__NR_clone, __NR_clone3, __NR_fork, __NR_vfork,
	/* a new image starts without SUD (k23 starts its own loader) */
	__NR_execve, __NR_execveat,
	/* SUD switched off: for the caller, or by a tracer for its tracee;
	 * ptrace also writes another task's text (POKETEXT) */
	__NR_prctl, __NR_ptrace,
	/* the filter stack itself */
	__NR_seccomp,
	/* what runs at k23's exempt addresses */
	__NR_mmap, __NR_mprotect, __NR_pkey_mprotect, __NR_munmap, __NR_mremap,
	__NR_madvise, __NR_shmat, __NR_remap_file_pages,
	/* where SIGSYS goes: its handler, the stack its frames land on */
	__NR_rt_sigaction, __NR_sigaltstack,
};
const int k23_filter_nchecked = sizeof(k23_filter_checked) / sizeof(k23_filter_checked[0]);

int k23_seccomp_program(struct sock_filter *out, unsigned long start, unsigned long end,
			unsigned long int80_ip, int by_number)
{
	/* Jump offsets count from the next instruction. The x86-64 part is
	 * the number test (by_number: LD nr, JGE x32, one JEQ per checked
	 * call, RET), then the address test at `ip`, then the i386 part at
	 * `i386`; each jump is written as the distance to one of them. */
	int nnum = by_number ? 3 + k23_filter_nchecked : 0;
	int ip = 3 + nnum, i386 = ip + 7;
	int n = 0, k;

	/* k23's text is far smaller than 4 GiB and aligned: one upper word. */
	if ((start >> 32) != (end >> 32) || (int80_ip >> 32) != (start >> 32))
		return -1;
	out[n++] = (struct sock_filter)LD_W(offsetof(struct seccomp_data, arch));
	out[n++] = (struct sock_filter)JMP(BPF_JEQ, AUDIT_ARCH_X86_64, 1, 0);
	out[n] = (struct sock_filter)JMP(BPF_JEQ, AUDIT_ARCH_I386, (uint8_t)(i386 - n - 1),
					 (uint8_t)(ip + 6 - n - 1));	/* -> i386, TRAP */
	n++;
	if (by_number) {
		out[n++] = (struct sock_filter)LD_W(offsetof(struct seccomp_data, nr));
		out[n] = (struct sock_filter)JMP(BPF_JGE, X32_BIT, (uint8_t)(ip - n - 1), 0);
		n++;
		for (k = 0; k < k23_filter_nchecked; k++, n++)
			out[n] = (struct sock_filter)JMP(BPF_JEQ, (uint32_t)k23_filter_checked[k],
							 (uint8_t)(ip - n - 1), 0);
		out[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	}
	/* ip: */
	out[n++] = (struct sock_filter)LD_W(IP_HI);
	out[n++] = (struct sock_filter)JMP(BPF_JEQ, (uint32_t)(start >> 32), 0, 4);	/* -> TRAP */
	out[n++] = (struct sock_filter)LD_W(IP_LO);
	out[n++] = (struct sock_filter)JMP(BPF_JGE, (uint32_t)start, 0, 2);		/* -> TRAP */
	out[n++] = (struct sock_filter)JMP(BPF_JGT, (uint32_t)end, 1, 0);		/* -> TRAP, ALLOW */
	out[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	out[n++] = (struct sock_filter)RET(TRAP);
	/* i386: */
	out[n++] = (struct sock_filter)LD_W(IP_HI);
	out[n++] = (struct sock_filter)JMP(BPF_JEQ, (uint32_t)(int80_ip >> 32), 0, 3);	/* -> TRAP */
	out[n++] = (struct sock_filter)LD_W(IP_LO);
	out[n++] = (struct sock_filter)JMP(BPF_JEQ, (uint32_t)int80_ip, 0, 1);		/* -> TRAP */
	out[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	out[n++] = (struct sock_filter)RET(TRAP);
	return n;
}
