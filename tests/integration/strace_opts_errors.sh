# strace_opts_errors.sh - a strace option k23 cannot honour is a usage error (exit 2, one line), never ignored.
. "$TESTS/lib.sh"
for args in "-e trace=no_such_call" "-e trace=%no_such_class" "-e status=sometimes" \
	"-e inject=getppid:error=ENOSUCH" "-e inject=getppid:error=EPERM:when=0" \
	"-e inject=getppid:error=EPERM:when=3..2" "-e inject=getppid:error=EPERM:retval=1" \
	"-e inject=getppid" "-e inject=getppid:signal=SIGKILL" "-e signal=none" "-e trace=/(" \
	"-S min-time -c" "-s many" "-c --tool trace"; do
	# shellcheck disable=SC2086
	expect_error_line 2 "k23 run $args" '^k23: run: ' run $args -- true
done
# And ?name is no error (strace's "do not complain" mark).
run_k23 k23 -e 'trace=?no_such_call,getpid' -o k23.trace -- true
[ "$(cat k23.rc)" = 0 ] && ok "-e trace=?no_such_call,getpid: accepted" ||
	{ not_ok "-e trace=?no_such_call,getpid: accepted"; show_file "k23 stderr" k23.err; }
finish
