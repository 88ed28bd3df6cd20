# ptrace_sud.sh - PTRACE_SET/GET_SYSCALL_USER_DISPATCH_CONFIG from a tracer under k23: the tracee's SUD behaves as natively, and k23 keeps seeing its calls.
#
# The kernel's SUD setting of a tracee under k23 is k23's own: set for real,
# it would switch off the tracee's interposition, and read for real it shows
# k23's range. The tracer's k23 sets and reads the tracee's emulated SUD
# instead (online/ptrace/ptrace_sud.c). Natively (kernel 6.11 on) the
# requests succeed; before that they fail with EIO, which the native run
# then shows as well.
. "$TESTS/lib.sh"
p="$PROGS/ptrace_sud"

for mode in off on inclusive own-then-on; do
	compare_run -- "$p" $mode
done

# The tracee's calls after the request are all seen: a tracer cannot be
# run under strace (the tracee would have two tracers), so the figure is
# the program's own: three getppid calls with the selector at ALLOW (the
# one made at BLOCK is dispatched to the handler, no system call, as
# natively).
"$K23" run --tool count -o count.out -- "$p" on > k23.out 2>&1
n=$(awk '$3 == "getppid" { print $1 }' count.out)
if grep -q 'selector ALLOW: 0 dispatched' k23.out && [ "${n:-0}" -eq 3 ]; then
	ok "the tracee's 3 getppid calls after the request counted"
else
	not_ok "the tracee's 3 getppid calls after the request counted (counted: ${n:-none})"
	show_file count.out count.out
fi
"$K23" run --tool trace -o trace.out -- "$p" on > k23.out 2>&1
n=$(grep -c '\] getppid() *= [0-9]' trace.out)
if [ "$n" -eq 3 ]; then
	ok "the tracee's 3 getppid calls after the request traced"
else
	not_ok "the tracee's 3 getppid calls after the request traced (traced: $n)"
	grep getppid trace.out | sed 's/^/  | /'
fi
finish
