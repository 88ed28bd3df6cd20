# stress.sh - 64 threads x 100,000 syscalls with signals arriving: k23 counts every call exactly once, no crash.
#
# The program reports how many getppid calls it made and how many SIGUSR1 it
# handled (each handler run makes one getuid and ends in one rt_sigreturn);
# k23's count table must say exactly the same. STRESS_RUNS runs (default 2;
# `make stress` runs 20), STRESS_N calls per thread (default 100000; 25000
# with --no-patch, where every call traps: the point is many threads and
# signals at once, and 6.4 million traps took minutes on a loaded machine).
. "$TESTS/lib.sh"
runs=${STRESS_RUNS:-2}
default_n=100000
[ "${TESTS_PATCHING:-on}" = off ] && default_n=25000
n=${STRESS_N:-$default_n}
for i in $(seq "$runs"); do
	mode=$(echo "seccomp sud both" | cut -d' ' -f$(( (i - 1) % 3 + 1 )))
	run_k23 k23 --catch-all="$mode" --tool count -o k23.table -- "$PROGS/stress" "$n"
	rc=$(cat k23.rc)
	made=$(awk '$1 == "getppid" { print $2 }' k23.out)
	handled=$(awk '$1 == "handled" { print $2 }' k23.out)
	got_ppid=$(awk '$3 == "getppid" { print $1 }' k23.table)
	got_uid=$(awk '$3 == "getuid" { print $1 }' k23.table)
	got_ret=$(awk '$3 == "rt_sigreturn" { print $1 }' k23.table)
	if [ "$rc" = 0 ] && [ -n "$made" ] && [ "$got_ppid" = "$made" ] &&
	   [ "${got_uid:-0}" = "$handled" ] && [ "${got_ret:-0}" = "$handled" ]; then
		ok "run $i ($mode): $made getppid and $handled signals, each counted once"
	else
		not_ok "run $i ($mode): status $rc; program made $made getppid, handled $handled signals; k23 counted getppid $got_ppid, getuid ${got_uid:-0}, rt_sigreturn ${got_ret:-0}"
		show_file "k23 stderr" k23.err
	fi
done
finish
