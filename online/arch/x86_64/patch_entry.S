/* patch_entry.S - where patched sites enter k23: save what the kernel would preserve, switch stacks, call C.
 *
 * Two ways in:
 *   stub   (default) the site jumps to its stub, which jumps here with its
 *          return point in rcx (no call: stub.c says why). Like the
 *          kernel, this path needs no program stack: it claims a level of
 *          the thread's private stack (tarea_layout.h) with registers only,
 *          and everything it saves goes there, the program's rsp in the
 *          level's top word. A signal handler that interrupts it runs on
 *          the program's stacks (onstack.c) and may make calls of its own,
 *          which claim the next level. A signal at any instruction here is
 *          moved to the equivalent point in the stub before the handler
 *          runs (sigctx_patched.c): the labels below name each stretch
 *          whose state differs, and a change here must change its table.
 *   page0  the site's `syscall` became `call *%rax`: page 0 slides into
 *          `jmp *entry` with [rsp] = the site's next instruction; those 8
 *          bytes of the red zone are lost (the strategy's documented cost),
 *          the entry skips the rest of it and saves registers below, with
 *          stores at a fixed rsp, so that a signal anywhere finds the site
 *          at a known distance (sigctx_patched.c).
 *
 * The kernel's syscall preserves every register but rax (result), rcx
 * (next rip) and r11 (rflags), and all flags. This code saves every
 * general register and rflags and restores them from that frame: the C
 * it calls keeps rbx, rbp, r12-r15 (ABI), but a signal handler that
 * interrupts the call finds the program's registers in the frame and
 * writes its changes there (sigctx.c). C never touches vector or x87
 * state (the runtime is built -mgeneral-regs-only). C runs on the thread's private
 * stack, one level per call in flight.
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
	pushq %r15
	pushq %r14
	pushq %r13
	pushq %r12
	pushq %rbp
	pushq $0		/* call: k23_patched_call's record (sigctx.c) */
	movq %rsp, %rbx
	.endm

/* The callee-saved registers come back from the frame too, not from C:
 * a signal handler's changes to them are written there (sigctx.c). */
	.macro RESTORE
	leaq 8(%rsp), %rsp	/* call */
	popq %rbp
	popq %r12
	popq %r13
	popq %r14
	popq %r15
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
	movq $0, (%rsp)		/* kind: the frame is dead (sigctx.c looks for live ones) */
	leaq 8(%rsp), %rsp
	popfq
	.endm

/* page0: the same frame, written and read with rsp fixed (stores and
 * loads, not pushes and pops), so that the entry's rsp at the site is a
 * constant distance away at each instruction (sigctx_patched.c); rflags
 * is already in place above it. */
#define P0_SAVE 136		/* call .. kind of struct k23_patch_frame */
	.macro SAVE0
	leaq -P0_SAVE(%rsp), %rsp
	.globl k23_page0_saving
k23_page0_saving:
	movq $K23_ENTRY_PAGE0, 128(%rsp)
	movq %rax, 120(%rsp)
	movq %rdi, 112(%rsp)
	movq %rsi, 104(%rsp)
	movq %rdx, 96(%rsp)
	movq %r10, 88(%rsp)
	movq %r8, 80(%rsp)
	movq %r9, 72(%rsp)
	movq %rcx, 64(%rsp)
	movq %r11, 56(%rsp)
	movq %rbx, 48(%rsp)
	movq %r15, 40(%rsp)
	movq %r14, 32(%rsp)
	movq %r13, 24(%rsp)
	movq %r12, 16(%rsp)
	movq %rbp, 8(%rsp)
	movq $0, (%rsp)
	movq %rsp, %rbx
	.endm

	.macro RESTORE0
	movq 8(%rsp), %rbp
	movq 16(%rsp), %r12
	movq 24(%rsp), %r13
	movq 32(%rsp), %r14
	movq 40(%rsp), %r15
	movq 48(%rsp), %rbx
	movq 56(%rsp), %r11
	movq 64(%rsp), %rcx
	movq 72(%rsp), %r9
	movq 80(%rsp), %r8
	movq 88(%rsp), %r10
	movq 96(%rsp), %rdx
	movq 104(%rsp), %rsi
	movq 112(%rsp), %rdi
	movq 120(%rsp), %rax
	movq $0, 128(%rsp)	/* kind: the frame is dead */
	leaq P0_SAVE(%rsp), %rsp
	.endm

