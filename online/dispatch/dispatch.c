/* dispatch.c - the dispatcher: route a call to its special handling or pass it through, then report it.
 *
 * Most calls pass straight through to the kernel. A few must not, because
 * doing them as asked would lose interposition or k23's own state:
 *   clone/clone3/fork/vfork  the child starts without SUD and must be armed
 *   execve/execveat          the new image must be loaded by k23 again
 *   rt_sigaction & co.       SIGSYS must stay k23's and never be blocked
 *   close/dup2/close_range,  k23's own descriptors must survive whatever
 *   setrlimit, io_uring_enter the program does; a call naming one fails
 *                            with EBADF (fdguard.c)
 *   readlink(/proc/self/exe) must name the program, not k23
 *   prctl(SUD)               the program cannot switch interposition off
 *   mmap/munmap/mprotect...  k23's own fixed pages must stay (memguard.c);
 *                            code mapped gets patched
 *   membarrier               k23's own registration is not the program's
 *   seccomp strict, PR_GET_SECCOMP  the kernel's mode is k23's filter (prog_seccomp.c)
 *   ptrace, wait4, waitid    a tracer must not see k23's own stops (ptrace_tracer.c);
 *                            a traced k23 marks each call for it (ptrace_tracee.c)
 *   io_uring_setup,          when io_uring_enter is traced: the ring's layout and
 *   io_uring_register        registered ring indices are recorded, to show what
 *                            each io_uring_enter submitted and completed
 *                            (online/tools/uring_ring.c)
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/guard/fdguard.h"
#include "online/signals/signals.h"
#include "online/views/prog_sud.h"
#include "online/guard/memguard.h"
#include "online/core/tarea.h"
#include "online/dispatch/fastpath.h"
#include "online/ptrace/ptrace_tracer.h"
#include "online/ptrace/ptrace_tracee.h"
#include "online/views/membarrier_view.h"
#include "online/views/prog_seccomp.h"
#include "online/arch/x86_64/call_layout.h"
#include "online/policy/policy.h"
#include "online/virtual/virt.h"
#include "online/tools/inject.h"
#include "online/tools/fdpath.h"
#include "online/tools/uring_ring.h"
#include "online/core/thread.h"
#include "online/ptrace/ptrace_async.h"

/* Calls that return without sleeping: made with signals held, so none can
 * run a program handler inside k23. Everything else may sleep (a read from
 * a pipe, an open of a FIFO, an ioctl draining a tty) and is made with the
 * program's mask, so signals interrupt it as natively. */
int k23_never_sleeps(long nr)
{
	switch (nr) {
	case __NR_brk: case __NR_mmap: case __NR_munmap: case __NR_mprotect:
	case __NR_mremap: case __NR_madvise: case __NR_fstat: case __NR_newfstatat:
	case __NR_stat: case __NR_lstat: case __NR_statx: case __NR_lseek:
	case __NR_getpid: case __NR_getppid: case __NR_gettid: case __NR_getuid:
	case __NR_geteuid: case __NR_getgid: case __NR_getegid: case __NR_getgroups:
	case __NR_getrlimit: case __NR_prlimit64: case __NR_getrusage: case __NR_uname:
	case __NR_sysinfo: case __NR_times: case __NR_gettimeofday: case __NR_clock_gettime:
	case __NR_clock_getres: case __NR_time: case __NR_kill: case __NR_tgkill:
	case __NR_tkill: case __NR_rt_sigqueueinfo: case __NR_rt_tgsigqueueinfo:
	case __NR_rt_sigaction: case __NR_rt_sigprocmask: case __NR_sigaltstack:
	case __NR_arch_prctl: case __NR_set_tid_address: case __NR_set_robust_list:
	case __NR_rseq: case __NR_prctl: case __NR_getcwd: case __NR_dup: case __NR_dup2:
	case __NR_dup3: case __NR_pipe: case __NR_pipe2: case __NR_socket:
	case __NR_socketpair: case __NR_bind: case __NR_listen: case __NR_getsockname:
	case __NR_getpeername: case __NR_setsockopt: case __NR_getsockopt:
	case __NR_access: case __NR_faccessat: case __NR_faccessat2: case __NR_readlink:
	case __NR_readlinkat: case __NR_umask: case __NR_chdir: case __NR_fchdir:
	case __NR_getdents64: case __NR_eventfd2: case __NR_epoll_create1:
	case __NR_epoll_ctl: case __NR_timerfd_create: case __NR_timerfd_settime:
	case __NR_signalfd4: case __NR_sched_getaffinity: case __NR_sched_yield:
	case __NR_getpriority: case __NR_membarrier: case __NR_getpgid: case __NR_getsid:
	case __NR_setpgid: case __NR_setsid: case __NR_capget: case __NR_getpgrp:
	case __NR_close: case __NR_close_range: case __NR_getrandom: case __NR_memfd_create:
	case __NR_process_vm_readv: case __NR_sched_getparam: case __NR_sched_getscheduler:
		return 1;
	}
	return 0;
}

