# policy_netdest.sh - network destination rules (to:), in-process: addresses on one port, IPv6 and IPv4-mapped, TCP Fast Open, unix paths, abstract names, UDP sendto/sendmsg/sendmmsg; complain mode; the documented bypass; io_uring refused.
. "$TESTS/policy_lib.sh"
py=/usr/bin/python3
tag=k23nd$$

# Servers outside k23: two dual-stack TCP listeners (127.0.0.1, 127.0.0.2,
# ::1 and ::ffff:127.0.0.x reach them), two UDP sockets, two unix listeners
# and two abstract ones. The kernel completes connections into the backlog
# (long enough for every run: nothing accepts).
"$py" -c '
import socket, sys, time
tcp = []
for _ in range(2):
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", 0)); s.listen(1024); tcp.append(s)
udp = []
for _ in range(2):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); udp.append(s)
unix = []
for name in ("ok.sock", "no.sock", "\0" + sys.argv[1] + "-ok", "\0" + sys.argv[1] + "-no"):
    s = socket.socket(socket.AF_UNIX); s.bind(name); s.listen(1024); unix.append(s)
print(*[x.getsockname()[1] for x in tcp + udp], flush=True)
time.sleep(600)' "$tag" > ports &
servers=$!
trap 'kill $servers 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s ports ] && break; sleep 0.1; done
read -r P Q U V < ports
[ -n "$V" ] && ok "servers: TCP $P and $Q, UDP $U and $V, unix and abstract sockets" ||
	{ not_ok "servers started"; finish; }

policy() # MODE
{
	cat <<Y
mode: $1
log: $1.jsonl
network:
  - allow: connect
    to: ["127.0.0.1:$P", "[::1]:$P", "unix:$PWD/ok.sock", "unix-abstract:$tag-ok"]
  - deny: connect
    to: ["127.0.0.0/8"]
    errno: ECONNREFUSED
  - allow: sendto
    to: ["127.0.0.1:$U"]
  - deny: sendto
    to: [any]
    errno: ENETUNREACH
Y
}
policy enforce > enforce.yaml
policy complain > complain.yaml
"$K23" policy check enforce.yaml > check.out 2>&1 && grep -q '7 destinations (in-process)' check.out &&
	ok "check: $(cat check.out)" || { not_ok "check"; show_file out check.out; }
"$K23" policy explain enforce.yaml > explain.out 2>&1
grep -q "allow connect to 127.0.0.1:$P: in-process (bypassable by a hostile program)" explain.out &&
	grep -q 'deny sendto to any (ENETUNREACH): in-process (bypassable' explain.out &&
	grep -q 'io_uring: the seccomp filter refuses io_uring_setup' explain.out &&
	ok "explain labels each destination rule in-process (bypassable by a hostile program)" ||
	{ not_ok "explain"; show_file out explain.out; }

cat > client.py <<'PY'
import socket, sys
P, Q, U, V, tag = sys.argv[1:]
def attempt(what, fam, typ, addr, send=None):
    s = socket.socket(fam, typ)
    try:
        if send == "sendto": s.sendto(b"x", addr)
        elif send == "fastopen": s.sendto(b"x", 0x20000000, addr)  # MSG_FASTOPEN: connects
        elif send == "sendmsg": s.sendmsg([b"x"], [], 0, addr)
        else: s.connect(addr)
        print(what, "ok")
    except OSError as e:
        print(what, type(e).__name__, e.strerror)
    s.close()