/* The fast path: when no tool or statistic needs to see the call and the
 * call is one the dispatcher only passes through (k23_fast, fastpath.c),
 * make it right here, with the program's registers as they are: no C, and
 * few pages touched - without PCID every system call empties the TLB, so
 * each page a call touches costs a page walk. A call naming a descriptor
 * in its first argument (the only place the map allows one) takes it only
 * when the descriptor cannot be one of k23's (fd_low); the dispatcher
 * refuses those (fdguard.c). rflags: restored before the syscall, so r11
 * and the flags after it are the program's own. */
	.macro FAST_PATH slow, at=, done=, unmapped=
	cmpl $0, k23_fast(%rip)
	je \slow
	cmpq $K23_FAST_MAX, %rax
	jae \slow
	btq %rax, k23_fast+K23_FAST_FD0(%rip)
	jnc 91f
	cmpl k23_fast+K23_FAST_FD_LOW(%rip), %edi
	jge \slow
91:	btq %rax, k23_fast+K23_FAST_MAP(%rip)
	.ifnb \unmapped
	jnc \unmapped
	.else
	jnc \slow
	.endif
	popfq
	.ifnb \at
	.globl \at
\at:
	.endif
	syscall
	.ifnb \done
	.globl \done
\done:
	.endif
	.endm

	.section .text.k23_patch_entry, "ax", @progbits
	.globl k23_stub_entry
	.type k23_stub_entry, @function
k23_stub_entry:
	jmp *k23_stub_go(%rip)		/* k23_stub_claim; k23_stub_trap once %gs is the program's */
	.globl k23_stub_claim
k23_stub_claim:
	movq %rsp, %r11			/* the program's rsp; r11 is the syscall's */
	.globl k23_stub_claiming
k23_stub_claiming:
	movq %gs:K23_TA_ENTRY_SP, %rsp	/* T: flags untouched, nothing written yet */
	leaq -K23_TA_LEVEL(%rsp), %rsp
	movq %rsp, %gs:K23_TA_ENTRY_SP	/* [T - LEVEL, T) is this call's */
	.globl k23_stub_owned
k23_stub_owned:
	leaq K23_TA_LEVEL(%rsp), %rsp
	pushq %r11			/* T-8: the program's rsp */
	.globl k23_stub_claimed
k23_stub_claimed:
	pushq %rcx			/* T-16: the return point in the stub */
	pushfq				/* T-24 */
	.globl k23_stub_flagged
k23_stub_flagged:
	leaq (24 - K23_TA_LEVEL)(%rsp), %rcx
	cmpq %gs:K23_TA_STACK_LO, %rcx
	jb 2f				/* no level left: the catch-all */
	movq 16(%rsp), %rcx		/* a non-canonical rsp: the catch-all, */
	sarq $47, %rcx			/* whose return to it faults, as the */
	addq $1, %rcx			/* kernel's does natively */
	cmpq $1, %rcx
	ja 2f
	FAST_PATH 1f, k23_stub_fast_call, k23_stub_fast_done, k23_stub_counting
	popq %rcx
	jmp 5f
/* The count tool alone (fastpath.c): the call made here too, then counted
 * with atomic adds to the shared calls[] and errors[], as tool_count.c
 * does. The number waits at T-32 across the syscall; rcx is the only
 * register free after it, and r11 holds the program's flags, which the
 * counting spends and popfq gives back. A signal after the syscall and
 * before the last add finds what is left to add by the labels
 * (sigctx_patched.c counts it then, and the entry goes on at R). */
	.globl k23_stub_counting
k23_stub_counting:
	btq %rax, k23_fast+K23_FAST_COUNT(%rip)
	jnc 1f
	pushq %rax			/* T-32: the call's number */
	pushq 8(%rsp)			/* the program's flags, from T-24 */
	popfq
	.globl k23_stub_count_call
k23_stub_count_call:
	syscall
	.globl k23_stub_count_done
k23_stub_count_done:
	movq (%rsp), %rcx
	shlq $3, %rcx
	addq k23_fast+K23_FAST_CALLS(%rip), %rcx
	lock incq (%rcx)
	.globl k23_stub_count_added
k23_stub_count_added:
	cmpq $-4095, %rax
	jb 6f
	addq $K23_FAST_ERRORS_FROM_CALLS, %rcx
	lock incq (%rcx)
	.globl k23_stub_counted
k23_stub_counted:
6:	movq %r11, (%rsp)
	popfq
	leaq 8(%rsp), %rsp		/* T-16 */
	popq %rcx
	jmp 5f
	.globl k23_stub_slow
k23_stub_slow:
1:	SAVE K23_ENTRY_STUB
	.globl k23_stub_saved
k23_stub_saved:
	cld
	andq $-16, %rsp
	movq %rbx, %rdi
	call k23_patched_call
	.globl k23_stub_restore
k23_stub_restore:
	movq %rbx, %rsp
	RESTORE
	popq %rcx			/* the return point, or the fallback */
	jmp 5f
	.globl k23_stub_refuse
k23_stub_refuse:
2:	popfq
	.globl k23_stub_refused
k23_stub_refused:
	popq %rcx
	movslq K23_STUB_META_FALLBACK(%rcx), %r11
	leaq (%rcx,%r11), %rcx
	.globl k23_stub_exit
