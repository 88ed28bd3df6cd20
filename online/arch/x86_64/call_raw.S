/* call_raw.S - the system call instruction k23 re-issues a program's calls with.
 *
 * long k23_call_raw(const struct k23_call *c)
 *
 * One fixed instruction for all passed-through calls, with the call record
 * in %r12: when the program's own seccomp filter traps the re-issued call,
 * k23's SIGSYS handler sees rip == k23_call_raw_resume and finds in %r12
 * which of the program's calls it belongs to (signals.c).
 */
#include "call_layout.h"

/* The call's number and arguments, from the struct k23_call at %r12, into
 * the registers the kernel takes them in. */
.macro load_call
	movq K23_CALL_NR(%r12), %rax
	movq K23_CALL_ARGS+0(%r12), %rdi
	movq K23_CALL_ARGS+8(%r12), %rsi
	movq K23_CALL_ARGS+16(%r12), %rdx
	movq K23_CALL_ARGS+24(%r12), %r10
	movq K23_CALL_ARGS+32(%r12), %r8
	movq K23_CALL_ARGS+40(%r12), %r9
.endm

	.section .text.k23_call_raw, "ax", @progbits
	.globl k23_call_raw
	.type k23_call_raw, @function
k23_call_raw:
	pushq %r12
	movq %rdi, %r12
	load_call
	syscall
	.globl k23_call_raw_resume
k23_call_raw_resume:
	popq %r12
	ret
	.size k23_call_raw, .-k23_call_raw

/* long k23_call_raw_masked(const struct k23_call *c, const k23_sigset_t *prog,
 *                          const k23_sigset_t *held)
 *
 * The same for a trapped call that may sleep: made with the program's mask
 * prog, then held again. Signals can be delivered only between the two
 * rt_sigprocmask calls, and every instruction there is named, so a
 * handler that interrupts it is shown the program's context (sigctx.c):
 * from k23_call_masked_open to the call's syscall it is not made yet; at
 * k23_call_raw_masked_resume it is made and rax is its result; from
 * k23_call_masked_kept r14 is. %r12 holds c throughout, as above.
 */
	.globl k23_call_raw_masked
	.type k23_call_raw_masked, @function
k23_call_raw_masked:
	pushq %r12
	pushq %r13
	pushq %r14
	movq %rdi, %r12
	movq %rdx, %r13
	movl $14, %eax			/* __NR_rt_sigprocmask */
	movl $2, %edi			/* SIG_SETMASK, to prog (in %rsi) */
	xorl %edx, %edx
	movl $8, %r10d
	syscall
	.globl k23_call_masked_open
k23_call_masked_open:
	load_call
	syscall
	.globl k23_call_raw_masked_resume
k23_call_raw_masked_resume:
	movq %rax, %r14
	.globl k23_call_masked_kept
k23_call_masked_kept:
	movl $14, %eax
	movl $2, %edi
	movq %r13, %rsi
	xorl %edx, %edx
	movl $8, %r10d
	syscall
	.globl k23_call_masked_closed
k23_call_masked_closed:
	movq %r14, %rax
	popq %r14
	popq %r13
	popq %r12
	ret
	.size k23_call_raw_masked, .-k23_call_raw_masked
	.section .note.GNU-stack,"",@progbits
