# exec_self.sh - a program executing itself (/proc/self/exe, fexecve, execveat, a memfd copy), from any thread, with signals blocked, without capabilities, from another mount namespace; the kernel's exe link names the program.
. "$TESTS/lib.sh"
se="$PROGS/selfexec"
for how in proc fexecve execveat memfd thread churn tpath blocked "proc fexecve execveat memfd"; do
	compare_run -- "$se" $how
done
# Without CAP_SYS_ADMIN and CAP_CHECKPOINT_RESTORE k23 cannot move the exe
# link: the next image's /proc/self/exe is k23's binary, and each way of
# executing it must still run the program. (A memfd copy of it then holds
# k23's binary; the program's file is run in its place, so only the name
# /proc/self/exe shows differs: docs/differences.md.)
if [ "$(id -u)" = 0 ]; then
	for how in nocaps "nocaps proc" "nocaps fexecve" "nocaps execveat" "nocaps thread" \
		"blocked nocaps proc"; do
		compare_run -- "$se" $how
	done
	compare_run -- "$se" hideexe nocaps memfd
	# The program's file and k23's binary out of sight in a private mount
	# namespace: /proc/self/exe still reaches the program, and k23 must find
	# itself without its path.
	root=$(cd "$PROGS/../.." && pwd)
	case "$(readlink -f "$K23")" in
	"$root"/*) ;;
	*) echo "# note: k23 is outside $root: the namespace hides only the program" ;;
	esac
	compare_run -- "$se" "mntns=$root" proc
	compare_run -- "$se" "mntns=$root" memfd
else
	echo "# skip: the capability and mount namespace cases need root"
fi

# The kernel's record of the executable is the program's file: another
# process reading /proc/PID/exe sees it, and the file cannot be written.
exe_seen_by_other()
{
	local tag=$1; shift
	rm -f fifo "$tag.exe"
	mkfifo fifo
	"$@" "$se" pause > "$tag.pause" < fifo &
	local pid=$!
	exec 3> fifo
	for _ in $(seq 200); do grep -q ready "$tag.pause" 2>/dev/null && break; sleep 0.05; done
	readlink "/proc/$pid/exe" > "$tag.exe"
	exec 3>&-
	wait "$pid"
}
if [ "$(id -u)" = 0 ]; then
	exe_seen_by_other native
	exe_seen_by_other k23 "$K23" run --
	diff_check "/proc/PID/exe read by another process names the program" native.exe k23.exe
	compare_run -- "$se" txtbsy
else
	echo "# skip: moving the exe link needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN"
fi
finish
