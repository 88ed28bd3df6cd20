# ptrace.sh - a tracer under k23 sees its tracee as natively: syscall, event and signal stops, strace -f, gdb.
. "$TESTS/lib.sh"
p="$PROGS/ptrace_syscalls"

# Our own tracer: every syscall entry and exit stop of a traced child (number,
# first argument, result, checked against GETREGS), the exec event, signals;
# it changes lseek's descriptor at the entry stop. TRACEME and SEIZE.
compare_run -- "$p" traceme "$p" child
compare_run -- "$p" seize "$p" child
# A child seizes its parent, interrupts it, reads its registers and detaches,
# while the parent keeps making calls.
compare_run -- "$p" seize-parent
# A parent seizes its child and, without waiting for it, blocks on a pipe
# the child writes after 200 calls k23 traps (each a SIGSYS stop under a
# tracer): natively the child never stops (online/ptrace/ptrace_async.c).
# timeout: a stopped child would leave the parent blocked.
compare_run -- timeout 20 "$p" seize-nowait 200
compare_run --tool count -o count.out -- timeout 20 "$p" seize-nowait 200
compare_run --tool trace -o trace.out -- timeout 20 "$p" seize-nowait 200

# strace: pids, addresses and numbers that differ from run to run filtered out.
strace_filter()
{
	sed -E 's/^[0-9]+ +//; s/0x[0-9a-f]+/ADDR/g; s/= [0-9]+$/= N/; s/[0-9]+ vars/N vars/' "$1"
}
if ! command -v strace > /dev/null; then
	echo "SKIP strace is not installed"
else
	for prog in "/bin/true" "$p child"; do
		# shellcheck disable=SC2086
		strace -f -o native.st $prog > /dev/null 2>&1
		# shellcheck disable=SC2086
		"$K23" run -- strace -f -o k23.st $prog > /dev/null 2>&1
		strace_filter native.st > native.stf
		strace_filter k23.st > k23.stf
		diff_check "strace -f $prog: the same trace ($(wc -l < native.stf) lines)" native.stf k23.stf
	done
fi

# gdb: run to the crash, backtrace (addresses left out: gdb's native run
# disables address randomisation, which k23's loader does not follow, and
# the initial stack is laid out by k23's loader).
if ! command -v gdb > /dev/null; then
	echo "SKIP gdb is not installed"
else
	gdb_filter()
	{
		grep -E '^(#[0-9]|Program received|Breakpoint 1,|[0-9]+	)' "$1" |
			sed -E 's/0x[0-9a-f]+ in //; s/0x[0-9a-f]+/ADDR/g'
	}
	gdb -nx -batch -ex run -ex bt --args "$p" crash > native.gdb 2>&1
	"$K23" run -- gdb -nx -batch -ex run -ex bt --args "$p" crash > k23.gdb 2>&1
	gdb_filter native.gdb > native.gdbf
	gdb_filter k23.gdb > k23.gdbf
	diff_check "gdb -batch -ex run -ex bt: the same stop and backtrace" native.gdbf k23.gdbf
	gdb -nx -batch -ex 'break crash_inner' -ex run -ex bt -ex next -ex next -ex cont --args "$p" crash > native.gdb 2>&1
	"$K23" run -- gdb -nx -batch -ex 'break crash_inner' -ex run -ex bt -ex next -ex next -ex cont --args "$p" crash > k23.gdb 2>&1
	gdb_filter native.gdb > native.gdbf
	gdb_filter k23.gdb > k23.gdbf
	diff_check "gdb: breakpoint, backtrace, next over a system call, continue" native.gdbf k23.gdbf
	# Every line gdb prints, its start-up self tests' warnings included
	# (linux_ptrace_test_ret_to_nx: a forked child's PTRACE_TRACEME, then a
	# fault its tracer must see first), with only addresses and ids left out.
	gdb_all()
	{
		sed -E 's/0x[0-9a-f]+/ADDR/g; s/(process|LWP|Thread|pid) [0-9]+/\1 N/g' "$1"
	}
	gdb -nx -batch -ex run -ex bt --args "$p" crash > native.gdb 2>&1
	"$K23" run -- gdb -nx -batch -ex run -ex bt --args "$p" crash > k23.gdb 2>&1
	gdb_all native.gdb > native.gdbf
	gdb_all k23.gdb > k23.gdbf
	diff_check "gdb -batch -ex run -ex bt: every line the same (addresses and ids left out)" native.gdbf k23.gdbf
fi
finish
