/* clone.S - issuing clone/clone3 so that a child on a new stack is armed before it runs program code.
 *
 * A child created with a new stack returns from the syscall instruction below,
 * inside k23's text, with rsp at the new stack - where the parent left a
 * struct k23_regs (regs.h). It arms itself in C (k23_clone_child) and then
 * k23_resume loads the program's registers as a native clone would have left
 * them in the child (rax 0, rcx = rip, r11 = rflags) and jumps to the program.
 */
#include "regs.h"

	.text
/* long k23_clone_raw(long nr, long a0, long a1, long a2, long a3, long a4) */
	.globl k23_clone_raw
	.type k23_clone_raw, @function
k23_clone_raw:
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	movq %r8, %r10
	movq %r9, %r8
	syscall
	testq %rax, %rax
	jz 1f
	ret
1:	movq %rsp, %rdi		/* the snapshot the parent placed */
	xorl %ebp, %ebp
	call k23_clone_child	/* does not return */
	hlt
	.size k23_clone_raw, .-k23_clone_raw

/* noreturn void k23_resume(const struct k23_regs *r) */
	.globl k23_resume
	.type k23_resume, @function
k23_resume:
	movq %rdi, %r11
	cmpq $0, K23_REG_HAS_FX(%r11)
	je 2f
	movq K23_REG_XFEATURES(%r11), %rax
	testq %rax, %rax
	jz 1f
	movq %rax, %rdx
	shrq $32, %rdx
	xrstor K23_REG_FX(%r11)		/* x87, SSE, AVX, AVX-512, ... as in the parent */
	jmp 2f
1:	fxrstor K23_REG_FX(%r11)
2:	pushq K23_REG_RFLAGS(%r11)
	popfq
	movq K23_REG_RAX(%r11), %rax
	movq K23_REG_RBX(%r11), %rbx
	movq K23_REG_RDX(%r11), %rdx
	movq K23_REG_RSI(%r11), %rsi
	movq K23_REG_RDI(%r11), %rdi
	movq K23_REG_RBP(%r11), %rbp
	movq K23_REG_R8(%r11), %r8
	movq K23_REG_R9(%r11), %r9
	movq K23_REG_R10(%r11), %r10
	movq K23_REG_R12(%r11), %r12
	movq K23_REG_R13(%r11), %r13
	movq K23_REG_R14(%r11), %r14
	movq K23_REG_R15(%r11), %r15
	movq K23_REG_RIP(%r11), %rcx
	movq K23_REG_RSP(%r11), %rsp
	movq K23_REG_RFLAGS(%r11), %r11
	jmp *%rcx
	.size k23_resume, .-k23_resume

/* noreturn void k23_unmap_exit(void *addr, unsigned long size, long code)
 * A thread frees the area it runs on and exits: registers only. */
	.text
	.globl k23_unmap_exit
	.type k23_unmap_exit, @function
k23_unmap_exit:
	movq %rdx, %r12
	movl $11, %eax		/* __NR_munmap */
	syscall
	.globl k23_unmap_exit_munmap_ip	/* k23's own: own_filter.c */
k23_unmap_exit_munmap_ip:
	movq %r12, %rdi
	movl $60, %eax		/* __NR_exit */
	syscall
	.globl k23_unmap_exit_exit_ip
k23_unmap_exit_exit_ip:
	hlt
	.size k23_unmap_exit, .-k23_unmap_exit
	.section .note.GNU-stack,"",@progbits
