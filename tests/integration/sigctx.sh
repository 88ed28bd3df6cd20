# sigctx.sh - a signal handler that interrupts a trapped call blocked in libc's read sees the program's context (rip in read for dladdr and _Unwind_FindEnclosingFunction, a backtrace reaching read's caller, the program's r12-r15), and its changes to it reach the program; as natively.
. "$TESTS/lib.sh"
p="$PROGS/sigctx"
# --no-patch: read is trapped and made by k23 with the program's mask.
# Patched calls are not covered yet (docs/differences.md).
for what in restart eintr modify; do
	for mode in seccomp sud both; do
		compare_run --no-patch --catch-all=$mode -- "$p" $what
	done
	compare_run --no-patch --tool trace -o trace.out -- "$p" $what
done
finish
