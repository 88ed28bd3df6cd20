/* sigreturn.S - the rt_sigreturn stub inside k23's exempt text.
 *
 * Used twice: as the SA_RESTORER of k23's SIGSYS handler, and as the place
 * where a program's own rt_sigreturn is re-issued. A program's signal handler
 * returns into libc's restorer, whose syscall instruction traps; k23 then
 * leaves its SIGSYS frame with rip here and rsp untouched, so this syscall
 * runs with the program's signal frame at rsp, exactly as the program meant.
 */
	.text
	.globl k23_restore_rt
	.type k23_restore_rt, @function
k23_restore_rt:
	movl $15, %eax		/* __NR_rt_sigreturn */
	syscall
	hlt			/* not reached */
	.size k23_restore_rt, .-k23_restore_rt
	.section .note.GNU-stack,"",@progbits
