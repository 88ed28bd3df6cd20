# fd_hostile.sh - k23's own descriptors survive what programs do to descriptors they did not open, and the program sees what it sees natively.
#
# Programs set FD_CLOEXEC (fcntl, ioctl FIOCLEX) on every number before an
# exec, dup2 onto every number, close through io_uring, fill the table until
# EMFILE, raise or lower their limit. Each is run natively and under
# `k23 run --tool count` and `--tool trace`: same stdout and status, the
# tool's output complete (the image started by the exec included), counts
# equal to strace -f -c's, and per-process call sequences equal to strace's.
#
# k23's descriptors live at or above the soft RLIMIT_NOFILE, so they do not
# change when EMFILE comes; that needs a hard limit above the soft one (or
# CAP_SYS_RESOURCE): the test lowers the soft limit to 256, and loops up to
# 600, over k23's descriptors too.
. "$TESTS/lib.sh"

hard=$(ulimit -H -n)
if [ "$hard" != unlimited ] && [ "$hard" -le 300 ]; then
	echo "SKIP: hard descriptor limit $hard leaves no room above a soft limit of 256"
	exit 0
fi
ulimit -S -n 256
H="$PROGS/fdhostile"
N=600

# tools_complete CMD...: the same stdout and status natively and under each
# tool, and each tool's output whole: count's table has its total, the trace
# goes on after the last execve to an exit_group.
tools_complete()
{
	local what="$*"
	compare_run --tool count -o count.out -- "$@"
	count_table_check count.out "$what"
	compare_run --tool trace -o trace.out -- "$@"
	if awk '/ execve\(/ { e = NR } / exit_group\(/ { x = NR } END { exit !(x > e) }' trace.out; then
		ok "trace goes on after the exec: $what"
	else
		not_ok "trace goes on after the exec: $what"
		tail -n 5 trace.out | sed 's/^/  | /'
	fi
}

# FD_CLOEXEC on every number, then exec: k23's must stay open (the count
# tool used to fail with 126, trace lost the new image), and F_GETFD in the
# new image finds exactly the native descriptors.
tools_complete "$H" cloexec $N "$H" getfd $N
compare_counts -- "$H" cloexec $N "$H" getfd $N
compare_names -- "$H" cloexec $N "$H" getfd $N
tools_complete "$H" fioclex $N "$H" getfd $N
compare_counts -- "$H" fioclex $N "$H" getfd $N

# dup2 onto every number: as many succeed as natively, nothing of k23's is hit.
tools_complete "$H" dup2all $N "$H" getfd $N
compare_counts -- "$H" dup2all $N "$H" getfd $N

# A full table: EMFILE after as many opens as natively; also after the
# program raised its limit past k23's descriptors.
tools_complete "$H" fill
tools_complete "$H" raise 512
compare_counts -- "$H" raise 512

# IORING_OP_CLOSE on every number: the kernel closes in the ring, not by a
# close call; k23's descriptors are moved out of the way first.
if "$PROGS/uring_close" 4 > /dev/null 2>&1; then
	tools_complete "$PROGS/uring_close" $N "$H" getfd $N
	compare_counts -- "$PROGS/uring_close" $N "$H" getfd $N
else
	echo "# io_uring not available here: IORING_OP_CLOSE not tested"
fi

# low_limit SOFT TOOL CMD...: CMD natively and under `k23 run --tool TOOL`
# started with a soft descriptor limit of SOFT (the shell's redirections
# are made before it is lowered): same stdout, stderr and status, and the
# tool's output written.
# Under run-integration --no-patch (or --page0, --catch-all=MODE) K23 is a
# perl wrapper, which cannot start with so few descriptors: the binary
# beside the test programs' build is run with the wrapper's option instead.
low_limit()
{
	local soft=$1 tool=$2 k23=$K23 opt=(); shift 2
	case "${TESTS_PATCHING:-on}" in
	off) k23=$PROGS/../../k23; opt=(--no-patch) ;;
	page0) k23=$PROGS/../../k23; opt=(--patch=page0) ;;
	esac
	[ -n "${TESTS_CATCH_ALL:-}" ] && { k23=$PROGS/../../k23; opt=(--catch-all="$TESTS_CATCH_ALL"); }
	rm -f tool.out
	( exec < /dev/null > native.out 2> native.err; (ulimit -S -n "$soft"; exec "$@"); echo $? > native.rc )
	( exec < /dev/null > k23.out 2> k23.err
	  (ulimit -S -n "$soft"; exec "$k23" run "${opt[@]}" --tool "$tool" -o tool.out -- "$@")
	  echo $? > k23.rc )
	if cmp -s native.out k23.out && cmp -s native.err k23.err && cmp -s native.rc k23.rc &&
	   [ -s tool.out ]; then
		ok "soft limit $soft, --tool $tool: same output, $(describe_status "$(cat k23.rc)"), tool output written: $*"
	else
		not_ok "soft limit $soft, --tool $tool: $*"
		echo "  native $(describe_status "$(cat native.rc)"), k23 $(describe_status "$(cat k23.rc)")"
		show_file "k23 stdout" k23.out
		show_file "k23 stderr" k23.err
	fi
}

# Limits as low as 3 (the hard limit stays): a static program with 0, 1, 2
# open, a dynamic one with room for ld.so's one descriptor, and one for
# which ld.so finds none (it fails, the same way).
for tool in count trace; do
	low_limit 3 $tool "$PROGS/static_hello"
	low_limit 4 $tool /bin/echo hi
	low_limit 3 $tool /bin/echo hi
done
# Lowered by the program (soft and hard) before a fork and exec; with the
# hard limit down to the soft one, k23 keeps the kernel's a little higher
# and shows the program its own (online/guard/nofile.c).
tools_complete "$H" lower 3 64 "$PROGS/static_hello"
tools_complete "$H" lower 4 64 "$H" fill
tools_complete "$H" lower 3 3 "$PROGS/static_hello"
tools_complete "$H" lower 4 4 "$H" fill
tools_complete "$H" lower 5 5 "$H" lower 4 4 "$H" getfd 10
compare_run -- "$H" lower 3 3 "$PROGS/static_hello"
finish
