# sigctx.sh - a signal handler that interrupts a blocked read - libc's, or the program's own syscall instruction - sees the program's context (rip at the site for dladdr and _Unwind_FindEnclosingFunction, rax, a backtrace reaching read's caller, every register the program set, xmm1), and its changes to it reach the program; trapped and through patched sites, as natively; so do signals landing anywhere around a patched call (sigctx_edges), and the count tool counts each call once.
. "$TESTS/lib.sh"
. "$TESTS/lib_patch.sh"
p="$PROGS/sigctx"
e="$PROGS/sigctx_edges"

# --no-patch: read is trapped and made by k23 with the program's mask.
compare_run --no-patch -- "$e"
for what in restart eintr modify; do
	for kind in libc raw; do
		for mode in seccomp sud; do
			compare_run --no-patch --catch-all=$mode -- "$p" $what $kind
		done
	done
done
for kind in libc raw; do
	compare_run --no-patch --tool trace -o trace.out -- "$p" modify $kind
done

# Patched from a sidecar (--no-lazy: the sites are the sidecar's): the
# read is made by k23_stub_entry's fast path, or (with --stats or a tool)
# from C; under `run-integration --page0` by way of page 0.
if patching_on; then
	cache=$PWD/cache
	prepare_into "$cache" "$p" "$e"
	for what in restart eintr modify; do
		for kind in libc raw; do
			for mode in seccomp sud; do
				compare_run --cache "$cache" --no-lazy --catch-all=$mode -- "$p" $what $kind
			done
			compare_run --cache "$cache" --no-lazy --stats -o stats.out -- "$p" $what $kind
		done
	done
	for kind in libc raw; do
		compare_run --cache "$cache" --no-lazy --tool trace -o trace.out -- "$p" modify $kind
	done
	# Signals at every instruction of a patched call's way in and out:
	# the fast path, and C (--stats, a tool).
	compare_run --cache "$cache" --no-lazy --catch-all=seccomp -- "$e"
	compare_run --cache "$cache" --no-lazy --catch-all=sud --stats -o stats.out -- "$e"
	compare_run --cache "$cache" --no-lazy --tool count -o count.out -- "$e"
	# The count tool alone counts in the entry (k23_stub_counting), and a
	# signal between the call and its count leaves the rest to the
	# handler's way in: each of the loop's calls counted once.
	run_k23 counted --cache "$cache" --no-lazy --tool count -o count.out -- "$e" 20000 made.txt
	made=$(awk '$1 == "getppid" { print $2 }' made.txt 2> /dev/null)
	counted=$(awk '$NF == "getppid" { print $1 }' count.out 2> /dev/null)
	if [ "$(cat counted.rc)" = 0 ] && [ -n "$made" ] && [ "$made" = "$counted" ]; then
		ok "count under a signal storm: $counted getppid counted, as many as made"
	else
		not_ok "count under a signal storm: ${made:-?} getppid made, ${counted:-?} counted"
		show_file stderr counted.err
	fi
	# The page-0 strategy, where page 0 can be mapped.
	if [ "${TESTS_PATCHING:-on}" != page0 ] && page0_ok; then
		for what in restart eintr modify; do
			for kind in libc raw; do
				compare_run --cache "$cache" --no-lazy --patch=page0 -- "$p" $what $kind
				compare_run --cache "$cache" --no-lazy --patch=page0 --stats -o stats.out \
					-- "$p" $what $kind
			done
		done
		compare_run --cache "$cache" --no-lazy --patch=page0 -- "$e"
		compare_run --cache "$cache" --no-lazy --patch=page0 --catch-all=sud --stats -o stats.out -- "$e"
	fi
	# Patched lazily (no sidecar: the raw site's `mov $0,%eax; syscall`
	# is patched after its first trap), and the loop of sigctx_edges.
	mkdir -p empty
	compare_run --cache "$PWD/empty" -- "$p" eintr raw
	compare_run --cache "$PWD/empty" -- "$p" restart raw
	compare_run --cache "$PWD/empty" -- "$e"
	# The reads did come through patched sites: ten more signals, ten
	# more reads in the main thread (each ends with EINTR). The calls that
	# trap are each handler's rt_sigreturn and the signalling thread's
	# tgkill; any other ten would be the reads.
	for kind in libc raw; do
		stats_delta --cache "$cache" --no-lazy -- "$p" -- eintr $kind 2 -- eintr $kind 12 || continue
		other=$((D_TRAPPED - $(delta_of rt_sigreturn) - $(delta_of tgkill)))
		if [ "$(delta_of read)" -ge 10 ] && [ "$other" -lt 10 ]; then
			ok "$kind: the extra reads were patched calls ($(delta_line); $other other trapped)"
		else
			not_ok "$kind: the extra reads were not patched calls ($(delta_line); $other other trapped)"
		fi
	done
fi
finish
