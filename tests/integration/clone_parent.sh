# clone_parent.sh - clone(CLONE_PARENT|SIGCHLD): the child is its grandparent's, with and without k23's supervisor (--tool count) as that grandparent.
. "$TESTS/lib.sh"
for m in nested direct; do
	compare_run -- "$PROGS/clone_parent" "$m"
	compare_run --tool count -o /dev/null -- "$PROGS/clone_parent" "$m"
done
finish
