# policy_network.sh - TCP port rules enforced by Landlock: python3 may connect to one local port and is refused another.
. "$TESTS/policy_lib.sh"
py=/usr/bin/python3
abi=$("$py" -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))')
[ "$abi" -ge 4 ] 2>/dev/null && ok "this kernel's Landlock (ABI $abi) has port rules" ||
	{ not_ok "this kernel's Landlock has port rules (ABI 4)"; finish; }

# Two listeners on loopback, outside k23; the kernel completes connections
# into the backlog, so nothing needs to accept.
"$py" -c '
import socket, time
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0)); x.listen(8)
print(*[x.getsockname()[1] for x in s], flush=True)
time.sleep(60)' > ports &
listener=$!
trap 'kill $listener 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s ports ] && break; sleep 0.1; done
read -r good bad < ports
[ -n "$bad" ] && ok "listening on ports $good and $bad" || { not_ok "listeners started"; finish; }

cat > p.yaml <<Y
network:
  - allow: connect
    ports: [$good]
Y
cat > client.py <<'PY'
import socket, sys
for port in sys.argv[1:]:
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", int(port)))
        print(port, "connected")
    except OSError as e:
        print(port, type(e).__name__, e.strerror)
PY
"$py" client.py "$good" "$bad" > native.out
printf '%s connected\n' "$good" "$bad" > want.out
diff_check "natively both connect" want.out native.out
"$K23" run --policy p.yaml -- "$py" client.py "$good" "$bad" > k23.out 2>&1
printf '%s\n' "$good connected" "$bad PermissionError Permission denied" > want.out
diff_check "under the policy: port $good connects, port $bad is refused" want.out k23.out
# The rule binds the whole tree: a child started by the program is refused too.
"$K23" run --policy p.yaml -- sh -c "\"$py\" client.py $bad" > k23.out 2>&1
printf '%s\n' "$bad PermissionError Permission denied" > want.out
diff_check "a child of the program is refused too" want.out k23.out
# Through io_uring, past every syscall site: Landlock still decides.
"$K23" run --policy p.yaml -- "$PROGS/policy_uring" connect "$bad" > k23.out 2>&1
echo "io_uring connect: Permission denied" > want.out
diff_check "an io_uring connect to port $bad is refused" want.out k23.out
"$K23" run --policy p.yaml -- "$PROGS/policy_uring" connect "$good" > k23.out 2>&1
echo "io_uring connect: ok" > want.out
diff_check "an io_uring connect to port $good works" want.out k23.out
finish
