# virt_synth_hostname.sh - identity: hostname: uname's nodename, hostname(1) and /etc/hostname show the chosen name, in the whole tree; ${HOSTNAME} and the other template variables.
. "$TESTS/policy_lib.sh"

cat > p.yaml <<'Y'
identity:
  hostname: node7.test
Y
"$K23" policy check p.yaml > check.out 2>&1 && ok "check: $(cat check.out)" ||
	{ not_ok "policy check"; show_file out check.out; }

# like_bound FILE TARGET POLICY CMDS: CMDS natively in a UTS namespace named
# node7.test with FILE bind-mounted on TARGET, and under k23 --policy
# POLICY; 0 if stdout, stderr and status are the same (else the diffs
# are shown), 2 if the native reference cannot run here.
like_bound()
{
	if [ "$(id -u)" -ne 0 ] || ! unshare -u -m true 2> /dev/null; then
		echo "# skip: the native reference needs root and UTS and mount namespaces"
		return 2
	fi
	( unshare -u -m sh -c 'hostname node7.test && mount --bind "$0" "$1" && exec sh -c "$2"' \
		"$PWD/$1" "$2" "$4" > native.out 2> native.err; echo $? > native.rc ) 2> /dev/null
	run_k23 k23 --policy "$3" -- sh -c "$4"
	cmp -s native.out k23.out && cmp -s native.err k23.err && cmp -s native.rc k23.rc && return 0
	diff native.out k23.out | sed 's/^/  /'
	diff native.err k23.err | head -n 5 | sed 's/^/  /'
	return 1
}

# The native reference: a UTS namespace with that host name and
# /etc/hostname bind-mounted from a file holding it (mode 0444, as k23
# synthesizes it).
printf 'node7.test\n' > hostname.file
chmod 0444 hostname.file
cmds='uname -n; hostname; cat /etc/hostname; stat -c "%s %a %F" /etc/hostname; sh -c "uname -n; cat /etc/hostname"; python3 -c "import socket, os; print(socket.gethostname(), os.uname().nodename)"'
like_bound hostname.file /etc/hostname p.yaml "$cmds"
case $? in
0) ok "uname -n, hostname, /etc/hostname, a child shell, python: as natively with that name ($(head -n 1 k23.out))" ;;
1) not_ok "host name differs from a native run with that name" ;;
esac
# identity: hosts: names resolve through a synthesized /etc/hosts (the
# machine's, then the names, then the host name on 127.0.1.1). The native
# reference: that file bind-mounted on /etc/hosts, the name set in a UTS
# namespace.
cat > h.yaml <<'Y'
identity:
  hostname: node7.test
  hosts: {db.internal: 10.77.0.5, db6.internal: "fd00::5"}
Y
{ cat /etc/hosts; [ -z "$(tail -c 1 /etc/hosts)" ] || echo
  printf '# k23: identity:\n10.77.0.5\tdb.internal\nfd00::5\tdb6.internal\n127.0.1.1\tnode7.test\n'; } > hosts.file
chmod 0444 hosts.file
hcmds='getent hosts db.internal db6.internal node7.test; getent ahostsv4 db.internal | head -n 1; python3 -c "import socket; print(socket.gethostbyname(\"db.internal\"), socket.gethostbyname(socket.gethostname()), socket.getaddrinfo(\"db6.internal\", 80)[0][4][0])"; stat -c "%s %a" /etc/hosts'
like_bound hosts.file /etc/hosts h.yaml "$hcmds"
case $? in
0) ok "hosts: getent, python resolve as natively with that /etc/hosts ($(head -n 1 k23.out | tr -s ' \t' ' '))" ;;
1) not_ok "hosts: resolving differs from a native run with that /etc/hosts" ;;
esac

# k23's own descriptors (here the compiled policy's memfd) are not the
# program's, also through newfstatat(fd, "", AT_EMPTY_PATH) (Python's
# os.fstat): the program finds exactly the descriptors a native run has.
scan='import os, resource
hard = min(resource.getrlimit(resource.RLIMIT_NOFILE)[1], 70000)
n = []
for i in range(hard):
    try:
        os.fstat(i)
        n.append(i)
    except OSError:
        pass
print(n)'
compare_run --policy p.yaml -- python3 -c "$scan"

# Whatever the machine's own name is, the tree sees the chosen one.
"$K23" run --policy p.yaml -- sh -c 'uname -n; cat /etc/hostname' > hn.out 2>&1
[ "$(cat hn.out)" = "$(printf 'node7.test\nnode7.test')" ] && ok "the tree sees node7.test (the machine is $(uname -n))" ||
	{ not_ok "the chosen name"; show_file out hn.out; }

# The policy's own /etc/hostname wins over the one identity: makes.
cat > q.yaml <<'Y'
identity:
  hostname: node8
synthesize:
  - path: /etc/hostname
    text: "own\n"
Y
"$K23" run --policy q.yaml -- sh -c 'uname -n; cat /etc/hostname' > own.out 2>&1
[ "$(cat own.out)" = "$(printf 'node8\nown')" ] && ok "a synthesized /etc/hostname is the policy's own" ||
	{ not_ok "own /etc/hostname"; show_file out own.out; }

# Templates: ${HOSTNAME} is the chosen name, ${HOME} k23's environment
# (the program's), $$ a '$'; ${K23_TREE_ID} the same in every process of a
# run, another in the next run.
cat > t.yaml <<'Y'
identity: {hostname: node9}
synthesize:
  - path: /etc/k23-test-tpl.conf
    template: "host=${HOSTNAME} home=${HOME} cost=$$5 tree=${K23_TREE_ID}\n"
Y
HOME=/home/tpl "$K23" run --policy t.yaml -- sh -c 'cat /etc/k23-test-tpl.conf; sh -c "cat /etc/k23-test-tpl.conf"' > t1.out 2>&1
"$K23" run --policy t.yaml -- cat /etc/k23-test-tpl.conf > t2.out 2>&1
line=$(head -n 1 t1.out)
case $line in
"host=node9 home=/home/tpl cost=\$5 tree="[0-9a-f]*)
	tree=${line##*tree=}
	[ ${#tree} -eq 32 ] && ok "template filled: $line" || not_ok "template: the tree id has 32 hex digits: $line" ;;
*) not_ok "template filled"; show_file out t1.out ;;
esac
[ "$(sed -n 2p t1.out)" = "$line" ] && ok "a child process sees the same tree id" || { not_ok "same tree id in the tree"; show_file out t1.out; }
[ "$(sed 's/.*tree=//' t2.out)" != "$(echo "$line" | sed 's/.*tree=//')" ] && ok "another run has another tree id" ||
	{ not_ok "tree id per run"; show_file out t2.out; }
finish
