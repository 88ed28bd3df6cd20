/* sigreturn.S - the rt_sigreturn stub inside k23's exempt text, and the jumps of signal delivery.
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
	.globl k23_restore_rt_ip	/* k23's own: own_filter.c */
k23_restore_rt_ip:
	hlt			/* not reached */
	.size k23_restore_rt, .-k23_restore_rt

/* noreturn void k23_onstack_jump(void *handler, long sig, void *info, void *uc, unsigned long sp)
 * Enters a program's signal handler on the frame k23 built for it at sp
 * (onstack.c), with the registers the kernel gives a handler. */
	.globl k23_onstack_jump
	.type k23_onstack_jump, @function
k23_onstack_jump:
	movq %r8, %rsp
	movq %rdi, %r11
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	xorl %eax, %eax
	jmp *%r11
	.size k23_onstack_jump, .-k23_onstack_jump

/* noreturn void k23_run_moved(unsigned long sp, unsigned long (*fn)(void *), void *arg)
 * Runs fn(arg) on the stack at sp, then rt_sigreturn with rsp at the
 * ucontext fn returns: the rest of a trapped call, moved off the signal
 * stack together with a copy of its frame (sigsys.c). */
	.globl k23_run_moved
	.type k23_run_moved, @function
k23_run_moved:
	movq %rdi, %rsp
	movq %rdx, %rdi
	call *%rsi
	movq %rax, %rsp
	movl $15, %eax		/* __NR_rt_sigreturn */
	syscall
	.globl k23_run_moved_ip
k23_run_moved_ip:
	hlt
	.size k23_run_moved, .-k23_run_moved

/* noreturn void k23_sigreturn_to(struct k23_ucontext *uc)
 * Leaves a signal handler without running anything more: rt_sigreturn
 * with the kernel's frame whose ucontext is uc (just past its pretcode). */
	.globl k23_sigreturn_to
	.type k23_sigreturn_to, @function
k23_sigreturn_to:
	movq %rdi, %rsp
	movl $15, %eax		/* __NR_rt_sigreturn */
	syscall
	.globl k23_sigreturn_to_ip
k23_sigreturn_to_ip:
	hlt
	.size k23_sigreturn_to, .-k23_sigreturn_to

/* The same for the program's own rt_sigreturn, at an address of its own: a
 * tracer under k23 shows the tracer this one's syscall-exit stop only. */
	.globl k23_restore_prog_rt
	.type k23_restore_prog_rt, @function
k23_restore_prog_rt:
	movl $15, %eax
	syscall
	.globl k23_restore_prog_rt_ip
k23_restore_prog_rt_ip:
	hlt
	.size k23_restore_prog_rt, .-k23_restore_prog_rt
	.section .note.GNU-stack,"",@progbits
