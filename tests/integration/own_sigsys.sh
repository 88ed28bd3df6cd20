# own_sigsys.sh - a program's own SIGSYS handler, seccomp filters (RET_ERRNO, RET_TRAP, RET_KILL_PROCESS) and Syscall User Dispatch behave as natively, in every catch-all mode.
. "$TESTS/lib.sh"
. "$TESTS/lib_counts_filter.sh"
p="$PROGS/own_sigsys"

# own_sigsys.c prints what the program observes: the errno its filter
# returns, the siginfo (si_code, si_syscall, si_errno, si_call_addr) and
# ucontext (REG_RIP, REG_RAX it sets) its handler gets for a RET_TRAP, the
# handler runs for kill(SIGSYS) (and that one sent from the handler waits
# for it to return: no SA_NODEFER; so does a flood of them from another
# process, which once nested k23's own handler until its signal stack was
# full), the status when its filter kills it, and
# its own SUD (selector, exempt range, not inherited by a new thread).
for mode in sud seccomp both; do
	for what in errno trap trap-nested kill-self kill-again kill-flood kill-filter sud; do
		compare_run --catch-all=$mode -- "$p" "$what"
	done
	# Killed by its own filter: the count table is still written.
	rm -f count.out
	compare_run --catch-all=$mode --tool count -o count.out -- "$p" kill-filter
	if [ -s count.out ] && grep -q ' seccomp$' count.out; then
		ok "--catch-all=$mode: count table written for a process its own filter killed"
	else
		not_ok "--catch-all=$mode: count table written for a process its own filter killed"
		[ -f count.out ] && show_file "count.out" count.out
	fi
done

# The default catch-all too.
compare_run -- "$p" kill-again
compare_run -- "$p" kill-flood

# The calls the filter acts on are the program's calls: counted as strace
# counts them (getppid failing with EPERM; getpgid trapped, whose result the
# handler chooses; the SUD case's getppid made by the program and its thread).
for mode in sud seccomp both; do
	for what in errno trap trap-nested sud; do
		compare_counts_only "getppid getpgid" --catch-all=$mode -- "$p" "$what"
	done
done
finish
