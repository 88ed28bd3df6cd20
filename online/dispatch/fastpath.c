/* fastpath.c - the table patch_entry.S consults before taking a patched call without the dispatcher.
 *
 * With no tool (or a tool that reports only some calls) and no --stats, the dispatcher only passes most calls
 * through; patch_entry.S then makes them itself. Everything that needs
 * more - a tool that reports, statistics, a special call, the program's
 * own filter or SUD, a program that moved %gs, a tracer of tracees under
 * k23 (whose calls k23 must be able to make again: ptrace_async.c) - turns
 * the bit or the whole table off and the call takes the full path.
 */
#include "online/core/rt.h"
#include "online/dispatch/dispatch.h"
#include "online/views/prog_sud.h"
#include "online/core/tarea.h"
#include "online/dispatch/fastpath.h"
#include "online/ptrace/ptrace_tracee.h"
#include "online/ptrace/ptrace_async.h"
#include "online/views/prog_seccomp.h"

struct k23_fast k23_fast __attribute__((aligned(64)));

/* 1 if call nr must reach the dispatcher for what strace's options asked:
 * the tool reports it, or an injection names it (online/tools/topts.h). */
static int opts_want(long nr)
{
	const struct k23_topts *o = k23_rt.opts;

	return (k23_rt.tool_ops && k23_tool_wants(nr)) ||
	       (o && k23_topts_bit(o->inject_any, (unsigned long)nr));
}

void k23_fast_update(void)
{
	/* A tool that reports only some calls (-e trace=) leaves the others
	 * to the fast path, as with no tool at all. */
	int ok = k23_rt.patch != K23_PATCH_OFF && (!k23_rt.tool_ops || k23_rt.opts) &&
		 !k23_rt.stats_area && !k23_patch_disabled && !k23_program_filters &&
		 !k23_prog_sud_seen && !k23_ptrace_traced() && !k23_prog_strict_seen &&
		 !k23_tracer_async_on;
	uint64_t map[K23_FAST_MAX / 64] = { 0 };

	if (!ok) {
		__atomic_store_n(&k23_fast.ok, 0, __ATOMIC_SEQ_CST);
		return;
	}
	for (long nr = 0; nr < K23_FAST_MAX; nr++)
		if (k23_passes_through(nr) && !opts_want(nr))
			map[nr / 64] |= 1UL << (nr % 64);
	for (int i = 0; i < K23_FAST_MAX / 64; i++)
		__atomic_store_n(&k23_fast.map[i], map[i], __ATOMIC_SEQ_CST);
	__atomic_store_n(&k23_fast.ok, 1, __ATOMIC_SEQ_CST);
}