long k23_passthrough(const struct k23_call *c)
{
	if (!c->uc || k23_never_sleeps(c->nr))
		return k23_call_raw(c);
	return k23_call_program_mask(c);
}

void k23_report(const struct k23_call *c)
{
	const struct k23_tool *t = k23_rt.tool_ops;

	if (k23_rt.stats_area && c->via > 0 && c->via < 4)
		__atomic_fetch_add(&k23_rt.stats_area->via[c->via], 1, __ATOMIC_RELAXED);
	if (c->policy)
		k23_policy_log(c);
	if (t && k23_tool_wants(c->nr))
		t->on_syscall(c);
}

int k23_program_filters;	/* the program installed a seccomp filter of its own */

long k23_judged_probe(const struct k23_call *c, long a0, long a1, long a2, long a3)
{
	struct k23_call probe = { .nr = c->nr, .args = { a0, a1, a2, a3 }, .uc = c->uc };
	long r;

	if (!__atomic_load_n(&k23_program_filters, __ATOMIC_ACQUIRE))
		return 0;
	r = k23_passthrough(&probe);
	return r >= 0 ? 0 : r;
}

/* rt_sigprocmask made without a frame: one kernel call from k23's text
 * (signals.c). A signal it unblocks is delivered as that call returns, on
 * k23's context (shown the program's at the site, the call made), so
 * before the call is reported: only where nothing reports or judges it,
 * where no SIGSYS is held for the program (delivered from the frame when
 * the view unblocks it), and without a tracer's SIGCHLD handler that makes
 * calls again (ptrace_async.c). */
static int mask_needs_frame(long nr)
{
	const struct k23_thread *t;

	if ((k23_rt.tool_ops && k23_tool_wants(nr)) || k23_rt.opts || k23_policy_wants(nr) ||
	    k23_virt_wants(nr) || __atomic_load_n(&k23_tracer_async_on, __ATOMIC_RELAXED))
		return 1;
	t = k23_thread_self(0);
	return t && t->sigsys_pending;
}

int k23_needs_frame(const struct k23_call *c)
{
	if (k23_program_filters || k23_prog_sud_seen)
		return 1; /* their traps must see the program's own frame */
	if (k23_ptrace_traced())
		return 1; /* a tracer is shown the program's registers from the frame */
	if (k23_prog_strict_seen)
		return 1; /* strict mode is judged by the dispatcher */
	/* The other special calls (descriptor guards, readlink, sigaction,
	 * mask arguments of ppoll & co., mapping code) need no frame. */
	switch (c->nr) {
	case __NR_clone: case __NR_clone3: case __NR_fork: case __NR_vfork:
		return 1; /* the child resumes from the frame's registers */
	case __NR_exit:
		return 1; /* the thread's area is freed, so not from on it */
	case __NR_rt_sigprocmask:
		return mask_needs_frame(c->nr);
	case __NR_rt_sigreturn: case __NR_sigaltstack: case __NR_seccomp:
		return 1; /* they act on the frame, or change what traps */
	/* A signal a thread sends itself arrives as the call returns: trapped,
	 * the handler runs on the program's registers, after the call is
	 * reported; patched, it would interrupt k23. */
	case __NR_kill: case __NR_tkill: case __NR_tgkill: case __NR_rt_sigqueueinfo:
	case __NR_rt_tgsigqueueinfo: case __NR_pidfd_send_signal:
		return 1;
	}
	return 0;
}

/* How the dispatcher handles each call. */
enum route {
	R_PASS, R_CLONE, R_EXEC, R_EXIT, R_FD, R_READLINK, R_SIGNAL, R_PRCTL, R_SECCOMP,
	R_ARCH_PRCTL, R_MEMORY, R_PTRACE, R_WAIT, R_MEMBARRIER, R_URING,
};

