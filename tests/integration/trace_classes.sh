# trace_classes.sh - each strace class (-e trace=%file, %network, ...) holds in k23 the calls strace's own strace puts in it.
#
# The calls of every number are made once each, none for real: under
# strace by every_call, whose own seccomp filter refuses them; under k23
# by nolibc_every_call with every call but exit_group injected with
# ENOSYS. The names each run shows for a class must be the same (numbers
# strace has no name for it shows whatever the filter, as syscall_0x...;
# they are left out, and so are the names k23 knows and strace does not,
# numbers newer than strace). cli/strace_classes.c was generated the same way
# (scripts/gen-strace-classes): this checks it against the strace of this
# machine, and checks that k23 reports exactly the calls of the class.
. "$TESTS/lib.sh"
names()
{
	sed -E 's/^\[pid +[0-9]+\] //; s/^([a-z0-9_]+)\(.*/\1/; t; d' "$1" | grep -v '^syscall_' |
		LC_ALL=C sort -u | LC_ALL=C join - strace.known
}
# strace_calls OUT: strace's lines but the first when it is the execve
# strace starts the program with (shown only when execve is traced).
strace_calls()
{
	if head -n 1 strace.trace | grep -q '^execve('; then tail -n +2 strace.trace; else cat strace.trace; fi > "$1"
}
# Every name strace knows: those it shows of every number.
strace -qq -o strace.trace "$PROGS/every_call" > /dev/null 2>&1
sed -E 's/^([a-z0-9_]+)\(.*/\1/; t; d' strace.trace | grep -v '^syscall_' | LC_ALL=C sort -u > strace.known
for class in file process network net signal ipc desc memory creds clock pure stat lstat fstat \
	%stat statfs fstatfs %statfs; do
	strace -qq -o strace.trace -e trace="%$class" "$PROGS/every_call" > /dev/null 2>&1
	strace_calls strace.calls
	names strace.calls > want.names
	run_k23 k23 -e trace="%$class" -e 'inject=!exit_group:error=ENOSYS' -o k23.trace -- \
		"$PROGS/nolibc_every_call"
	names k23.trace > got.names
	if [ "$(cat k23.rc)" = 0 ] && [ -s want.names ] && cmp -s want.names got.names; then
		ok "%$class: the $(wc -l < got.names) calls strace traces"
	else
		not_ok "%$class: the calls strace traces (k23 $(describe_status "$(cat k23.rc)"))"
		diff want.names got.names | sed 's/^/  /' | head -n 20
	fi
done
# Negation and names together: everything but the class and getpid.
strace -qq -o strace.trace -e 'trace=!%desc,getpid' "$PROGS/every_call" > /dev/null 2>&1
strace_calls strace.calls
names strace.calls > want.names
run_k23 k23 -e 'trace=!%desc,getpid' -e 'inject=!exit_group:error=ENOSYS' -o k23.trace -- \
	"$PROGS/nolibc_every_call"
names k23.trace > got.names
diff_check "trace=!%desc,getpid: the calls strace traces" want.names got.names
finish
