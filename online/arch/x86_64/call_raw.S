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

	.text
	.globl k23_call_raw
	.type k23_call_raw, @function
k23_call_raw:
	pushq %r12
	movq %rdi, %r12
	movq K23_CALL_NR(%r12), %rax
	movq K23_CALL_ARGS+0(%r12), %rdi
	movq K23_CALL_ARGS+8(%r12), %rsi
	movq K23_CALL_ARGS+16(%r12), %rdx
	movq K23_CALL_ARGS+24(%r12), %r10
	movq K23_CALL_ARGS+32(%r12), %r8
	movq K23_CALL_ARGS+40(%r12), %r9
	syscall
	.globl k23_call_raw_resume
k23_call_raw_resume:
	popq %r12
	ret
	.size k23_call_raw, .-k23_call_raw
	.section .note.GNU-stack,"",@progbits