static enum route route(long nr)
{
	switch (nr) {
	case __NR_clone: case __NR_clone3: case __NR_fork: case __NR_vfork:
		return R_CLONE;
	case __NR_execve: case __NR_execveat:
		return R_EXEC;
	case __NR_exit: case __NR_exit_group:
		return R_EXIT;
	case __NR_close: case __NR_close_range: case __NR_dup2: case __NR_dup3:
	case __NR_getrlimit: case __NR_setrlimit: case __NR_prlimit64: case __NR_io_uring_enter:
		return R_FD;
	case __NR_readlink: case __NR_readlinkat:
		return R_READLINK;
	case __NR_rt_sigaction: case __NR_rt_sigprocmask: case __NR_rt_sigsuspend:
	case __NR_ppoll: case __NR_pselect6: case __NR_epoll_pwait: case __NR_epoll_pwait2:
	case __NR_sigaltstack: case __NR_rt_sigpending:
		return R_SIGNAL;
	case __NR_prctl:
		return R_PRCTL;
	case __NR_seccomp:
		return R_SECCOMP;
	case __NR_arch_prctl:
		return R_ARCH_PRCTL;
	case __NR_mmap: case __NR_munmap: case __NR_mprotect: case __NR_pkey_mprotect:
	case __NR_madvise: case __NR_mremap:
		return R_MEMORY;
	case __NR_ptrace:
		return R_PTRACE;
	case __NR_wait4: case __NR_waitid:
		return R_WAIT;
	case __NR_membarrier:
		return R_MEMBARRIER;
	case __NR_io_uring_setup: case __NR_io_uring_register:
		/* untraced, they keep the fast path */
		return k23_uring_traced() ? R_URING : R_PASS;
	}
	return R_PASS;
}

int k23_passes_through(long nr)
{
	struct k23_call c = { .nr = nr };

	return route(nr) == R_PASS && !k23_needs_frame(&c) && !k23_policy_wants(nr) &&
	       !k23_virt_wants(nr);
}

static void dispatch_call(struct k23_call *c)
{
	/* The virtual world (online/virtual/) and a policy's in-process layer
	 * each keep what they built for the call (names, copies, a verdict)
	 * in a frame of their own around it, on k23's stack. */
	if (k23_virt_wants(c->nr))
		k23_virt_dispatch(c);
	else if (k23_policy_wants(c->nr))
		k23_policy_dispatch(c, 0);
	else
		k23_dispatch_body(c, 0, 0);
}

static uint64_t now_ns(int clock)
{
	struct { long sec, nsec; } ts = { 0, 0 };

	k23_syscall2(__NR_clock_gettime, clock, (long)&ts);
	return (uint64_t)ts.sec * 1000000000ULL + (uint64_t)ts.nsec;
}

/* -y: a close, dup2 or dup3 ends the descriptor it names, so its path is
 * read before the call (strace reads it at the call's entry). */
static __attribute__((noinline)) void dispatch_fdpath(struct k23_call *c, int fd)
{
	char path[K23_FDPATH_MAX];

	if (k23_fd_path(fd, path, sizeof(path)) >= 0)
		c->fdpath = path;
	dispatch_call(c);
	c->fdpath = 0;
}

/* What strace's options ask of a call before it is made (topts.h). */
static void dispatch_opts(struct k23_call *c, const struct k23_topts *o)
{
	int inj = 0, wants = k23_rt.tool_ops && k23_tool_wants(c->nr);

	/* The times are taken first: as strace's, -T counts a delay_enter
	 * and not a delay_exit, which comes after the report. */
	if (wants) {
		if (o->tstamp)
			c->t_real = now_ns(0 /* CLOCK_REALTIME */);
		if (o->flags & (K23_TO_DURATION | K23_TO_COUNT_TIME))
			c->t_mono = now_ns(1 /* CLOCK_MONOTONIC */);
	}
	if (k23_topts_bit(o->inject_any, (unsigned long)c->nr)) {
		inj = k23_inject_enter(c);
		if (inj == 1)
			return;
	}
	if (wants && (o->flags & K23_TO_FDPATH) &&
	    (c->nr == __NR_close || c->nr == __NR_dup2 || c->nr == __NR_dup3))
		dispatch_fdpath(c, (int)c->args[c->nr == __NR_close ? 0 : 1]);
	else
		dispatch_call(c);
	if (inj == 2)
		k23_inject_exit(c);
}

