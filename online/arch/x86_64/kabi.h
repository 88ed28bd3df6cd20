/* kabi.h - x86-64 kernel structures the runtime reads and writes (signal frame, sigaction).
 *
 * Defined here rather than taken from glibc's headers because the runtime is
 * freestanding and must see the kernel's layout, not libc's (libc's sigset_t
 * is 128 bytes, the kernel's is 8).
 */
#ifndef K23_KABI_H
#define K23_KABI_H

#include <stddef.h>
#include <stdint.h>
#include <asm/sigcontext.h>
#include "kstack.h"

typedef uint64_t k23_sigset_t;

#define K23_SIGBIT(sig) (1UL << ((sig) - 1))


struct k23_ucontext {
	unsigned long uc_flags;
	struct k23_ucontext *uc_link;
	struct k23_stack uc_stack;
	struct sigcontext uc_mcontext;
	k23_sigset_t uc_sigmask;
};

struct k23_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int pad0;
	union {
		struct {
			void *call_addr;
			int syscall;
			unsigned int arch;
		} sigsys;
		char pad[128 - 16];
	} u;
};
_Static_assert(sizeof(struct k23_siginfo) == 128, "siginfo is 128 bytes");
_Static_assert(offsetof(struct k23_siginfo, u.sigsys.syscall) == 24, "si_syscall offset");

/* The kernel's struct sigaction for rt_sigaction (no libc reordering). */
struct k23_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	k23_sigset_t mask;
};

#define K23_SA_SIGINFO 0x00000004UL
#define K23_SA_ONSTACK 0x08000000UL
#define K23_SA_RESTART 0x10000000UL
#define K23_SA_NODEFER 0x40000000UL
#define K23_SA_RESTORER 0x04000000UL

#endif
