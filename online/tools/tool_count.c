/* tool_count.c - the count tool: per-syscall calls and errors, summed over the whole process tree.
 *
 * The counters live in a memfd mapped shared by every process of the tree
 * (the descriptor survives fork and execve; see fdguard.c), so a process that
 * is killed outright has already counted everything it did. k23's supervisor
 * prints the table when the last process is gone.
 */
#include <asm/unistd.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/tools/tool_count.h"

static void count(const struct k23_call *c)
{
	struct k23_counts *t = k23_rt.counts;
	int err = c->ret != K23_RET_NONE && k23_is_error(c->ret);

	if (!t)
		return;
	if ((unsigned long)c->nr < K23_MAX_SYSCALLS) {
		/* -c -S time: the time from entry to here (c->t_mono set by the
		 * dispatcher only when asked) */
		if (c->t_mono && c->ret != K23_RET_NONE) {
			struct { long sec, nsec; } ts = { 0, 0 };
			uint64_t now;

			k23_syscall2(__NR_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)&ts);
			now = (uint64_t)ts.sec * 1000000000ULL + (uint64_t)ts.nsec;
			if (now > c->t_mono)
				__atomic_fetch_add(&k23_rt.shared->count_ns[c->nr], now - c->t_mono,
						   __ATOMIC_RELAXED);
		}
		__atomic_fetch_add(&t->calls[c->nr], 1, __ATOMIC_RELAXED);
		if (err)
			__atomic_fetch_add(&t->errors[c->nr], 1, __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&t->other_calls, 1, __ATOMIC_RELAXED);
		if (err)
			__atomic_fetch_add(&t->other_errors, 1, __ATOMIC_RELAXED);
	}
}

const struct k23_tool k23_tool_count = { "count", count };