T, D, I4, I6, UX = socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.AF_INET, socket.AF_INET6, socket.AF_UNIX
attempt("tcp 127.0.0.1:P", I4, T, ("127.0.0.1", int(P)))
attempt("tcp 127.0.0.2:P", I4, T, ("127.0.0.2", int(P)))
attempt("tcp 127.0.0.1:Q", I4, T, ("127.0.0.1", int(Q)))
attempt("tcp [::1]:P", I6, T, ("::1", int(P)))
attempt("tcp [::1]:Q", I6, T, ("::1", int(Q)))
attempt("tcp [::ffff:127.0.0.1]:P", I6, T, ("::ffff:127.0.0.1", int(P)))
attempt("tcp [::ffff:127.0.0.2]:P", I6, T, ("::ffff:127.0.0.2", int(P)))
attempt("tcp fastopen 127.0.0.1:P", I4, T, ("127.0.0.1", int(P)), "fastopen")
attempt("tcp fastopen 127.0.0.2:P", I4, T, ("127.0.0.2", int(P)), "fastopen")
attempt("unix ok.sock", UX, T, "ok.sock")
attempt("unix no.sock", UX, T, "no.sock")
attempt("abstract ok", UX, T, "\0" + tag + "-ok")
attempt("abstract no", UX, T, "\0" + tag + "-no")
attempt("udp sendto U", I4, D, ("127.0.0.1", int(U)), "sendto")
attempt("udp sendto V", I4, D, ("127.0.0.1", int(V)), "sendto")
attempt("udp sendmsg U", I4, D, ("127.0.0.1", int(U)), "sendmsg")
attempt("udp sendmsg V", I4, D, ("127.0.0.1", int(V)), "sendmsg")
attempt("udp6 sendto [::ffff:127.0.0.1]:U", I6, D, ("::ffff:127.0.0.1", int(U)), "sendto")
PY
run_client() { "$@" "$py" client.py "$P" "$Q" "$U" "$V" "$tag"; "$@" "$PROGS/policy_net" sendmmsg "$U" "$V";
	"$@" "$PROGS/policy_net" sendmmsg "$V" "$U"; }
run_client > native.out 2>&1
! grep -qv ' ok$\|sendmmsg: 2 msg_len=' native.out && ok "natively every destination is reached" ||
	{ not_ok "natively every destination is reached"; show_file out native.out; }
# Enforced: what the rules refuse, with the rule's errno (ECONNREFUSED,
# ENETUNREACH) or EACCES where no rule matches an operation allow rules name.
sed -e 's/^\(tcp 127.0.0.2:P\) ok$/\1 ConnectionRefusedError Connection refused/' \
    -e 's/^\(tcp \[::ffff:127.0.0.2\]:P\) ok$/\1 ConnectionRefusedError Connection refused/' \
    -e 's/^\(tcp fastopen 127.0.0.2:P\) ok$/\1 ConnectionRefusedError Connection refused/' \
    -e 's/^\(tcp 127.0.0.1:Q\) ok$/\1 ConnectionRefusedError Connection refused/' \
    -e 's/^\(tcp \[::1\]:Q\) ok$/\1 PermissionError Permission denied/' \
    -e 's/^\(unix no.sock\) ok$/\1 PermissionError Permission denied/' \
    -e 's/^\(abstract no\) ok$/\1 PermissionError Permission denied/' \
    -e 's/^\(udp send[a-z]* V\) ok$/\1 OSError Network is unreachable/' \
    native.out > want.out
sed -i -e '/^sendmmsg/d' want.out
printf '%s\n' "sendmmsg: 1 msg_len=3,99" "sendmmsg: ENETUNREACH" >> want.out
run_client "$K23" run --policy enforce.yaml -- > enforce.out 2>&1
diff_check "enforced: 127.0.0.1:$P reached and 127.0.0.2:$P refused (same port), [::1], IPv4-mapped, unix paths, abstract names, UDP sendto/sendmsg; sendmmsg sends the messages before the refused one" want.out enforce.out

# Complain mode: the program sees what it sees natively, and the log names
# exactly the destinations enforce mode refused (decoded, with their rule).
run_client "$K23" run --policy complain.yaml -- > complain.out 2>&1
diff_check "complain mode: the program runs as natively" native.out complain.out
# Without HOME, python asks nscd for the user's home over a unix socket the
# policy refuses too: that is the environment's call, not the client's.
keys() { grep -v '"what":"connect unix:/var/run/nscd/socket"' "$1" |
	sed -E 's/^.*"errno":("[^"]*").*"rule":([0-9]+),"line":([0-9]+),"what":("[^"]*"),"layer":("[^"]*").*$/\1 \2 \3 \4 \5/' | sort; }
keys enforce.jsonl > enforce.keys
keys complain.jsonl > complain.keys
[ "$(wc -l < enforce.keys)" -eq 11 ] && grep -q "\"ECONNREFUSED\" 2 [0-9]* \"connect 127.0.0.2:$P\" \"in-process\"" enforce.keys &&
	grep -q "\"EACCES\" 0 0 \"connect unix:$PWD/no.sock\"" enforce.keys &&
	grep -q "\"ENETUNREACH\" 4 [0-9]* \"sendto 127.0.0.1:$V\"" enforce.keys &&
	ok "enforce logged 11 refusals, the destination decoded: $(head -n 1 enforce.keys)" ||
	{ not_ok "enforce log"; show_file keys enforce.keys; show_file log enforce.jsonl; }
