# signal_mask.sh - a signal mask the program sets with sigprocmask holds under k23 (blocked signals stay pending) in every catch-all mode.
. "$TESTS/lib.sh"
# The program's own view must be the native one: SIGCHLD from two children and
# a self-sent SIGUSR1 stay pending while blocked, each handler runs once on
# unblock. (A mask changed inside a SIGSYS handler is lost at its sigreturn
# unless the dispatcher writes it into the saved ucontext.)
compare_run -- "$PROGS/sigmask"
for mode in sud seccomp both; do
	compare_run --catch-all=$mode -- "$PROGS/sigmask"
done
finish
