# stack_hostile.sh - system calls with no usable stack (rsp 0 or non-canonical, 1 KiB above a guard page, MAP_GROWSDOWN, `ulimit -s 32`, a clone child with a stack of -1, clone3's bad arguments, an alternate stack another thread keeps making read-only): as natively.
#
# The kernel needs no user stack for a system call, so k23 needs none:
# its SIGSYS frames go on its own per-thread signal stack.
. "$TESTS/lib.sh"
for m in sp0 noncanon small growsdown clone clone3 altstack; do
	compare_run -- "$PROGS/stack_hostile" "$m"
done
compare_run --tool count -o /dev/null -- "$PROGS/stack_hostile" clone

# k23 itself started under a 32 KiB stack limit, as the program would be.
small_stack() { bash -c 'ulimit -s 32 && exec "$@"' small_stack "$@"; }
run_native native small_stack "$PROGS/stack_hostile" clone
run_native k23 small_stack "$K23" run -- "$PROGS/stack_hostile" clone
if cmp -s native.out k23.out && cmp -s native.rc k23.rc; then
	ok "same output and $(describe_status "$(cat native.rc)") under ulimit -s 32"
else
	not_ok "under ulimit -s 32: native $(describe_status "$(cat native.rc)"), k23 $(describe_status "$(cat k23.rc)")"
	diff native.out k23.out | head -n 10
	show_file "k23 stderr" k23.err
fi
finish
