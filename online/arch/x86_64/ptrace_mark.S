/* ptrace_mark.S - the marker calls a traced k23 makes around each of the program's calls.
 *
 * void k23_ptrace_mark_enter(struct k23_call *c)   (%rdi = c)
 * void k23_ptrace_mark_exit(struct k23_call *c)
 *
 * Each is a getpid from its own instruction: a tracer's k23 recognises the
 * syscall stop by its address and reads the record at %rdi (ptrace_shared.h).
 * getpid because the filters programs install let it through.
 */
	.text
	.globl k23_ptrace_mark_enter
	.type k23_ptrace_mark_enter, @function
k23_ptrace_mark_enter:
	movl $39, %eax		/* __NR_getpid */
	syscall
	.globl k23_ptrace_enter_ip
k23_ptrace_enter_ip:
	ret
	.size k23_ptrace_mark_enter, .-k23_ptrace_mark_enter

	.globl k23_ptrace_mark_exit
	.type k23_ptrace_mark_exit, @function
k23_ptrace_mark_exit:
	movl $39, %eax
	syscall
	.globl k23_ptrace_exit_ip
k23_ptrace_exit_ip:
	ret
	.size k23_ptrace_mark_exit, .-k23_ptrace_mark_exit
	.section .note.GNU-stack,"",@progbits
