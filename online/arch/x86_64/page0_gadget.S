/* page0_gadget.S - the code page0.c copies into page 0 for calls that must trap.
 *
 * Reached by `jmp` from k23_page0_entry with every register the program's
 * and [rsp] = the site's next instruction, pushed by the site's
 * `call *%rax`. The syscall must run with the program's own rsp (clone's
 * child stack, rt_sigreturn's frame), so the return address moves into a
 * per-thread ring (tarea_layout.h) first, and comes back out after. A ring,
 * not a slot: a signal handler that runs during the syscall may come
 * through here too. rcx and r11 are free on both sides, the syscall
 * clobbers them anyway; nothing here changes the flags.
 *
 * This copy in k23's text is only a template, never executed in place.
 */
#include "tarea_layout.h"

	.text
	.globl k23_page0_gadget_start, k23_page0_gadget_end
/* The labels name where a signal finds what (sigctx_patched.c): before
 * _pushed the return address is at rsp; to _popped the ring's index is
 * one up already; to _done it is in the ring, the call not made; from
 * there made, the ring still one up until _released. */
	.globl k23_page0_g_pushed, k23_page0_g_popped, k23_page0_g_done, k23_page0_g_released
k23_page0_gadget_start:
	movzbl %gs:K23_TA_RING_IDX, %ecx
	leal 1(%rcx), %ecx
	movzbl %cl, %ecx
	movb %cl, %gs:K23_TA_RING_IDX
k23_page0_g_pushed:
	popq %gs:K23_TA_RING(,%rcx,8)
k23_page0_g_popped:
	syscall
k23_page0_g_done:
	movzbl %gs:K23_TA_RING_IDX, %ecx
	movq %gs:K23_TA_RING(,%rcx,8), %r11
	leal -1(%rcx), %ecx
	movb %cl, %gs:K23_TA_RING_IDX
k23_page0_g_released:
	jmp *%r11
k23_page0_gadget_end:

/* rt_sigreturn never returns here: drop the return address, keep the ring. */
	.globl k23_page0_noret_start, k23_page0_noret_end
	.globl k23_page0_n_dropped
k23_page0_noret_start:
	leaq 8(%rsp), %rsp
k23_page0_n_dropped:
	syscall
	ud2
k23_page0_noret_end:
	.section .note.GNU-stack,"",@progbits
