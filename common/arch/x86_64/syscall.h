/* syscall.h - the only place k23 issues the x86-64 `syscall` instruction inline.
 *
 * Every raw system call of the runtime and the loader goes through these seven
 * functions. They return the kernel's value unchanged: -4095..-1 is -errno.
 * The kernel clobbers rcx (return rip) and r11 (rflags); "memory" because the
 * kernel reads and writes user buffers behind the compiler's back.
 *
 * In the runtime (built freestanding) they all leave from one instruction,
 * k23_own_syscall (online/arch/x86_64/own_syscall.S), the address a
 * program's own seccomp filter lets k23's own calls through by
 * (online/catchall/own_filter.c); the calls k23 makes for the program leave
 * from others (call_raw.S). The call skips the red zone: the runtime is
 * compiled with one. Hosted code (k23 doctor, test and bench programs that
 * link common/remote/chan.c) has the instruction in place, as does any
 * file that defines K23_SYSCALL_INLINE.
 *
 * These instructions sit in the k23 image's text, which is the range exempted
 * from Syscall User Dispatch and allowed by k23's seccomp filter.
 */
#ifndef K23_ARCH_SYSCALL_H
#define K23_ARCH_SYSCALL_H

#if defined(K23_SYSCALL_INLINE) || __STDC_HOSTED__
#define K23_SYSCALL_INSN "syscall"
#else
#define K23_SYSCALL_INSN "leaq -128(%%rsp), %%rsp\n\tcall k23_own_syscall\n\tleaq 128(%%rsp), %%rsp"
#endif

static inline long k23_syscall0(long n)
{
	long ret;
	__asm__ volatile(K23_SYSCALL_INSN : "=a"(ret) : "a"(n) : "rcx", "r11", "memory");
	return ret;
}

static inline long k23_syscall1(long n, long a1)
{
	long ret;
	__asm__ volatile(K23_SYSCALL_INSN : "=a"(ret) : "a"(n), "D"(a1) : "rcx", "r11", "memory");
	return ret;
}

static inline long k23_syscall2(long n, long a1, long a2)
{
	long ret;
	__asm__ volatile(K23_SYSCALL_INSN : "=a"(ret) : "a"(n), "D"(a1), "S"(a2)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long k23_syscall3(long n, long a1, long a2, long a3)
{
	long ret;
	__asm__ volatile(K23_SYSCALL_INSN : "=a"(ret) : "a"(n), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long k23_syscall4(long n, long a1, long a2, long a3, long a4)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	__asm__ volatile(K23_SYSCALL_INSN : "=a"(ret) : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long k23_syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	__asm__ volatile(K23_SYSCALL_INSN : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long k23_syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	__asm__ volatile(K23_SYSCALL_INSN : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif
