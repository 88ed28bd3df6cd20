# policy_scope_net.sh - scope: network destination deny rules that bind only the images of one executable (in-process layer): under a policy allowing 127.0.0.1:P to every image, a scoped executable is refused it while another one of the same tree reaches it; the audit log names the rule, its line and the layer; complain mode logs without denying; a scoped allow or ports: rule is refused.
. "$TESTS/policy_lib.sh"
py=/usr/bin/python3
net=$PROGS/policy_net

# A TCP listener outside k23 on every IPv4 address (127.0.0.1 and 127.0.0.2
# reach it; the kernel completes connections into the backlog: nothing accepts).
"$py" -c '
import socket, time
s = socket.socket(); s.bind(("0.0.0.0", 0)); s.listen(1024)
print(s.getsockname()[1], flush=True)
time.sleep(600)' > port &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
read -r P < port
[ -n "$P" ] && ok "server: TCP 127.0.0.1:$P" || { not_ok "server started"; finish; }

# The scoped executable: a copy of the test program (a copy, not a hard
# link: a link is the same file, and the scope binds it by identity too).
cp "$net" ./net-scoped
policy() # MODE
{
	cat <<Y
mode: $1
log: $1.jsonl
network:
  - allow: connect
    to: ["127.0.0.1:$P"]
scope:
  - exe: $PWD/net-scoped
    network:
      - deny: connect
        to: ["127.0.0.0/8:$P"]
        errno: ECONNREFUSED
Y
}
policy enforce > enforce.yaml
policy complain > complain.yaml
line=$(grep -n '127.0.0.0/8' enforce.yaml | cut -d: -f1)

"$K23" policy check enforce.yaml > check.out 2>&1 && grep -q '1 scoped deny rule (in-process)' check.out &&
	ok "check: $(cat check.out)" || { not_ok "check"; show_file out check.out; }
"$K23" policy explain enforce.yaml > explain.out 2>&1
grep -q "line $line: deny connect to 127.0.0.0/8:$P (ECONNREFUSED) in images of $PWD/net-scoped (scope, after the tree's rules let it through): in-process (bypassable by a hostile program)" explain.out &&
	ok "explain labels the scoped destination rule in-process (bypassable)" ||
	{ not_ok "explain labels the scoped destination rule"; show_file explain explain.out; }

# The tree: policy_net reaches P, the scoped copy is refused it with the
# scope's errno, and policy_net exec'd after it reaches P again (each image
# decides for itself). 127.0.0.2:P is the tree's to refuse (no allow rule
# matches it: EACCES), whichever executable asks: the tree's rules decide
# first, a scope only refuses what they let through.
run() # POLICY
{
	"$K23" run --policy "$1" -- bash -c "'$net' connect 127.0.0.1 $P; ./net-scoped connect 127.0.0.1 $P;
		'$net' connect 127.0.0.1 $P; ./net-scoped connect 127.0.0.2 $P"
}
"$net" connect 127.0.0.1 "$P" > native.out 2>&1
./net-scoped connect 127.0.0.1 "$P" >> native.out 2>&1
./net-scoped connect 127.0.0.2 "$P" >> native.out 2>&1
printf '%s\n' "connect: ok" "connect: ok" "connect: ok" > want.out
diff_check "natively both executables reach 127.0.0.1:$P (and 127.0.0.2:$P)" want.out native.out

rm -f enforce.jsonl
run enforce.yaml > enforce.out 2>&1
printf '%s\n' "connect: ok" "connect: ECONNREFUSED" "connect: ok" "connect: EACCES" > want.out
diff_check "enforced: the scoped executable is refused 127.0.0.1:$P (ECONNREFUSED), the other reaches it before and after" want.out enforce.out
scoped_line=$(grep "\"what\":\"connect 127.0.0.1:$P\"" enforce.jsonl)
echo "$scoped_line" | grep -q "\"exe\":\"$PWD/net-scoped\"" &&
	echo "$scoped_line" | grep -q '"verdict":"denied","errno":"ECONNREFUSED","rule":2,' &&
	echo "$scoped_line" | grep -q "\"line\":$line,.*\"layer\":\"in-process\"" &&
	[ "$(grep -c '"what":"connect 127\.' enforce.jsonl)" -eq 2 ] && grep -q "\"rule\":0,.*\"what\":\"connect 127.0.0.2:$P\"" enforce.jsonl &&
	ok "the audit log names the scoped rule (2), its line $line, the executable and the in-process layer" ||
	{ not_ok "audit lines for the scoped rule"; show_file log enforce.jsonl; }

# Complain: nothing refused, and the log says what enforce refused.
rm -f complain.jsonl
run complain.yaml > complain.out 2>&1
printf '%s\n' "connect: ok" "connect: ok" "connect: ok" "connect: ok" > want.out
diff_check "complain mode: every connect is made" want.out complain.out
keys() { sed -E 's/^.*"exe":("[^"]*").*"errno":("[^"]*").*"rule":([0-9]+),"line":([0-9]+),"what":("[^"]*"),"layer":("[^"]*").*$/\1 \2 \3 \4 \5 \6/' "$1" | sort; }
keys enforce.jsonl > enforce.keys
keys complain.jsonl > complain.keys
diff_check "the complain log lists exactly what enforce refused" enforce.keys complain.keys
grep -q '"verdict":"would deny"' complain.jsonl && ! grep -q '"verdict":"denied"' complain.jsonl &&
	ok "complain lines say 'would deny'" || { not_ok "complain verdicts"; show_file log complain.jsonl; }

# A scope of python3: a real client refused the port its shell's other
# programs reach (a scope needs no top-level files: for network rules).
cat > py.yaml <<Y
scope:
  - exe: $py
    network:
      - deny: connect
        to: ["127.0.0.1:$P"]
Y
"$K23" run --policy py.yaml -- bash -c "'$py' -c '
import socket
try: socket.create_connection((\"127.0.0.1\", $P)); print(\"python3: ok\")
except OSError as e: print(\"python3:\", type(e).__name__)'; '$net' connect 127.0.0.1 $P" > py.out 2>&1
printf '%s\n' "python3: PermissionError" "connect: ok" > want.out
diff_check "python3 scoped: refused 127.0.0.1:$P (EACCES), policy_net in the same tree reaches it" want.out py.out

# A scope can only tighten, and only in-process: allow: and ports: are errors.
cat > allow.yaml <<Y
scope:
  - exe: /usr/bin/cat
    network:
      - allow: connect
        to: ["127.0.0.1:80"]
Y
expect_policy_error "a scoped allow" 2 '^allow\.yaml:4:9: allow: inside a scope: a scope can only tighten' policy check allow.yaml
cat > ports.yaml <<Y
scope:
  - exe: /usr/bin/cat
    network:
      - deny: connect
        ports: [80]
Y
expect_policy_error "scoped ports:" 2 "^ports\.yaml:5:9: ports: inside a scope: Landlock's port rules bind the whole tree" policy check ports.yaml
printf 'scope:\n  - exe: /usr/bin/cat\n    files:\n      - deny: all\n        paths: [/etc/hostname]\n' > nofiles.yaml
expect_policy_error "scoped files without top-level files:" 2 '^nofiles\.yaml:3:5: scope: a scope only tightens the tree' policy check nofiles.yaml
finish
