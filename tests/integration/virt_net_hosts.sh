# virt_net_hosts.sh - identity: hosts: names resolve for the program (a synthesized /etc/hosts: the real file, then the policy's names): getent, glibc's getaddrinfo, python3's socket module; with a rewrite, python3 connects to db.internal:5432 by name. Compared with native runs in a mount namespace where /etc/hosts really holds the same lines.
. "$TESTS/policy_lib.sh"
py=/usr/bin/python3
N=$PROGS/virt_net

# A TCP echo server outside k23, on 127.0.0.1.
"$py" -c '
import socket, threading, time
t = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(16)
print(t.getsockname()[1], flush=True)
def echo(c):
    c.settimeout(30)
    try: c.sendall(c.recv(4096))
    except OSError: pass
    c.close()
end = time.time() + 300
while time.time() < end:
    c, _ = t.accept(); threading.Thread(target=echo, args=(c,), daemon=True).start()' > port &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 300); do [ -s port ] && break; sleep 0.1; done  # python starts slowly on a busy machine
read -r P < port
[ -n "$P" ] && ok "server on 127.0.0.1:$P" || { not_ok "server started"; finish; }

cat > world.yaml <<Y
identity:
  hosts: {db.internal: 10.77.0.5, db6.internal: "fd00::5", localhost: 10.77.0.1}
  rewrite:
    - from: "db.internal:5432"
      to: "127.0.0.1:$P"
Y
# What /etc/hosts is under this policy (docs/virtual.md, "Synthesized
# files"): the real file, then the policy's names.
{
	cat /etc/hosts
	[ -z "$(tail -c 1 /etc/hosts)" ] || echo
	printf '# k23: identity:\n'
	printf '10.77.0.5\tdb.internal\nfd00::5\tdb6.internal\n10.77.0.1\tlocalhost\n'
} > hosts.want

"$K23" run --policy world.yaml -- cat /etc/hosts > k23.out 2>&1
diff_check "cat /etc/hosts: the real file, then the policy's names" hosts.want k23.out

cat > resolve.py <<'PY'
import socket
for name in ("db.internal", "DB.Internal", "db6.internal", "localhost", "nosuch.internal"):
    try:
        print(name, sorted({a[4][0] for a in socket.getaddrinfo(name, 5432, proto=socket.IPPROTO_TCP)}))
    except socket.gaierror as e:
        print(name, "gaierror", e.errno)
print("gethostbyname", socket.gethostbyname("db.internal"))
print("gethostbyaddr", socket.gethostbyaddr("10.77.0.5")[0])
PY
resolve()
{
	getent hosts db.internal db6.internal localhost
	getent ahostsv4 db.internal
	"$py" resolve.py
}
# Natively, with /etc/hosts really holding those lines (a private mount
# namespace; root only).
if unshare -m true 2> /dev/null; then
	export -f resolve
	export py
	unshare -m bash -c "mount --bind '$PWD/hosts.want' /etc/hosts && resolve" > native.out 2>&1
	"$K23" run --policy world.yaml -- bash -c resolve > k23.out 2>&1
	diff_check "getent, getaddrinfo (glibc, python3), gethostbyname, gethostbyaddr find the policy's names as natively with that /etc/hosts" native.out k23.out
else
	ok "SKIP the native comparison of name lookups: unshare -m needs root"
fi

# By name, through the rewrite: python3's create_connection to db.internal.
cat > client.py <<'PY'
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
print("peer", s.getpeername())
s.sendall(b"by name")
print("echo", s.recv(100).decode())
PY
"$py" client.py 127.0.0.1 "$P" > native.out 2>&1
"$K23" run --policy world.yaml -- "$py" client.py db.internal 5432 > k23.out 2>&1
sed "s/('127\.0\.0\.1', $P)/('10.77.0.5', 5432)/" native.out > want.out
diff_check "python3: socket.create_connection(('db.internal', 5432)) reaches 127.0.0.1:$P, getpeername shows ('10.77.0.5', 5432)" want.out k23.out
"$N" tcp 127.0.0.1 "$P" x > native.out 2>&1
"$K23" run --policy world.yaml -- "$N" tcp db.internal 5432 x > k23.out 2>&1
sed "s/127\.0\.0\.1:$P\b/10.77.0.5:5432/" native.out > want.out
diff_check "C: getaddrinfo(\"db.internal\") then connect: the same" want.out k23.out

finish
