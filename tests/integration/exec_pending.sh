# exec_pending.sh - a blocked SIGSYS the program sent itself (kill, tgkill, sigqueue) stays pending across execve and arrives, with its siginfo, when the new image unblocks it, in every catch-all mode.
#
# k23 never lets the kernel block SIGSYS, so such a signal waits in k23's
# view of the thread; it used to be lost at the exec (online/process/exec.c
# now queues it to the kernel again just before).
. "$TESTS/lib.sh"
for how in kill tgkill sigqueue none; do
	compare_run -- "$PROGS/exec_pending" $how
	for mode in sud both; do
		compare_run --catch-all=$mode -- "$PROGS/exec_pending" $how
	done
done
compare_counts -- "$PROGS/exec_pending" kill
finish
