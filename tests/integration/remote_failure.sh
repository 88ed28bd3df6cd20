# remote_failure.sh - the remote-call proxy when things break: a stopped server costs EIO within the stated timeout, a server killed during a read gives EIO at once, the next call reconnects (the open handle is walked and opened again and reads what a native read reads), a dead proxy is EIO within its probe interval, an unreachable server at start is one line naming it and exit 1.
#
# The timeout is set to 1 s here (REMOTE_TIMEOUT_MS; the default is 5 s).
# Each bound checked is the stated one plus 0.5 s for a loaded machine.
. "$TESTS/lib.sh"
. "$TESTS/remote_lib.sh"

if [ "${TESTS_PATCHING-on}" != on ] || [ -n "${TESTS_CATCH_ALL-}" ]; then
	skip "the proxy runs outside k23 run; checked in the default pass"
fi
diod_need

mkdir exp
head -c 3000000 /dev/urandom > exp/big
exp=$(cd exp && pwd -P)
diod_start "$exp" || { not_ok "diod started"; finish; }
port=$DIOD_PORT

# The native answers for the reads below.
printf 'open 1 big r 0\nread 1 0 1000\nread 1 5000 2000000\n' |
	"$PROGS/remote_chan" native exp > native.out
want_small=$(sed -n 2p native.out)
want_big=$(sed -n 3p native.out)

# The program reads commands from one FIFO and answers into another (plain
# descriptors 3 and 4: unlike a coproc's, they reach subshells).
mkfifo to from
REMOTE_TIMEOUT_MS=1000 "$PROGS/remote_chan" remote "$K23-remote" "$DIOD_URL" < to > from 2> remote.err &
rpid=$!
exec 3> to 4< from
send() { echo "$*" >&3; }
recv() { local l; read -t 20 -r l <&4 || l="(no answer)"; echo "$l"; }
# expect WHAT WANT GOT
expect() { if [ "$3" = "$2" ]; then ok "$1"; else not_ok "$1"; echo "  want: $2"; echo "  got:  $3"; fi; }

send open 1 big r 0
expect "open through the proxy" "open 1 big r 0: 0" "$(recv)"
send read 1 0 1000
expect "read through the proxy" "$want_small" "$(recv)"

# A stopped server: EIO within the timeout.
diod_stop
send elapsed-below 1500 read 1 0 1000
recv > /dev/null
expect "a stopped server: the read fails with EIO" "read 1 0 1000: error Input/output error" "$(recv | sed 's/^ *//')"
expect "... within the 1 s timeout" "took-below-1500: yes" "$(recv | sed 's/^ *//')"
diod_kill

# The next call reconnects; the handle is opened again.
diod_start "$exp" $port || { not_ok "diod restarted"; finish; }
send read 1 0 1000
expect "after a new server came up, the next read reconnects and reads the native data" "$want_small" "$(recv)"

# Killed during a read: the read is waiting for the stopped server when it dies.
diod_stop
send elapsed-below 1500 read 1 5000 2000000
sleep 0.3
kill -9 $DIOD_PID
recv > /dev/null
expect "a server killed during a read: EIO" "read 1 5000 2000000: error Input/output error" "$(recv | sed 's/^ *//')"
expect "... before the timeout" "took-below-1500: yes" "$(recv | sed 's/^ *//')"
diod_kill
diod_start "$exp" $port || { not_ok "diod restarted"; finish; }
send read 1 5000 2000000
expect "the next call reconnects again" "$want_big" "$(recv)"

# The proxy dies: calls fail with EIO within the probe interval (0.1 s).
send proxy-pid
recv > /dev/null
sleep 0.2
ppid=$(tail -n 1 remote.err)
kill -9 "$ppid"
send elapsed-below 1000 read 1 0 10
recv > /dev/null
expect "the proxy killed: a call fails with EIO" "read 1 0 10: error Input/output error" "$(recv | sed 's/^ *//')"
expect "... at once, not after the timeout" "took-below-1000: yes" "$(recv | sed 's/^ *//')"
exec 3>&- 4<&-
wait $rpid

# Nobody listens: one line naming the server, exit 1.
diod_kill
"$PROGS/remote_chan" remote "$K23-remote" "9p://127.0.0.1:$port/srv" < /dev/null > out 2> err
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] &&
   grep -qx "k23: remote /mnt/remote: 9p://127.0.0.1:$port/srv: Connection refused" err; then
	ok "an unreachable server at start: exit 1 and one line naming it"
else
	not_ok "an unreachable server at start: exit 1 and one line naming it (exit $rc)"
	show_file stderr err
fi
finish
