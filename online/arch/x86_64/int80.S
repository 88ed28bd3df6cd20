/* int80.S - the one int $0x80 k23 re-issues a program's i386 system calls with.
 *
 * long k23_int80(const long regs[7])   regs: eax, ebx, ecx, edx, esi, edi, ebp
 *
 * A program's `int $0x80` (i386 ABI, allowed by kernels with IA32 emulation)
 * traps like any call, with si_arch AUDIT_ARCH_I386: it must be made as the
 * i386 call it is, never dispatched as the x86-64 call of the same number.
 * The seccomp filter allows i386 calls from k23_int80_ip only
 * (seccomp_filter.c).
 */
	.text
	.globl k23_int80
	.type k23_int80, @function
k23_int80:
	pushq %rbx
	pushq %rbp
	movq %rdi, %r11
	movq 0(%r11), %rax
	movq 8(%r11), %rbx
	movq 16(%r11), %rcx
	movq 24(%r11), %rdx
	movq 32(%r11), %rsi
	movq 40(%r11), %rdi
	movq 48(%r11), %rbp
	int $0x80
	.globl k23_int80_ip
k23_int80_ip:
	popq %rbp
	popq %rbx
	ret
	.size k23_int80, .-k23_int80
	.section .note.GNU-stack,"",@progbits
