# exit_status.sh - k23 run exits with the program's status, and dies of the signal the program dies of.
. "$TESTS/lib.sh"
for n in 0 1 2 42 126 127 255; do
	compare_run -- sh -c "exit $n"
done
compare_run -- /bin/false
compare_run -- "$PROGS/open_missing"	# returns 3 from main
# Death by signal: the shell sees 128+N in both runs.
compare_run -- sh -c 'kill -TERM $$'
compare_run -- sh -c 'kill -KILL $$'
compare_run -- sh -c 'kill -SEGV $$'
compare_run -- sh -c 'kill -ABRT $$'
finish
