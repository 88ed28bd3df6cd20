# inject_like_strace.sh - -e inject= and -e fault= give the program the errors and the exit status strace -f gives it for the same specs.
#
# inject_probe makes getppid, getpid, openat and write in its main thread,
# a thread and a fork child, and prints how each call ended: the counting
# of when= is per thread (each thread and each new process from 0, calls
# of the loader included), as strace's. k23 injects without a tool here
# (nothing is traced); then with the trace, whose lines say "(INJECTED)"
# where strace's do.
. "$TESTS/lib.sh"
. "$TESTS/lib_strace.sh"
p="$PROGS/inject_probe"
for spec in inject=getppid:error=EPERM inject=getppid:error=EPERM:when=2 \
	inject=getppid:retval=42:when=2+2 inject=openat:error=ENOENT:when=3..4 \
	'inject=getppid,getpid:error=EACCES:when=1..3+2' inject=write:error=ENOSPC:when=3 \
	fault=getppid:when=2 'inject=%process,getppid:error=EPERM:when=3+' \
	'inject=/^getp:error=E2BIG:when=4' 'inject=!write,exit_group,openat,mmap,mprotect,munmap,brk,arch_prctl,rt_sigprocmask,rt_sigaction,rseq,set_robust_list,set_tid_address,clone3,clone,futex,prlimit64,getrandom,newfstatat,read,pread64,close,access,madvise,exit,wait4:retval=7'; do
	( strace -f -qq -o /dev/null -e "$spec" "$p" > strace.out 2> strace.err; echo $? > strace.rc ) 2> /dev/null
	run_k23 k23 -e "$spec" -- "$p"
	if cmp -s strace.out k23.out && cmp -s strace.err k23.err && cmp -s strace.rc k23.rc; then
		ok "-e $spec: the program saw what it sees under strace ($(grep -c -- '-1 ' k23.err) errors, $(describe_status "$(cat k23.rc)"))"
	else
		not_ok "-e $spec: the program saw what it sees under strace"
		echo "  strace $(describe_status "$(cat strace.rc)"), k23 $(describe_status "$(cat k23.rc)")"
		diff strace.err k23.err | head -n 20 | sed 's/^/  /'
	fi
done
# The trace of injected calls, as strace's: "(INJECTED)".
compare_strace_lines -e trace=openat,write -e inject=openat:error=ENOENT:when=3..4 \
	-e inject=write:retval=0:when=2 -- "$p"
# delay_enter and delay_exit: the call is made, late, and marked "(DELAYED)";
# -T counts the delay before the call, not the one after (as strace's).
run_k23 k23 -e trace=getpid -e inject=getpid:delay_enter=20ms:delay_exit=30000:when=2 -T -o k23.trace -- "$p"
delayed=$(grep -c '^\[pid *[0-9]*\] getpid() *= [0-9]* (DELAYED) <0\.0[2-4]' k23.trace)
if [ "$delayed" = 3 ] && [ "$(grep -c 'DELAYED' k23.trace)" = 3 ] && [ "$(cat k23.rc)" = 0 ]; then
	ok "delay_enter=20ms:delay_exit=30000:when=2: 3 calls (one per thread) marked (DELAYED), -T 20 ms or more"
else
	not_ok "delay_enter=20ms:delay_exit=30000:when=2: 3 calls (one per thread) marked (DELAYED), -T 20 ms or more"
	grep getpid k23.trace | head | sed 's/^/  /'
fi
finish
