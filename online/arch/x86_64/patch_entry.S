/* patch_entry.S - where patched sites enter k23: save what the kernel would preserve, switch stacks, call C.
 *
 * Two ways in, one body:
 *   stub   (default) the site jumps to its stub, which moves rsp below the
 *          red zone, pushes its return point and jumps here: [rsp] =
 *          return into the stub, as after a call (no call: stub.c says
 *          why; the fast path returns with pop and jmp, not ret).
 *   page0  the site's `syscall` became `call *%rax`: page 0 slides into
 *          `jmp *entry` with [rsp] = the site's next instruction; those 8
 *          bytes of the red zone are lost (the strategy's documented cost),
 *          the entry skips the rest of it.
 *
 * The kernel's syscall preserves every register but rax (result), rcx
 * (next rip) and r11 (rflags), and all flags. This code saves the
 * argument and scratch registers and rflags; the C it calls keeps
 * rbx, rbp, r12-r15 (ABI) and never touches vector or x87 state (the
 * runtime is built -mgeneral-regs-only). C runs on the thread's private
 * stack (tarea_layout.h), or further down it when a signal handler that
 * interrupted a patched call makes a patched call itself.
 *
 * C's verdict (k23_patched_call): 0 done - the frame holds rax, rcx, r11
 * as the kernel would leave them; 1 fall back - leave with the program's
 * registers untouched so that a real `syscall` outside k23's text raises
 * the catch-all's SIGSYS (for calls that need the kernel's frame: clone,
 * execve, rt_sigreturn, signal-mask calls...). A stub falls back by
 * returning to its own `syscall` (C moves the return address); page0 by
 * the gadget in page 0 (page0.c), or (verdict 2) for rt_sigreturn, which
 * never comes back, by a gadget that just drops the return address.
 */
#include "tarea_layout.h"
#include "patch_layout.h"
#include "fast_layout.h"

	.macro SAVE kind
	pushq $\kind
	pushq %rax
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %r10
	pushq %r8
	pushq %r9
	pushq %rcx
	pushq %r11
	pushq %rbx
	movq %rsp, %rbx
	cld
	.endm

	.macro RESTORE
	popq %rbx
	popq %r11
	popq %rcx
	popq %r9
	popq %r8
	popq %r10
	popq %rdx
	popq %rsi
	popq %rdi
	popq %rax
	leaq 8(%rsp), %rsp	/* kind */
	popfq
	.endm

/* Calls k23_patched_call(frame) on the private stack; %eax = its verdict.
 * Each patched call in flight on the private stack (one interrupted by a
 * signal whose handler makes another) owns a level of it (tarea_layout.h):
 * the handler may run on an alternate stack, so where the interrupted call
 * stopped is unknown, only that it stayed within its level. A handler
 * already running on the private stack goes below its own rsp if that is
 * lower. Too deep, or too little room: the catch-all takes the call. A
 * handler that longjmps away leaves its level taken; after three such,
 * the thread's calls all take the catch-all - slower, still correct. */
	.macro CALL_C
	cmpl $0, k23_patch_disabled(%rip)
	jne 3f
	movq %gs:K23_TA_DEPTH, %rax
	cmpq $K23_TA_LEVELS, %rax
	jae 3f
	imulq $K23_TA_LEVEL, %rax, %rax
	movq %gs:K23_TA_STACK_TOP, %rdx
	subq %rax, %rdx			/* the top of this call's level */
	movq %rsp, %rax
	subq %gs:K23_TA_STACK_LO, %rax
	cmpq $K23_TA_STACK_SIZE, %rax
	jae 1f				/* rsp is not on the private stack */
	cmpq %rdx, %rsp
	jae 1f
	movq %rsp, %rdx			/* a handler on the private stack: below it */
1:	movq %rdx, %rax
	subq %gs:K23_TA_STACK_LO, %rax
	cmpq $K23_TA_RESERVE, %rax
	jb 3f
	movq %rdx, %rsp
	andq $-16, %rsp
	addq $1, %gs:K23_TA_DEPTH
	movq %rbx, %rdi
	call k23_patched_call
	subq $1, %gs:K23_TA_DEPTH
	movq %rbx, %rsp
	jmp 4f
3:	movq %rbx, %rdi		/* on the program's stack: it only moves the return address */
	call k23_patched_refuse
4:
	.endm

/* The fast path: when no tool or statistic needs to see the call and the
 * call is one the dispatcher only passes through (k23_fast, fastpath.c),
 * make it right here, with the program's registers as they are: no stack
 * switch, no C, and few pages touched - without PCID every system call
 * empties the TLB, so each page a call touches costs a page walk.
 * rflags: restored before the syscall, so r11 and the flags after it are
 * the program's own. */
	.macro FAST_PATH slow
	pushfq
	cmpl $0, k23_fast(%rip)
	je \slow
	cmpq $K23_FAST_MAX, %rax
	jae \slow
	btq %rax, k23_fast+K23_FAST_MAP(%rip)
	jnc \slow
	popfq
	syscall
	.endm

	.text
	.globl k23_stub_entry
	.type k23_stub_entry, @function
k23_stub_entry:
	FAST_PATH 1f
	pushfq
	popq %r11
	popq %rcx			/* the stub sets rcx after its return point */
	jmp *%rcx
1:	SAVE K23_ENTRY_STUB
	CALL_C
	RESTORE
	popq %rcx			/* dead at the return point and the fallback alike */
	jmp *%rcx
	.size k23_stub_entry, .-k23_stub_entry

	.globl k23_page0_entry
	.type k23_page0_entry, @function
k23_page0_entry:
	leaq -(128 - 8)(%rsp), %rsp	/* below the rest of the red zone */
	FAST_PATH 1f
	movq (128 - 8)(%rsp), %rcx	/* the site's next instruction */
	pushfq
	popq %r11
	leaq 128(%rsp), %rsp		/* and the return address: jmp, not ret */
	jmp *%rcx
1:	SAVE K23_ENTRY_PAGE0
	CALL_C
	testl %eax, %eax
	jnz 5f
	RESTORE
	movq (128 - 8)(%rsp), %rcx	/* the site's next instruction, as the kernel sets it */
	leaq 128(%rsp), %rsp
	jmp *%rcx
5:	cmpl $2, %eax
	je 6f
	RESTORE
	leaq (128 - 8)(%rsp), %rsp
	jmp *k23_page0_gadget(%rip)
6:	RESTORE
	leaq (128 - 8)(%rsp), %rsp
	jmp *k23_page0_noret(%rip)
	.size k23_page0_entry, .-k23_page0_entry
	.section .note.GNU-stack,"",@progbits
