# exec_posix_spawn.sh - a child started with posix_spawn (clone3 with CLONE_VFORK in glibc) is interposed too.
. "$TESTS/lib.sh"
compare_run -- "$PROGS/spawn" "$PROGS/print_args" a b
compare_run -- "$PROGS/spawn" sh -c 'exit 4'
compare_run -- "$PROGS/spawn" no-such-program-k23
compare_names -- "$PROGS/spawn" "$PROGS/print_args" a b
compare_counts -- "$PROGS/spawn" "$PROGS/print_args" a b
finish
