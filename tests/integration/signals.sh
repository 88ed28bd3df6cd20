# signals.sh - signal handlers, SA_RESTART/EINTR, sigaltstack, siglongjmp, nested signals, rt_sigreturn by hand, the interrupted context, SIGSYS blocked or in sa_mask: as natively in every catch-all mode.
. "$TESTS/lib.sh"
. "$TESTS/lib_counts_filter.sh"
p="$PROGS/signals"
# sigsys-mask (SIGSYS in a handler's sa_mask) is a known difference, listed in
# docs/differences.md: k23 keeps the program's SIGSYS-blocked bit per thread,
# not in the kernel's mask, so the kernel cannot add it on handler entry. Its
# output is still produced by signals.c; compare it by hand with
#   build/tests/progs/signals sigsys-mask; build/k23 run -- build/tests/progs/signals sigsys-mask
cases="handler restart eintr altstack altstack-small longjmp nested sigreturn ucontext blocking
sigsys-blocked"

# signals.c prints, per case, what the program observes (see its header).
for mode in sud seccomp both; do
	for what in $cases; do
		compare_run --catch-all=$mode -- "$p" "$what"
	done
done

# The syscalls made around and inside the handlers are seen as strace sees
# them: getppid is made only by handlers; kill sends the signals (one whose
# handler jumps out with siglongjmp as well); rt_sigaction/sigaltstack set
# them up. Calls restarted by the kernel (read with SA_RESTART) are counted
# twice by strace and are left out.
for mode in sud seccomp both; do
	for what in handler restart eintr altstack longjmp nested sigreturn sigsys-mask; do
		compare_counts_only "getppid kill rt_sigaction sigaltstack" --catch-all=$mode -- "$p" "$what"
	done
	# rt_sigreturn returns what it restores: after a handler that
	# interrupted a read with EINTR, that is -EINTR (an error for strace -c).
	compare_counts_only "rt_sigreturn" --catch-all=$mode -- "$p" eintr
done
finish
