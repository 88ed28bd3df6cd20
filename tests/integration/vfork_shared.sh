# vfork_shared.sh - a vfork child (vfork, clone CLONE_VM|CLONE_VFORK) writes a global, a stack variable and heap memory; the parent reads them, as natively.
. "$TESTS/lib.sh"
compare_run -- "$PROGS/vfork_shared"
compare_run --tool count -o /dev/null -- "$PROGS/vfork_shared"
compare_run --tool trace -o /dev/null -- "$PROGS/vfork_shared"
finish
