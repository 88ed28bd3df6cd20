/* dispatch.c - the dispatcher: route a call to its special handling or pass it through, then report it.
 *
 * Most calls pass straight through to the kernel. A few must not, because
 * doing them as asked would lose interposition or k23's own state:
 *   clone/clone3/fork/vfork  the child starts without SUD and must be armed
 *   execve/execveat          the new image must be loaded by k23 again
 *   rt_sigaction & co.       SIGSYS must stay k23's and never be blocked
 *   close/dup2/close_range   k23's own descriptors must survive
 *   readlink(/proc/self/exe) must name the program, not k23
 *   prctl(SUD)               the program cannot switch interposition off
 */
#include <asm/unistd.h>
#include "rt.h"
#include "rtlib.h"
#include "dispatch.h"

long k23_passthrough(const struct k23_call *c)
{
	return k23_syscall6(c->nr, c->args[0], c->args[1], c->args[2], c->args[3],
			    c->args[4], c->args[5]);
}

void k23_report(const struct k23_call *c)
{
	const struct k23_tool *t = k23_rt.tool_ops;

	if (t)
		t->on_syscall(c);
}

void k23_dispatch(struct k23_call *c)
{
	switch (c->nr) {
	case __NR_clone:
	case __NR_clone3:
	case __NR_fork:
	case __NR_vfork:
		k23_do_clone(c);
		return;
	case __NR_execve:
	case __NR_execveat:
		k23_do_exec(c);
		return;
	case __NR_exit:
	case __NR_exit_group:
		k23_do_exit(c);
		return;
	case __NR_close:
	case __NR_close_range:
	case __NR_dup2:
	case __NR_dup3:
		k23_do_fd_guard(c);
		break;
	case __NR_readlink:
	case __NR_readlinkat:
		k23_do_readlink(c);
		break;
	case __NR_rt_sigaction:
	case __NR_rt_sigprocmask:
	case __NR_rt_sigsuspend:
	case __NR_ppoll:
	case __NR_pselect6:
	case __NR_epoll_pwait:
	case __NR_epoll_pwait2:
		k23_do_signal_call(c);
		break;
	case __NR_prctl:
		k23_do_prctl(c);
		break;
	default:
		c->ret = k23_passthrough(c);
		break;
	}
	k23_report(c);
}

void k23_do_exit(struct k23_call *c)
{
	c->ret = K23_RET_NONE;
	k23_report(c);
	c->ret = k23_passthrough(c);
}
