/* own_syscall.S - the one instruction k23's own system calls leave from.
 *
 * long k23_own_syscall(void)  -- rax = number, rdi, rsi, rdx, r10, r8, r9 =
 * arguments, as the kernel takes them (common/arch/x86_64/syscall.h calls it);
 * returns the kernel's rax; clobbers rcx and r11 as the instruction does.
 *
 * A program's own seccomp filter is installed behind a prologue that lets
 * through the calls k23 makes for itself from here (k23_own_syscall_ip is
 * what the kernel reports as the instruction pointer: the address after the
 * syscall), for a fixed set of numbers (online/catchall/own_filter.c). The
 * calls k23 makes for the program never leave from here (call_raw.S,
 * clone.S, the fast path), so they stay the program filter's to judge.
 */
	.section .text.k23_own_syscall, "ax", @progbits
	.balign 16
	.globl k23_own_syscall
	.type k23_own_syscall, @function
k23_own_syscall:
	syscall
	.globl k23_own_syscall_ip
k23_own_syscall_ip:
	ret
	.size k23_own_syscall, .-k23_own_syscall
	.section .note.GNU-stack,"",@progbits
