# exit_paths.sh - exit_group from a non-main thread while others block, the main thread exiting first, death by SIGKILL/SIGSEGV/SIGABRT: same output and status as natively, and the count table is still written.
. "$TESTS/lib.sh"
p="$PROGS/exit_paths"
cases="group-from-thread main-exits-first sigkill sigkill-thread sigsegv sigsegv-thread abort"

for what in $cases; do
	# Without a tool k23 becomes the program; with one, the supervisor
	# must end the way the program did.
	for mode in sud seccomp both; do
		compare_run --catch-all=$mode -- "$p" "$what"
	done
	rm -f count.out
	compare_run --tool count -o count.out -- "$p" "$what"
	if [ -s count.out ] && grep -q ' write$' count.out; then
		ok "count table written when the process ends by $what"
	else
		not_ok "count table written when the process ends by $what"
		[ -f count.out ] && show_file "count.out" count.out
	fi
	# The table holds what strace -f -c counts (calls that never return,
	# like the blocked read and futex, are in neither).
	for mode in sud seccomp both; do
		compare_counts --catch-all=$mode -- "$p" "$what"
	done
done
finish
