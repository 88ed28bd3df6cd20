# tests/remote_lib.sh - a diod (9P2000.L server) for the remote-call tests: start, stop, restart.
#
# diod_start DIR starts `diod -f -n` (no authentication: munge is not
# needed) exporting DIR on a free loopback port and waits until it listens;
# it sets DIOD_PORT, DIOD_PID and DIOD_URL (9p://127.0.0.1:PORT/DIR).
# diod_stop stops it (SIGSTOP) and waits until all of its threads are.
# A test without diod is skipped (diod_need; skip is tests/lib.sh's). Every diod started here is killed
# when the test's shell exits.

diod_need()
{
	command -v diod > /dev/null || [ -x /usr/sbin/diod ] ||
		skip "diod is not installed (Debian package diod; make deps)"
}

_diod_pids=""
trap 'for p in $_diod_pids; do kill -9 $p 2> /dev/null; done' EXIT

# _diod_listening PORT: 0 once something listens on 127.0.0.1:PORT.
_diod_listening()
{
	(exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null
}

diod_start()
{
	local dir=$1 port=${2-} try
	for try in 1 2 3 4 5 6 7 8; do
		[ -n "${2-}" ] || port=$((20000 + RANDOM % 40000))
		_diod_listening "$port" && continue
		# Without the test's own descriptors 3-9 (a FIFO's write end
		# held by diod would keep its reader from seeing EOF).
		PATH=$PATH:/usr/sbin diod -f -n -l "127.0.0.1:$port" -e "$dir" -L "$PWD/diod-$port.log" \
			3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
		DIOD_PID=$!
		_diod_pids="$_diod_pids $DIOD_PID"
		local i
		for i in $(seq 100); do
			_diod_listening "$port" && break
			kill -0 $DIOD_PID 2> /dev/null || break
			sleep 0.05
		done
		if kill -0 $DIOD_PID 2> /dev/null && _diod_listening "$port"; then
			DIOD_PORT=$port
			DIOD_URL="9p://127.0.0.1:$port$dir"
			return 0
		fi
		kill -9 $DIOD_PID 2> /dev/null
	done
	echo "diod would not start; its log:"
	cat diod-*.log 2> /dev/null | tail -5
	return 1
}

diod_kill()
{
	kill -9 "$DIOD_PID" 2> /dev/null
	wait "$DIOD_PID" 2> /dev/null
	return 0
}

# diod_stop: SIGSTOP diod and wait until every one of its threads is
# stopped (kill returns before a busy thread has taken the signal, and such
# a thread could still answer a request sent after it).
diod_stop()
{
	local i t st all
	kill -STOP "$DIOD_PID" 2> /dev/null || return 1
	for i in $(seq 200); do
		all=1
		for t in /proc/"$DIOD_PID"/task/*/stat; do
			st=$(sed 's/^.*) //' "$t" 2> /dev/null | cut -d' ' -f1)
			[ "$st" = T ] || [ -z "$st" ] || all=0
		done
		[ $all = 1 ] && return 0
		sleep 0.01
	done
	return 1
}