void k23_dispatch(struct k23_call *c)
{
	const struct k23_topts *o = k23_rt.opts;

	c->mark = 0;
	c->t_real = c->t_mono = c->delay_exit_us = 0;
	c->fdpath = 0;
	c->uring_sq_known = 0;
	if (o)
		dispatch_opts(c, o);
	else
		dispatch_call(c);
}


/* The end of a call refused or answered before it was made. */
static void answered(struct k23_call *c, struct k23_pol_call *pc, struct k23_virt_call *vc,
		     int marked)
{
	(void)pc;
	if (vc)
		k23_virt_after(c, vc);
	if (marked)
		k23_ptrace_exit(c);
	k23_report(c);
}

void k23_dispatch_body(struct k23_call *c, struct k23_pol_call *pc, struct k23_virt_call *vc)
{
	int marked;

	if (k23_ptrace_traceme_tid)
		k23_ptrace_settle(c);
	if (k23_prog_strict_seen)
		k23_prog_strict_check(c); /* does not return for a forbidden call */
	marked = k23_ptrace_enter(c);

	if (marked && c->nr == -1) {
		k23_ptrace_exit(c); /* the tracer skipped it: c->ret is its result */
		return;
	}
	/* After a tracer's changes: what is checked is what is made. The
	 * virtual world first: the policy judges the real names. */
	if (vc && k23_virt_before(c, vc)) {
		answered(c, pc, vc, marked);
		return;
	}
again:
	if (pc && k23_pol_before(c, pc)) {
		answered(c, pc, vc, marked);
		return;
	}
	if (k23_fd_refused(c)) {	/* k23's own descriptor: not the program's */
		c->ret = -EBADF;
		answered(c, pc, vc, marked);
		return;
	}
	switch (route(c->nr)) {
	case R_CLONE:
		k23_do_clone(c);
		if (marked && c->ret != 0)
			k23_ptrace_exit(c); /* a new child shows no exit of its own */
		return;
	case R_EXEC:
		k23_do_exec(c);
		if (vc)
			k23_virt_after(c, vc); /* the exec failed */
		if (marked)
			k23_ptrace_exit(c); /* the exec failed */
		return;
	case R_EXIT:
		k23_do_exit(c);
		return;
	case R_FD:
		if (c->nr == __NR_io_uring_enter && k23_uring_traced())
			k23_uring_enter_snap(c);
		k23_do_fd_guard(c);
		break;
	case R_READLINK:
		k23_do_readlink(c);
		break;
	case R_SIGNAL:
		k23_do_signal_call(c);
		break;
	case R_PRCTL:
		k23_do_prctl(c);
		break;
	case R_SECCOMP:
		if (!k23_prog_seccomp_call(c)) /* strict mode, a filter: prog_seccomp.c */
			c->ret = k23_passthrough(c);
		break;
	case R_ARCH_PRCTL:
		k23_do_arch_prctl(c);
		break;
	case R_MEMORY:
		k23_do_memory(c);
		break;
	case R_PTRACE:
		k23_do_ptrace(c);
		break;
	case R_WAIT:
		k23_do_wait(c);
		break;
	case R_MEMBARRIER:
		k23_do_membarrier(c);
		break;
	case R_URING:
		k23_uring_call(c);
		break;
	case R_PASS:
		c->ret = k23_passthrough(c);
		break;
	}
	if (pc)
		k23_pol_after(c, pc);
	/* A name the virtual world resolved by prefix failed: resolved
	 * again by hand (symlinks through the maps), made again, and
	 * checked again by the policy first (online/virtual/vmap_calls.c). */
	if (vc && k23_virt_again(c, vc)) {
		if (pc)
			k23_pol_reset(pc);
		c->policy = 0;
		goto again;
	}
	if (vc)
		k23_virt_after(c, vc);
	if (marked)
		k23_ptrace_exit(c);
	k23_report(c);
}

void k23_do_exit(struct k23_call *c)
{
	struct k23_area *a;

	c->ret = K23_RET_NONE;
	k23_report(c);
	if (c->nr == __NR_exit && k23_rt.opts)
		k23_inject_thread_exit();
	if (c->nr == __NR_exit && c->uc && (a = k23_area_of(c->uc)))
		k23_area_exit(a, c->args[0]); /* frees the thread's area */
	c->ret = k23_passthrough(c);
}
