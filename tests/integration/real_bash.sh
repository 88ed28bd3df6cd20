# real_bash.sh - a bash pipeline with subshells, a group and command substitution behaves as natively; counts match strace -f -c.
. "$TESTS/real_lib.sh"
GUARD_MAPPED=1	# compare_run: no file the run maps may change (tests/lib.sh)
# Each pipe carries data written by a single write (printf, sort, tr), so
# how many reads the reader makes does not depend on timing; `read` takes one
# byte per call whatever arrived. Over 20 native strace runs every count,
# SIGCHLD's rt_sigreturn and wait4 included, was the same: nothing excluded.
script='(printf "b\na\nc\n"; (exit 0)) | { read -r x; echo "first: $x" >&2; sort; } | ( tr a-z A-Z )
y=$( (echo sub) | tr a-z A-Z ); echo "y=$y"
( exit 3 ) || echo "subshell status $?"
exit 4'
compare_run -- bash -c "$script"
compare_counts -- bash -c "$script"
finish