diff_check "the complain log lists exactly what enforce refused" enforce.keys complain.keys
grep -q '"verdict":"would deny"' complain.jsonl && ! grep -q '"verdict":"denied"' complain.jsonl &&
	ok "complain lines say 'would deny'" || { not_ok "complain verdicts"; show_file log complain.jsonl; }

# The documented limit: a connect made from a `syscall` in k23's own text
# never passes the dispatcher, and reaches the refused destination.
addr=$(k23_syscall_ret)
"$K23" run --policy enforce.yaml -- "$PROGS/policy_net" connect 127.0.0.2 "$P" > k23.out 2>&1
"$K23" run --policy enforce.yaml -- "$PROGS/policy_net" connect 127.0.0.2 "$P" "$addr" >> k23.out 2>&1
printf '%s\n' "connect: ECONNREFUSED" "connect via k23's text: ok" > want.out
diff_check "a hostile program bypasses the in-process layer (jump to 0x$addr in k23's text): it reaches 127.0.0.2:$P" want.out k23.out

# A lone deny rule on an address (no names in the compiled form): only that
# address is refused, every other destination stays open.
printf 'network:\n  - deny: connect\n    to: ["127.0.0.2"]\n' > lone.yaml
"$K23" run --policy lone.yaml -- "$PROGS/policy_net" connect 127.0.0.2 "$P" > k23.out 2>&1
"$K23" run --policy lone.yaml -- "$PROGS/policy_net" connect 127.0.0.1 "$P" >> k23.out 2>&1
printf '%s\n' "connect: EACCES" "connect: ok" > want.out
diff_check "a lone deny rule refuses 127.0.0.2 (EACCES) and leaves 127.0.0.1 open" want.out k23.out

# A connect of a UDP socket fixes where its sends go: sendto rules decide it.
printf 'network:\n  - allow: sendto\n    to: ["127.0.0.1:%s"]\n' "$U" > udp.yaml
cat > udpconnect.py <<'PY'
import socket, sys
for port in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try: s.connect(("127.0.0.1", int(port))); s.send(b"x"); print(port, "ok")
    except OSError as e: print(port, type(e).__name__, e.strerror)
PY
"$K23" run --policy udp.yaml -- "$py" udpconnect.py "$U" "$V" > k23.out 2>&1
printf '%s\n' "$U ok" "$V PermissionError Permission denied" > want.out
diff_check "a UDP connect is decided by the sendto rules" want.out k23.out

# io_uring: a ring's connect would never pass the dispatcher, so the filter
# refuses io_uring_setup under destination rules.
"$K23" run --policy enforce.yaml -- "$PROGS/policy_uring" connect "$Q" > k23.out 2>&1
echo "io_uring_setup: Operation not permitted" > want.out
diff_check "under destination rules io_uring_setup is refused (EPERM)" want.out k23.out

# Bad destinations: one line FILE:LINE:COL: message, exit 2.
bad() # WHAT DEST REGEX
{
	printf 'network:\n  - allow: connect\n    to: ["%s"]\n' "$2" > bad.yaml
	expect_policy_error "$1" 2 "^bad.yaml:3:10: .*$3" policy check bad.yaml
}
bad "an invalid CIDR" "10.1.0.0/33:80" "destination '10.1.0.0/33:80': invalid prefix length"
bad "host bits below the prefix" "10.1.2.0/16" "host bits set below the prefix \(the network is 10.1.0.0/16\)"
bad "an invalid port range" "10.1.0.0/16:90-80" "port range '90-80' is invalid"
bad "an unknown scheme" "tcp:10.1.0.0" "unknown scheme 'tcp'"
bad "a relative unix path" "unix:x.sock" "the socket path is not absolute"
bad "an invalid IPv6 address" "[::g]:80" "'::g' is not an IPv6 address"
printf 'network:\n  - allow: connect\n    ports: [80]\n    to: [any]\n' > bad.yaml
expect_policy_error "ports: and to: in one rule" 2 "^bad.yaml:3:5: network rule: ports: and to:" policy check bad.yaml
finish
