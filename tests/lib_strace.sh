# tests/lib_strace.sh - line-by-line comparisons of k23's trace with strace's under the same strace options; sourced after tests/lib.sh.
#
# Both run with -ff -o PREFIX, so each process (thread) has a file of its
# own and no line is split by another's ("<unfinished ...>"), and the files
# are compared as a set by tests/strace_lines.py, which says what it
# normalises and why. strace runs with -e signal=none: k23's trace shows
# calls only, no signal deliveries (docs/strace-compat.md).

# compare_strace_lines STRACE-OPTIONS... -- CMD...: `k23 run STRACE-OPTIONS
# -ff -o k23.ff -- CMD` writes the same lines as `strace -f -qq
# STRACE-OPTIONS -ff -o strace.ff CMD`; and the program printed the same
# and ended the same way.
compare_strace_lines()
{
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	local what="${opts[*]} -- $*"
	rm -f strace.ff.* k23.ff.*
	# The program's stdout and stderr are the same files in both runs (-y
	# shows their paths).
	( strace -f -qq -e signal=none "${opts[@]}" -ff -o strace.ff "$@" < "${STDIN:-/dev/null}" \
		> prog.out 2> prog.err; echo $? > strace.rc ) 2> /dev/null
	mv prog.out strace.out; mv prog.err strace.err
	run_k23 prog "${opts[@]}" -ff -o k23.ff -- "$@"
	mv prog.out k23.out; mv prog.err k23.err; mv prog.rc k23.rc
	if ! cmp -s strace.rc k23.rc || ! cmp -s strace.out k23.out; then
		not_ok "same stdout and status under strace and k23: $what"
		echo "  strace $(describe_status "$(cat strace.rc)"), k23 $(describe_status "$(cat k23.rc)")"
		diff strace.out k23.out | head -n 10 | sed 's/^/  /'
		show_file "k23 stderr" k23.err
		return 1
	fi
	if "$TESTS/strace_lines.py" strace.ff k23.ff > lines.cmp; then
		ok "lines like strace ($(cat lines.cmp)): $what"
		return 0
	fi
	not_ok "lines like strace: $what"
	sed 's/^/  /' lines.cmp
	return 1
}

# compare_strace_counts STRACE-OPTIONS... -- CMD...: `k23 run -c
# STRACE-OPTIONS -o FILE -- CMD` counts each call (and its errors) as
# `strace -f -c STRACE-OPTIONS` does (tests/lib.sh's normalising: strace's
# initial execve; exit and exit_group, which strace cannot count), and
# its rows come in the order -S asks (only "calls" and "name" are checked).
compare_strace_counts()
{
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	local what="-c ${opts[*]} -- $*" sort=calls i
	for ((i = 0; i + 1 < ${#opts[@]}; i++)); do
		[ "${opts[i]}" = -S ] && sort=${opts[i + 1]}
	done
	( strace -f -qq -c -U calls,errors,name "${opts[@]}" -o strace.table "$@" \
		< "${STDIN:-/dev/null}" > strace.out 2> strace.err; echo $? > strace.rc ) 2> /dev/null
	parse_strace_counts strace.table | drop_initial_execve > strace.counts
	rm -f k23.table
	run_k23 k23 -c "${opts[@]}" -o k23.table -- "$@"
	parse_k23_counts k23.table | drop_nonreturning > k23.counts
	if counts_differ "counts like strace -f -c: $what" strace.counts k23.counts; then
		return 1
	fi
	# The table's own order (rows between the two dashed lines).
	awk '/^-+ / { n++; next } n == 1 { print $1, $2, $3 }' k23.table > k23.rows
	case $sort in
	calls) sort -s -k1,1nr -k3,3 k23.rows > want.rows ;;
	name) LC_ALL=C sort -s -k3,3 k23.rows > want.rows ;;
	*) cp k23.rows want.rows ;;
	esac
	if ! cmp -s want.rows k23.rows || [ ! -s k23.rows ]; then
		not_ok "count rows sorted by $sort: $what"
		show_file "k23 table" k23.table
		return 1
	fi
	ok "counts like strace -f -c, rows by $sort ($(awk '{ n += $2 } END { print n }' k23.counts) calls): $what"
}
