# catch_all_modes.sh - each --catch-all mode (hybrid, sud, seccomp, both) runs programs as natively and sees every syscall.
. "$TESTS/lib.sh"
fixture_tree fixture
for mode in hybrid sud seccomp both; do
	compare_run --catch-all=$mode -- ls -la fixture/tree
	compare_run --catch-all=$mode -- ls /nonexistent-k23
	compare_run --catch-all=$mode -- bash -c 'echo hi | cat; exit 3'
	compare_run --catch-all=$mode -- "$PROGS/exec_chain" 2
	compare_run --catch-all=$mode -- "$PROGS/static_hello"
	compare_counts --catch-all=$mode -- /bin/true
	compare_counts --catch-all=$mode -- "$PROGS/exec_chain" 2
done
finish