k23_stub_exit:
5:	leaq 8(%rsp), %rsp		/* T: flags untouched from here on */
	.globl k23_stub_release
k23_stub_release:
	movq %rsp, %gs:K23_TA_ENTRY_SP	/* released */
	.globl k23_stub_leaving
k23_stub_leaving:
	movq -8(%rsp), %rsp		/* the program's rsp */
	.globl k23_stub_left
k23_stub_left:
	jmp *%rcx
	.globl k23_stub_end
k23_stub_end:
	.size k23_stub_entry, .-k23_stub_entry

/* The program set %gs itself: no area to claim; straight to the stub's
 * fallback, whose syscall the catch-all traps. Touches no memory. */
	.globl k23_stub_trap
	.type k23_stub_trap, @function
k23_stub_trap:
	movslq K23_STUB_META_FALLBACK(%rcx), %r11
	leaq (%rcx,%r11), %rcx
	.globl k23_stub_trap_jump
k23_stub_trap_jump:
	jmp *%rcx
	.globl k23_stub_trap_end
k23_stub_trap_end:
	.size k23_stub_trap, .-k23_stub_trap

	.data
	.balign 8
	.globl k23_stub_go
k23_stub_go:
	.quad k23_stub_claim

	.section .text.k23_patch_entry, "ax", @progbits
	.globl k23_page0_entry
	.type k23_page0_entry, @function
/* Labels name each stretch whose state differs (sigctx_patched.c's table
 * for page 0: E, the entry's rsp, holds the site's next address). */
k23_page0_entry:
	leaq -(128 - 8)(%rsp), %rsp	/* below the rest of the red zone */
	.globl k23_page0_below
k23_page0_below:
	pushfq
	.globl k23_page0_flagged
k23_page0_flagged:
	FAST_PATH 1f, k23_page0_fast_call, k23_page0_fast_done
	movq (128 - 8)(%rsp), %rcx	/* the site's next instruction, as the kernel sets it */
	leaq 128(%rsp), %rsp		/* and the return address: jmp, not ret */
	.globl k23_page0_fast_left
k23_page0_fast_left:
	jmp *%rcx
	.globl k23_page0_slow
k23_page0_slow:
1:	SAVE0
	.globl k23_page0_saved
k23_page0_saved:
	cld
	/* k23_patched_call(frame) on a level of the private stack; %eax =
	 * its verdict. No level left (handlers that longjmp'd away from
	 * interrupted calls keep theirs): the catch-all takes the call. */
	cmpl $0, k23_patch_disabled(%rip)
	jne 3f
	movq %gs:K23_TA_ENTRY_SP, %rdx
	leaq -K23_TA_LEVEL(%rdx), %rax
	cmpq %gs:K23_TA_STACK_LO, %rax
	jb 3f
	movq %rax, %gs:K23_TA_ENTRY_SP	/* claimed */
	.globl k23_page0_owned
k23_page0_owned:
	movq %rbx, -8(%rdx)		/* the frame: below it the program's stack is free */
	leaq -16(%rdx), %rsp
	movq %rbx, %rdi
	call k23_patched_call
	.globl k23_page0_returned
k23_page0_returned:
	addq $K23_TA_LEVEL, %gs:K23_TA_ENTRY_SP
	.globl k23_page0_released
k23_page0_released:
	movq %rbx, %rsp
	jmp 4f
	.globl k23_page0_nolevel
k23_page0_nolevel:
3:	movl $1, %eax			/* the gadget; rt_sigreturn never comes back to the ring */
	cmpq $15, 120(%rbx)
	jne 4f
	movl $2, %eax
	.globl k23_page0_verdict
k23_page0_verdict:
4:	testl %eax, %eax
	jz 7f
	movq k23_page0_gadget(%rip), %rcx
	cmpl $2, %eax
	jne 8f
	movq k23_page0_noret(%rip), %rcx
8:	movq %rcx, 144(%rbx)		/* where to go, in the frame's spare word */
	.globl k23_page0_trap_restore
k23_page0_trap_restore:
	RESTORE0
	.globl k23_page0_trap_restored
k23_page0_trap_restored:
	popfq
	.globl k23_page0_trap_popped
k23_page0_trap_popped:
	leaq (128 - 8)(%rsp), %rsp
	.globl k23_page0_trap_jump
k23_page0_trap_jump:
	jmp *-120(%rsp)			/* red zone: no signal frame goes there */
	.globl k23_page0_done_restore
k23_page0_done_restore:
7:	RESTORE0
	.globl k23_page0_done_restored
k23_page0_done_restored:
	popfq
	.globl k23_page0_done_popped
k23_page0_done_popped:
	jmp k23_page0_fast_done
	.globl k23_page0_end
k23_page0_end:
	.size k23_page0_entry, .-k23_page0_entry
	.section .note.GNU-stack,"",@progbits
