/* patch_segend.S - a syscall site in the last bytes of an executable segment (static, no libc).
 *
 *   patch_segend [K]      K SIGUSR1 deliveries (default 100; K < 10000)
 *
 * The last instruction of .text - and of the program's only executable
 * segment, which holds nothing else - is the signal restorer
 *	restorer: mov $__NR_rt_sigreturn,%eax; syscall
 * (the shape of glibc's __restore_rt, and the shape k23 patches lazily).
 * Nothing follows it: a patch may not extend past it, and it never falls
 * through, since rt_sigreturn does not return. The program installs a
 * SIGUSR1 handler with that restorer (SA_RESTORER), sends itself K signals
 * with tgkill and counts the handler's runs; each handler run makes one
 * getppid. It prints "handled N of K" and exits 0 when N == K. Last, it
 * writes the restorer's 7 bytes as they are in memory to fd 3 (if open).
 */
#include <asm/unistd.h>

#define SIGUSR1		10
#define SA_RESTORER	0x04000000

	.section .bss
	.align 8
handled:	.quad 0
target:		.quad 0
	.align 8
/* struct kernel_sigaction: handler, flags, restorer, mask */
act:		.space 32
	.section .data
msg:		.ascii "handled "
num:		.ascii "0000 of "
knum:		.ascii "0000\n"
msg_end:

	.text
	.globl _start
	.type _start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip
	/* K from argv[1] (decimal), default 100 */
	mov $100, %r15
	mov (%rsp), %rcx		/* argc */
	cmp $2, %rcx
	jb 2f
	mov 16(%rsp), %rsi		/* argv[1] */
	xor %r15, %r15
1:	movzbl (%rsi), %eax
	sub $'0', %eax
	cmp $9, %eax
	ja 2f
	imul $10, %r15, %r15
	add %rax, %r15
	inc %rsi
	jmp 1b
2:	mov %r15, target(%rip)

	/* rt_sigaction(SIGUSR1, &act, NULL, 8) */
	lea handler(%rip), %rax
	mov %rax, act(%rip)
	movq $SA_RESTORER, act+8(%rip)
	lea restorer(%rip), %rax
	mov %rax, act+16(%rip)
	mov $__NR_rt_sigaction, %eax
	mov $SIGUSR1, %edi
	lea act(%rip), %rsi
	xor %edx, %edx
	mov $8, %r10d
	syscall
	test %rax, %rax
	jnz fail

	/* K times tgkill(getpid(), gettid(), SIGUSR1) */
	mov $__NR_getpid, %eax
	syscall
	mov %rax, %r12
	mov $__NR_gettid, %eax
	syscall
	mov %rax, %r13
	mov target(%rip), %r14
3:	test %r14, %r14
	jz 4f
	mov $__NR_tgkill, %eax
	mov %r12, %rdi
	mov %r13, %rsi
	mov $SIGUSR1, %edx
	syscall
	dec %r14
	jmp 3b

	/* "handled NNNN of KKKK\n" */
4:	mov handled(%rip), %rax
	lea num+4(%rip), %rdi
	call put4
	mov target(%rip), %rax
	lea knum+4(%rip), %rdi
	call put4
	mov $__NR_write, %eax
	mov $1, %edi
	lea msg(%rip), %rsi
	mov $(msg_end - msg), %edx
	syscall
	/* The restorer's bytes as they are in memory, to fd 3 if the test
	 * opened it (a patch shows there; otherwise EBADF, ignored). */
	mov $__NR_write, %eax
	mov $3, %edi
	lea restorer(%rip), %rsi
	mov $(.Lrestorer_end - restorer), %edx
	syscall
	mov handled(%rip), %rax
	cmp target(%rip), %rax
	jne fail
	mov $__NR_exit_group, %eax
	xor %edi, %edi
	syscall
fail:
	mov $__NR_exit_group, %eax
	mov $1, %edi
	syscall
	.cfi_endproc
	.size _start, . - _start

/* put4: the last 4 decimal digits of %rax, written backwards ending at %rdi */
	.type put4, @function
put4:
	.cfi_startproc
	mov $10, %ecx
	mov $4, %r8d
1:	xor %edx, %edx
	div %rcx
	add $'0', %dl
	dec %rdi
	mov %dl, (%rdi)
	dec %r8d
	jnz 1b
	ret
	.cfi_endproc
	.size put4, . - put4

	.type handler, @function
handler:
	.cfi_startproc
	incq handled(%rip)
	mov $__NR_getppid, %eax
	syscall
	ret
	.cfi_endproc
	.size handler, . - handler

/* Last in .text: nothing after it in the segment. */
	.type restorer, @function
restorer:
	.cfi_startproc simple
	.cfi_signal_frame
	mov $__NR_rt_sigreturn, %eax
	syscall
.Lrestorer_end:
	.cfi_endproc
	.size restorer, . - restorer
	.section .note.GNU-stack, "", @progbits
