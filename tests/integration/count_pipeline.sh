# count_pipeline.sh - k23 --tool count of `bash -c 'echo hi | cat'` (fork, pipe, execve of cat) equals strace -f -c.
. "$TESTS/lib.sh"
# bash blocks SIGCHLD while it waits for the two children, so the signal is
# delivered once, after both wait4 calls: one rt_sigreturn and one failing
# wait4(WNOHANG) regardless of timing (checked over 20 strace runs).
compare_counts -- bash -c 'echo hi | cat'
finish
