/* policy_attack.h - what the policy test programs share (policy_attack_*.c, policy_calls.c, policy_net.c, policy_openat.c): system calls made through an instruction of the attacker's choosing.
 *
 * A hostile program under k23 does not have to call through libc's
 * (patched) sites. It can
 *   - jump to a `syscall; ret` inside k23's own text (HOW "text:ADDR", ADDR
 *     in hex, found with objdump): the catch-all exempts k23's text, so
 *     the call goes straight to the kernel, past k23's dispatcher;
 *   - write `syscall; ret` into a fresh RWX page of its own and call it
 *     (HOW "rwx"): code k23 never saw and never patched;
 *   - or call libc (HOW "libc"), the ordinary way, for comparison.
 * Only a kernel layer without an instruction-pointer exemption (the
 * policy's seccomp filter, Landlock) binds all three alike.
 */
#ifndef POLICY_ATTACK_H
#define POLICY_ATTACK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static unsigned long attack_gadget;	/* 0: libc's syscall() */

/* HOW -> attack_gadget; 0 on success. */
__attribute__((unused)) static int attack_how(const char *how)
{
	if (!strcmp(how, "libc")) {
		attack_gadget = 0;
	} else if (!strncmp(how, "text:", 5)) {
		attack_gadget = strtoul(how + 5, NULL, 16);
	} else if (!strcmp(how, "rwx")) {
		unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return perror("mmap rwx"), -1;
		p[0] = 0x0f; p[1] = 0x05; p[2] = 0xc3;	/* syscall; ret */
		attack_gadget = (unsigned long)p;
	} else {
		return fprintf(stderr, "HOW: libc, text:ADDR or rwx, not %s\n", how), -1;
	}
	return 0;
}

/* One call through a given `syscall; ret` pair: -errno or the result. 128
 * bytes below rsp first, so the return address `call` pushes lands outside
 * the compiler's red zone. */
static long raw_at(unsigned long at, long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("sub $128, %%rsp\n\tcall *%[at]\n\tadd $128, %%rsp"
			 : "=a"(ret), "+r"(r10), "+r"(r8), "+r"(r9)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), [at] "b"(at)
			 : "rcx", "r11", "memory", "cc");
	return ret;
}

__attribute__((unused)) static long attack_call(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	long r;

	if (attack_gadget)
		return raw_at(attack_gadget, nr, a0, a1, a2, a3, a4, a5);
	r = syscall(nr, a0, a1, a2, a3, a4, a5);
	return r < 0 ? -errno : r;
}

__attribute__((unused)) static const char *attack_err(long r)
{
	static char buf[32];

	switch (-r) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case ECONNREFUSED: return "ECONNREFUSED";
	default:
		snprintf(buf, sizeof(buf), "errno %ld", -r);
		return buf;
	}
}

#endif
