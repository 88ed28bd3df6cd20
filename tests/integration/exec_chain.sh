# exec_chain.sh - a program that execs itself through three images is interposed in each, from its first syscall.
. "$TESTS/lib.sh"
GUARD_MAPPED=1	# compare_run: no file the run maps may change (tests/lib.sh)
chain="$PROGS/exec_chain"
compare_run -- "$chain" 2
# Every image's whole syscall sequence (ld.so's first brk onwards, the getppid
# main() starts with, the execve to the next level) matches strace -f.
compare_names -- "$chain" 2
# The getppid of main() was seen in all three images.
n=$(grep -c '^\[pid *[0-9]*\] getppid(' k23.trace)
if [ "$n" = 3 ]; then ok "getppid seen in all 3 images"
else not_ok "getppid seen in all 3 images: seen $n times"; show_file "k23 trace" k23.trace; fi
compare_counts -- "$chain" 2
finish
