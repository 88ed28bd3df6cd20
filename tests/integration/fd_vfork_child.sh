# fd_vfork_child.sh - a posix_spawn child whose file actions dup2 onto k23's descriptors moves them in its own table only: the parent keeps its tool output and counters.
#
# glibc's posix_spawn child runs with CLONE_VM | CLONE_VFORK: it shares the
# parent's memory but has a descriptor table of its own. Where k23 cannot
# raise the descriptor limit (hard limit = soft limit, no CAP_SYS_RESOURCE)
# its descriptors take the highest free numbers below the limit, where a
# program's dup2 may land; k23 moves its descriptor first. The moved number
# belongs to the child's table: it used to be written to the state the
# parent shares, so afterwards the parent's k23 wrote its trace, and handed
# its counters to the next image, at a number its own table did not have
# (count: "cannot map the shared counters", the next image failed with 126).
# Here the child's file actions dup2 onto 200..255 with a limit of 256; then
# the parent spawns again, without them, and makes calls of its own.
. "$TESTS/lib.sh"

if [ -z "${K23_TEST_NO_ROOM-}" ]; then
	# Rerun this test with the limit fixed at 256 and CAP_SYS_RESOURCE out
	# of reach (setpriv is util-linux's, always there).
	ulimit -n 256 || { echo "SKIP: cannot set the descriptor limit to 256"; exit 0; }
	K23_TEST_NO_ROOM=1 exec setpriv --bounding-set=-sys_resource --inh-caps=-sys_resource \
		-- bash "$BASH_SOURCE"
fi
if ulimit -H -n 257 2> /dev/null; then
	echo "SKIP: the hard descriptor limit can still be raised here"
	exit 0
fi

H="$PROGS/fdhostile"
# tools_complete IMAGES PROCESSES CMD...: the same stdout, stderr and status
# natively and under each tool; count's table has its total; trace has the
# execve of each of the IMAGES started and the exit_group of each of the
# PROCESSES, the parent's last.
tools_complete()
{
	local images=$1 procs=$2
	shift 2
	local what="$*"
	compare_run --tool count -o count.out -- "$@"
	count_table_check count.out "$what"
	compare_run --tool trace -o trace.out -- "$@"
	local e x
	e=$(grep -c '\] execve(.*) = 0$' trace.out)
	x=$(grep -c '\] exit_group(' trace.out)
	if [ "$e" -eq "$images" ] && [ "$x" -eq "$procs" ] &&
	   tail -n 1 trace.out | grep -q "^\[pid  *$(head -n 1 trace.out | sed 's/^\[pid *\([0-9]*\)\].*/\1/')\] exit_group("; then
		ok "trace whole ($e images started, $x exits, the parent's last): $what"
	else
		not_ok "trace whole: $what (images started $e of $images, exits $x of $procs)"
		grep '\] execve(\|\] exit_group(' trace.out | sed 's/^/  | /'
		tail -n 3 trace.out | sed 's/^/  | /'
	fi
}

tools_complete 2 3 "$H" spawndup2 200 256 "$H" getfd 300
compare_counts -- "$H" spawndup2 200 256 "$H" getfd 300
compare_names -- "$H" spawndup2 200 256 "$H" getfd 300
# The child fails to exec after moving (it exits, as natively, with 127).
tools_complete 0 3 "$H" spawndup2 200 256 no-such-program-k23
compare_counts -- "$H" spawndup2 200 256 no-such-program-k23
finish
