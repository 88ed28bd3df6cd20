# count_true.sh - k23 --tool count of /bin/true equals strace -f -c (less strace's initial execve).
. "$TESTS/lib.sh"
compare_counts -- /bin/true
finish
