# own_filter.sh - a program that sandboxes itself with an allow-list seccomp filter (RET_ERRNO, RET_KILL_PROCESS, RET_TRAP defaults; TSYNC; fork and exec after it) runs as natively in every catch-all mode: the filter judges the program's calls, not k23's own.
. "$TESTS/lib.sh"
p="$PROGS/own_filter"

# own_filter.c prints what the program observes: the errno its filter
# gives, the status it kills the process with, the siginfo its own SIGSYS
# handler gets and the result it chooses, a filter synchronised to the
# other thread, the filter in a forked child and in the image it executes
# (its trap handler's frame there too), the verdict on calls k23 answers
# itself (answered), a USER_NOTIF listener's answer, a filter of the
# kernel's maximum length, SECCOMP_GET_ACTION_AVAIL and how many filters
# /proc/self/status gained.
# Every filter refuses rt_sigreturn (the trap case's allows it, for the
# handler's own return): the call that ends k23's SIGSYS handler.
# The run-integration passes run this patched and with --no-patch.
for mode in hybrid sud seccomp both; do
	for what in errno errno-prctl kill trap tsync fork-exec trap-exec answered notify long; do
		compare_run --catch-all=$mode -- "$p" "$what"
	done
done
# With a tool: its writes and clock reads are k23's own, the program's
# write is still counted.
compare_run --tool count -o count.out -- "$p" errno
if grep -q ' getppid$' count.out 2> /dev/null; then
	ok "count: the program's refused getppid is counted"
else
	not_ok "count: the program's refused getppid is counted"
	show_file count.out count.out
fi

# The documented limit (docs/threat-model.md): a jump to k23's own system
# call instruction gets the calls k23 makes for itself (openat) past the
# program's filter, and only those (getppid, socket, execve stay refused;
# prctl and prlimit64 pass only with the arguments k23 uses).
addr=$(nm "$TESTS/../build/k23-core" | awk '$3 == "k23_own_syscall" { print $1 }')
for mode in hybrid seccomp; do
	"$K23" run --catch-all=$mode -- "$p" escape "$addr" > esc.out 2>&1
	if printf '%s\n' "install: 0" "openat via k23's instruction: ok" \
		"getppid via k23's instruction: -EPERM" "socket via k23's instruction: -EPERM" \
		"execve via k23's instruction: -EPERM" \
		"prctl(PR_GET_DUMPABLE) via k23's instruction: -EPERM" \
		"prlimit64(1, RLIMIT_NOFILE) via k23's instruction: -EPERM" \
		"prlimit64(0, RLIMIT_NOFILE) via k23's instruction: 0" \
		"openat from its own instruction: -EPERM" | cmp -s - esc.out; then
		ok "--catch-all=$mode: k23's own instruction passes the program's filter for its own calls only"
	else
		not_ok "--catch-all=$mode: k23's own instruction passes the program's filter for its own calls only"
		show_file esc.out esc.out
	fi
done
finish
