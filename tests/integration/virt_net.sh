# virt_net.sh - network identity (identity: rewrite:): a client naming a virtual address reaches the real server and is shown the virtual address back (TCP, UDP sendto/recvfrom/sendmsg/recvmsg, sendmmsg/recvmmsg, IPv4, IPv6, IPv4-mapped, bind/accept/getsockname, a short getpeername buffer, fork+execve); each run compared with a native run against the real address; a policy's destination rules see the real destination.
. "$TESTS/policy_lib.sh"
py=/usr/bin/python3
N=$PROGS/virt_net

# Echo servers outside k23: a dual-stack TCP listener (127.0.0.1 and ::1
# reach it) and two dual-stack UDP sockets; and a port free for a server of
# the program's own (bound, then let go), unlike the others' numbers.
"$py" -c '
import socket, threading, time, select
def dual(kind):
    s = socket.socket(socket.AF_INET6, kind)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", 0))
    return s
t = dual(socket.SOCK_STREAM); t.listen(64)
u = [dual(socket.SOCK_DGRAM), dual(socket.SOCK_DGRAM)]
# The free port must differ from the UDP ports too: the rewrites name
# ports without a protocol, and two rewrites to one port are ambiguous.
taken = {t.getsockname()[1], u[0].getsockname()[1], u[1].getsockname()[1]}
while True:
    f = socket.socket(); f.bind(("127.0.0.1", 0)); free = f.getsockname()[1]; f.close()
    if free not in taken: break
print(t.getsockname()[1], u[0].getsockname()[1], u[1].getsockname()[1], free, flush=True)
def echo(c):
    c.settimeout(30)
    try: c.sendall(c.recv(4096))
    except OSError: pass
    c.close()
def tcp():
    while True:
        c, _ = t.accept(); threading.Thread(target=echo, args=(c,), daemon=True).start()
threading.Thread(target=tcp, daemon=True).start()
end = time.time() + 300
while time.time() < end:
    for s in select.select(u, [], [], 1)[0]:
        d, a = s.recvfrom(4096); s.sendto(d, a)' > ports &
servers=$!
trap 'kill $servers 2>/dev/null' EXIT
for _ in $(seq 300); do [ -s ports ] && break; sleep 0.1; done  # python starts slowly on a busy machine
read -r P U V F < ports
[ -n "$F" ] && ok "servers: TCP $P, UDP $U and $V; a free port $F" || { not_ok "servers started"; finish; }

cat > world.yaml <<Y
identity:
  hosts: {db.internal: 10.77.0.5, ns.internal: 10.77.0.53, db6.internal: "fd00::5"}
  rewrite:
    - from: "db.internal:5432"
      to: "127.0.0.1:$P"
    - from: "[fd00::5]:5432"
      to: "[::1]:$P"
    - from: "ns.internal:53"
      to: "127.0.0.1:$U"
    - from: "10.77.0.54:53"
      to: "127.0.0.1:$V"
    - from: "10.77.0.7:80"
      to: "127.0.0.1:$F"
Y
"$K23" policy check world.yaml > check.out 2>&1 && grep -q 'identity: 3 hosts, 5 rewrites (in-process)' check.out &&
	ok "check: $(cat check.out)" || { not_ok "check"; show_file out check.out; }

# same WHAT "NATIVE ARGS" "VIRTUAL ARGS" SED [sort]: the program run natively
# against the real addresses prints, after SED turns each real address
# into its virtual one, what it prints under k23 naming the virtual ones
# (sort: the lines after the first are compared sorted).
same()
{
	local what=$1 native=$2 virtual=$3 subst=$4 order=${5-}
	# shellcheck disable=SC2086
	"$N" $native > native.out 2>&1
	# shellcheck disable=SC2086
	"$K23" run --policy world.yaml -- "$N" $virtual > k23.out 2>&1
	sed -e "$subst" native.out > want.out
	if [ "$order" = sort ]; then
		for f in want.out k23.out; do
			{ head -n 1 $f; tail -n +2 $f | LC_ALL=C sort; } > sorted.out && mv sorted.out $f
		done
	fi
	if ! cmp -s native.out want.out; then
		diff_check "$what" want.out k23.out
	else
		not_ok "$what: the native run shows no real address to compare"
		show_file native native.out
	fi
}
v4="s/127\.0\.0\.1:$P\b/10.77.0.5:5432/g"
same "TCP: connect to db.internal's 10.77.0.5:5432 reaches 127.0.0.1:$P; getpeername shows 10.77.0.5:5432; the data as natively" \
	"tcp 127.0.0.1 $P hello" "tcp 10.77.0.5 5432 hello" "$v4"
same "TCP over an AF_INET6 socket, IPv4-mapped: the peer is ::ffff:10.77.0.5" \
	"tcp ::ffff:127.0.0.1 $P hello" "tcp ::ffff:10.77.0.5 5432 hello" "s/\[::ffff:127\.0\.0\.1\]:$P\b/[::ffff:10.77.0.5]:5432/g"
same "TCP, IPv6: [fd00::5]:5432 reaches [::1]:$P and is shown as [fd00::5]:5432" \
	"tcp ::1 $P hello" "tcp fd00::5 5432 hello" "s/\[::1\]:$P\b/[fd00::5]:5432/g"
