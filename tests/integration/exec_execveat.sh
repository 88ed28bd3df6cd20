# exec_execveat.sh - a program replaced with execveat (by fd with AT_EMPTY_PATH, and relative to a dir fd) stays interposed.
. "$TESTS/lib.sh"
pa="$PROGS/print_args"
compare_run -- "$PROGS/execveat" fd "$pa" x y
compare_run -- "$PROGS/execveat" dir "$pa" x y
compare_names -- "$PROGS/execveat" fd "$pa" x y
compare_counts -- "$PROGS/execveat" fd "$pa" x y
compare_counts -- "$PROGS/execveat" dir "$pa" x y
finish
