# tests/lib_counts_filter.sh - count comparisons against strace restricted to some syscalls; sourced after tests/lib.sh.
#
# compare_counts compares every row; programs with threads, timers or
# restarted calls make some rows differ between any two runs (futex calls of
# pthread_join depend on who gets there first; strace counts a call the kernel
# restarts after a signal twice, the program and k23 see it once). These
# compare only the rows that are deterministic.
#
#   compare_counts_only "NAME..." [K23-OPTIONS...] -- CMD...
#       calls and errors of each NAME (0 0 when absent) equal strace -f -c's
#   compare_counts_except "NAME..." [K23-OPTIONS...] -- CMD...
#       every row but those of NAME... equals strace -f -c's

# _filter_counts MODE "NAMES" < counts: MODE only|except.
_filter_counts()
{
	awk -v mode="$1" -v names="$2" '
	BEGIN { n = split(names, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
	mode == "only" && ($1 in want) { seen[$1] = $0; next }
	mode == "except" && !($1 in want) { print }
	END { if (mode == "only") for (i = 1; i <= n; i++)
		print (a[i] in seen) ? seen[a[i]] : a[i] " 0 0" }
	' | LC_ALL=C sort
}

_compare_counts_filtered()
{
	local mode=$1 names=$2; shift 2
	local label="rows $names"
	[ "$mode" = except ] && label="all rows but $names"
	count_both " ($label)" "$@" || return 1
	local what=$COUNT_WHAT
	_filter_counts "$mode" "$names" < strace.counts > strace.fcounts
	_filter_counts "$mode" "$names" < k23.counts > k23.fcounts
	counts_differ "counts like strace -f -c ($label): $what" strace.fcounts k23.fcounts && return 1
	ok "counts like strace -f -c ($label; $(awk '{ n += $2 } END { print n }' k23.fcounts) calls): $what"
	return 0
}

compare_counts_only() { _compare_counts_filtered only "$@"; }
compare_counts_except() { _compare_counts_filtered except "$@"; }