same "UDP: sendto, recvfrom, sendmsg, recvmsg and a connected socket's getpeername show ns.internal's 10.77.0.53:53" \
	"udp 127.0.0.1 $U ping" "udp 10.77.0.53 53 ping" "s/127\.0\.0\.1:$U\b/10.77.0.53:53/g"
same "UDP over AF_INET6, IPv4-mapped" \
	"udp ::ffff:127.0.0.1 $U ping" "udp ::ffff:10.77.0.53 53 ping" "s/\[::ffff:127\.0\.0\.1\]:$U\b/[::ffff:10.77.0.53]:53/g"
same "sendmmsg: each message rewritten (two destinations); recvmmsg shows both sources virtual" \
	"mmsg 127.0.0.1 $U 127.0.0.1 $V" "mmsg 10.77.0.53 53 10.77.0.54 53" \
	"s/127\.0\.0\.1:$U\b/10.77.0.53:53/g; s/127\.0\.0\.1:$V\b/10.77.0.54:53/g" sort
same "a sendmmsg of 20 messages: all rewritten (16 per call, the program calls again) and echoed; recvmmsg shows the virtual source" \
	"mmsgmany 127.0.0.1 $U 127.0.0.1 $V 20 0" "mmsgmany 10.77.0.53 53 10.77.0.54 53 20 0" \
	"s/127\.0\.0\.1:$U\b/10.77.0.53:53/g" sort
same "a sendmmsg of 20 messages, only the last two to a virtual address: the 18 before them go untouched, then the two rewritten" \
	"mmsgmany 127.0.0.1 $U 127.0.0.1 $V 20 18" "mmsgmany 10.77.0.53 53 10.77.0.54 53 20 18" \
	"s/127\.0\.0\.1:$U\b/10.77.0.53:53/g; s/127\.0\.0\.1:$V\b/10.77.0.54:53/g" sort
same "a server of the program's own: bind to 10.77.0.7:80 binds 127.0.0.1:$F; getsockname, accept, accept4 and the client's getpeername show 10.77.0.7:80" \
	"server 127.0.0.1 $F" "server 10.77.0.7 80" "s/127\.0\.0\.1:$F\b/10.77.0.7:80/g"
same "fork + execve: the child's connect is rewritten and its peer shown virtual (inherited)" \
	"fork 127.0.0.1 $P forked" "fork 10.77.0.5 5432 forked" "$v4"
hex() { printf '%02x %02x' $(($1 >> 8)) $(($1 & 255)); }
same "getpeername into a buffer of 8 bytes: the full length reported, the virtual address truncated as the kernel truncates" \
	"short 127.0.0.1 $P" "short 10.77.0.5 5432" "s/02 00 $(hex "$P") 7f 00 00 01/02 00 $(hex 5432) 0a 4d 00 05/"

# python3's socket module: create_connection and getpeername.
cat > client.py <<'PY'
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
print("peer", s.getpeername())
s.sendall(b"from python")
print("echo", s.recv(100).decode())
PY
"$py" client.py 127.0.0.1 "$P" > native.out 2>&1
"$K23" run --policy world.yaml -- "$py" client.py 10.77.0.5 5432 > k23.out 2>&1
sed "s/('127\.0\.0\.1', $P)/('10.77.0.5', 5432)/" native.out > want.out
diff_check "python3: socket.create_connection(('10.77.0.5', 5432)) reaches the server; getpeername shows ('10.77.0.5', 5432)" want.out k23.out

# The reverse mapping is by address: a connection the program makes to the
# real address itself is shown as the virtual one too (docs/virtual.md).
"$K23" run --policy world.yaml -- "$N" tcp 127.0.0.1 "$P" direct > k23.out 2>&1
printf '%s\n' "connect ok" "peer 10.77.0.5:5432" "echo direct" > want.out
diff_check "a connect to the real 127.0.0.1:$P is shown 10.77.0.5:5432 (the mapping is by address)" want.out k23.out

# The policy sees the real destination: a rule refusing 127.0.0.1:P refuses
# the connect to db.internal:5432; one refusing the virtual network does not.
cp world.yaml deny-real.yaml
printf 'log: real.jsonl\nnetwork:\n  - deny: connect\n    to: ["127.0.0.1:%s"]\n    errno: ECONNREFUSED\n' "$P" >> deny-real.yaml
cp world.yaml deny-virtual.yaml
printf 'network:\n  - deny: connect\n    to: ["10.77.0.0/16"]\n' >> deny-virtual.yaml
"$K23" run --policy deny-real.yaml -- "$N" tcp 10.77.0.5 5432 x > k23.out 2>&1
"$K23" run --policy deny-virtual.yaml -- "$N" tcp 10.77.0.5 5432 x >> k23.out 2>&1
printf '%s\n' "connect: Connection refused" "connect ok" "peer 10.77.0.5:5432" "echo x" > want.out
diff_check "a policy refusing the real 127.0.0.1:$P refuses db.internal:5432; one refusing 10.77.0.0/16 lets it through" want.out k23.out
grep -q "\"what\":\"connect 127.0.0.1:$P\"" real.jsonl &&
	ok "the audit log names the real destination (connect 127.0.0.1:$P)" ||
	{ not_ok "the audit log names the real destination"; show_file log real.jsonl; }

finish
