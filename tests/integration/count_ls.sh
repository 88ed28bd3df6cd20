# count_ls.sh - k23 --tool count of `ls -la /usr/lib` equals strace -f -c; output to a file in both runs.
. "$TESTS/lib.sh"
# ls output goes to a file (not a tty) in both runs, so ls takes the same path.
compare_counts -- ls -la /usr/lib
finish
