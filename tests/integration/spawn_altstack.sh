# spawn_altstack.sh - posix_spawn (clone3 CLONE_VM|CLONE_VFORK on a small stack, every signal blocked, file actions) from a program with an alternate signal stack, as CPython's test_posix and test_subprocess do.
#
# The child shares the parent's memory and alternate-stack setting; its
# trapped calls must not put k23's frames where the parent's are (once a
# SIGSEGV in the parent), and 40 children must leave nothing in the
# parent's memory map.
. "$TESTS/lib.sh"
compare_run -- "$PROGS/spawn_altstack"
compare_run --tool count -o /dev/null -- "$PROGS/spawn_altstack"
finish
