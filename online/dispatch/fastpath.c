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
#include "online/tools/tool_count.h"
#include "online/guard/fdguard.h"
#include "rt/syscall_table.h"

struct k23_fast k23_fast __attribute__((aligned(64))) = { .fd_low = INT32_MAX };

/* 1 if an -e inject= rule names call nr (online/tools/topts.h). */
static int injected(long nr)
{
	const struct k23_topts *o = k23_rt.opts;

	return o && k23_topts_bit(o->inject_any, (unsigned long)nr);
}

/* 1 if call nr must reach the dispatcher for what strace's options asked:
 * the tool reports it, or an injection names it. */
static int opts_want(long nr)
{
	return (k23_rt.tool_ops && k23_tool_wants(nr)) || injected(nr);
}

/* The count tool alone counts a call in patch_entry.S (k23_stub_counting),
 * when counting is all it does with it: no time per call (-S time, -T) and
 * no statistics. calls[] and errors[] as the entry adds to them. */
_Static_assert(K23_FAST_MAX == K23_MAX_SYSCALLS, "the count map covers calls[]");
_Static_assert(offsetof(struct k23_counts, errors) - offsetof(struct k23_counts, calls) ==
		       K23_FAST_ERRORS_FROM_CALLS, "errors[] follows calls[]");

static int counts_here(void)
{
	const struct k23_topts *o = k23_rt.opts;

	return k23_rt.tool_ops == &k23_tool_count && k23_rt.counts && k23_rt.patch == K23_PATCH_STUB &&
	       !(o && (o->flags & (K23_TO_DURATION | K23_TO_COUNT_TIME)));
}

/* Which arguments of call nr name a descriptor (fdguard.c checks those):
 * 0 none, 1 the first only, 2 another. The fast path checks only the first. */
static int names_fds(long nr)
{
	const struct k23_syscall_desc *d = k23_syscall_desc(nr);
	int r = 0;

	for (int i = 0; d && i < d->nargs && i < 6; i++) {
		if (d->arg[i] != K23_ARG_FD && d->arg[i] != K23_ARG_DIRFD)
			continue;
		if (i)
			return 2;
		r = 1;
	}
	return r;
}

/* fd is (or is about to be) one of k23's: calls naming it, or anything
 * above it, leave the fast path for the dispatcher from now on. Only ever
 * lowered: a vfork child shares this with its parent, and a number that
 * stops being k23's costs only the dispatcher's check. */
void k23_fast_guard_fd(long fd)
{
	int32_t low = __atomic_load_n(&k23_fast.fd_low, __ATOMIC_RELAXED);

	while (fd >= 0 && fd < low &&
	       !__atomic_compare_exchange_n(&k23_fast.fd_low, &low, (int32_t)fd, 0, __ATOMIC_SEQ_CST,
					    __ATOMIC_RELAXED))
		;
}

void k23_fast_update(void)
{
	/* A tool that reports only some calls (-e trace=) leaves the others
	 * to the fast path, as with no tool at all; the count tool counts
	 * the ones it wants there too. */
	int counting = counts_here();
	int ok = k23_rt.patch != K23_PATCH_OFF && (!k23_rt.tool_ops || k23_rt.opts || counting) &&
		 !k23_rt.stats_area && !k23_patch_disabled && !k23_program_filters &&
		 !k23_prog_sud_seen && !k23_ptrace_traced() && !k23_prog_strict_seen &&
		 !k23_tracer_async_on;
	uint64_t map[K23_FAST_MAX / 64] = { 0 }, count[K23_FAST_MAX / 64] = { 0 };
	uint64_t fd0[K23_FAST_MAX / 64] = { 0 };

	if (!ok) {
		__atomic_store_n(&k23_fast.ok, 0, __ATOMIC_SEQ_CST);
		return;
	}
	k23_fast_guard_fd(k23_fd_guard_lowest());
	for (long nr = 0; nr < K23_FAST_MAX; nr++) {
		int fds = names_fds(nr);

		if (!k23_passes_through(nr) || fds > 1)
			continue;
		if (fds)
			fd0[nr / 64] |= 1UL << (nr % 64);
		if (!opts_want(nr))
			map[nr / 64] |= 1UL << (nr % 64);
		else if (counting && !injected(nr))
			count[nr / 64] |= 1UL << (nr % 64);
	}
	if (counting) /* never cleared: a call on its way may still read it */
		k23_fast.calls = k23_rt.counts->calls;
	for (int i = 0; i < K23_FAST_MAX / 64; i++) /* before the maps that rely on it */
		__atomic_store_n(&k23_fast.fd0[i], fd0[i], __ATOMIC_SEQ_CST);
	for (int i = 0; i < K23_FAST_MAX / 64; i++) {
		__atomic_store_n(&k23_fast.map[i], map[i], __ATOMIC_SEQ_CST);
		__atomic_store_n(&k23_fast.count[i], count[i], __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&k23_fast.ok, 1, __ATOMIC_SEQ_CST);
}

/* A signal that interrupted k23_stub_counting after the call was made and
 * before the entry counted it (sigctx_patched.c): what the entry had left
 * to add. */
void k23_fast_count_rest(unsigned long nr, long ret, int calls_too)
{
	uint64_t *calls = k23_fast.calls;

	if (!calls || nr >= K23_FAST_MAX)
		return;
	if (calls_too)
		__atomic_fetch_add(&calls[nr], 1, __ATOMIC_RELAXED);
	if (k23_is_error(ret))
		__atomic_fetch_add(&calls[nr + K23_FAST_ERRORS_FROM_CALLS / 8], 1, __ATOMIC_RELAXED);
}
