/* enter.S - the last instructions of k23 before the program's first: place its stack and jump.
 *
 * noreturn void k23_enter(image %rdi, size %rsi, sp %rdx, entry %rcx)
 *
 * Runs without touching memory through rsp: the copy may overwrite the very
 * stack k23 was running on. Registers are cleared as the kernel leaves them
 * at process start; rdx = 0 tells a static program there is no rtld_fini.
 */
	.section .text.k23_enter, "ax", @progbits
	.globl k23_enter
	.type k23_enter, @function
k23_enter:
	movq %rcx, %r11		/* entry */
	movq %rdx, %r10		/* sp */
	movq %rsi, %rcx
	movq %rdi, %rsi
	movq %rdx, %rdi
	cld
	rep movsb
	movq %r10, %rsp
	/* Under a tracer running under k23: stop here, so that it can show
	 * the exec at the program's first instruction (online/ptrace/ptrace_tracer.c). */
	cmpl $0, k23_ptrace_shared+24(%rip)	/* .entry_trap */
	je 1f
	int3
	.globl k23_enter_trap_ip
k23_enter_trap_ip:
1:	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	pushq %r11
	xorl %r11d, %r11d
	ret
	.size k23_enter, .-k23_enter
	.section .note.GNU-stack,"",@progbits
