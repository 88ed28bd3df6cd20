# backstop.sh - a thread whose SUD is switched off past k23 (a prctl from k23's text) is caught again by the seccomp backstop at its fork and execve, and the child and the new image run under k23.
#
# tests/progs/sud_off.c makes its calls through a `syscall; ret` in an RWX
# page of its own, never patched. Natively (strace -f) it makes the marker
# calls close(1001) before the fork, close(1002) in the child, close(1003)
# after it, close(1004) in the exec'd image. Under k23's trace:
#   hybrid (the default)  the fork traps in the filter (clone, fork, vfork,
#                         execve are judged by address), which re-arms the
#                         thread: 1002, 1003 and 1004 are seen; 1001, a
#                         call allowed by its number alone, is not
#                         (docs/architecture.md, "The backstop filter");
#   seccomp, both         the filter judges every call: all four;
#   sud                   nothing catches a thread without SUD: none
#                         (docs/differences.md).
. "$TESTS/lib.sh"
. "$TESTS/policy_lib.sh"
addr=$(k23_syscall_ret)
[ -n "$addr" ] || { not_ok "found a syscall;ret in k23's text"; finish; }
P=$PROGS/sud_off

# markers FILE: the marker closes in a trace or strace output, one per line.
markers() { grep -o 'close(100[1-4])' "$1" | sort -u | tr -d 'close()' | tr '\n' ' '; }

strace -f -qq -e trace=close -o native.trace "$P" rwx exec > /dev/null 2>&1
want=$(markers native.trace)
[ "$want" = "1001 1002 1003 1004 " ] && ok "natively the program makes the four marker calls" ||
	{ not_ok "natively the four marker calls: got '$want'"; finish; }

for mode in hybrid seccomp both sud; do
	"$K23" run --catch-all=$mode --tool trace -o k23.trace -- "$P" text:$addr exec > out 2>&1
	rc=$?
	got=$(markers k23.trace)
	case $mode in
	hybrid) want="1002 1003 1004 " ;;
	seccomp | both) want="1001 1002 1003 1004 " ;;
	sud) want="" ;;
	esac
	[ $rc -eq 0 ] && [ "$got" = "$want" ] &&
		ok "--catch-all=$mode: k23 saw the marker calls '$want'" ||
		{ not_ok "--catch-all=$mode: k23 saw '$got', want '$want' (status $rc)"; show_file out out; }
done
# Without the exec: the fork's child ends as natively.
"$P" rwx > native.out 2>&1
"$K23" run -- "$P" text:$addr > k23.out 2>&1
diff_check "default mode: the program's output as natively" native.out k23.out
finish
