# exec_mask.sh - after execve the new image starts with exactly the signal mask the old one executed with, SIGSYS included, in every catch-all mode.
. "$TESTS/lib.sh"
for set in all sigsys usr1; do
	compare_run -- "$PROGS/exec_mask" $set
	for mode in sud both; do
		compare_run --catch-all=$mode -- "$PROGS/exec_mask" $set
	done
done
finish
