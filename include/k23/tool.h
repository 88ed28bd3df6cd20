/* tool.h - the interface between k23's dispatcher and the tools that observe calls.
 *
 * A tool sees every system call of the interposed program exactly once, after
 * the call was performed (or, for calls that never return to the program, just
 * before they are performed, with ret == K23_RET_NONE). Tools run inside the
 * interposed process: they must be freestanding, async-signal-safe and
 * reentrant (a signal handler of the program may make calls while a tool is
 * still busy with an earlier call of the same thread).
 */
#ifndef K23_TOOL_H
#define K23_TOOL_H

#include <stdint.h>

/* How a call reached the dispatcher. */
enum k23_via {
	K23_VIA_SUD = 1,	/* SIGSYS from Syscall User Dispatch */
	K23_VIA_SECCOMP = 2,	/* SIGSYS from k23's seccomp filter */
	K23_VIA_PATCH = 3,	/* a hot-patched site, no trap */
};

/* ret of a call that does not return to the program (exit, exit_group,
 * a successful execve): outside the kernel's -4095..-1 error range. */
#define K23_RET_NONE ((long)0x8000000000000000UL)

struct k23_pol_verdict;

struct k23_call {
	long nr;
	long args[6];
	long ret;
	int via;		/* enum k23_via */
	void *uc;		/* the SIGSYS ucontext, NULL on the patched path */
	/* What a policy's in-process layer said of the call, or NULL
	 * (online/policy/policy.h); the trace tool shows it on the line. */
	const struct k23_pol_verdict *policy;
	/* Set by the dispatcher before the call, for what strace's options
	 * asked (online/tools/topts.h); 0 otherwise. */
	int mark;			/* K23_MARK_*: -e inject= changed the call */
	uint64_t t_real, t_mono;	/* -t, -T: CLOCK_REALTIME, CLOCK_MONOTONIC ns at entry */
	uint64_t delay_exit_us;		/* -e inject=...:delay_exit= still to sleep */
	const char *fdpath;		/* -y: the path of the descriptor a close, dup2 or
					 * dup3 ends, read before the call */
	/* io_uring_enter under the trace tool: the ring's SQ head before the
	 * call, where the SQEs the call consumed begin (online/tools/uring_ring.c). */
	uint32_t uring_sq_head;
	int uring_sq_known;		/* uring_sq_head was read */
};

#define K23_MARK_INJECTED 1	/* result replaced: "(INJECTED)" */
#define K23_MARK_DELAYED 2	/* delayed only: "(DELAYED)" */

struct k23_tool {
	const char *name;
	void (*on_syscall)(const struct k23_call *c);
};

static inline int k23_is_error(long ret)
{
	return (unsigned long)ret > -4096UL;
}

#endif
