# policy_parse.sh - `k23 policy check` on good and bad policy files: FILE:LINE:COL: message, exit 2, the nearest name suggested.
. "$TESTS/policy_lib.sh"

# bad NAME STATUS REGEX: FILE NAME.yaml (written from stdin) fails to check.
bad() { cat > "$1.yaml"; expect_policy_error "$1" "$2" "$3" policy check "$1.yaml"; }

bad syntax 2 '^syntax\.yaml:3:6: syntax error: did not find expected' <<'Y'
calls:
  - deny: [ptrace
files: []
Y
bad unknown-call 2 "^unknown-call\.yaml:3:19: unknown system call 'ptrce' \(did you mean 'ptrace'\?\)$" <<'Y'
default: allow
calls:
  - deny: [mount, ptrce]
Y
bad unknown-group 2 "^unknown-group\.yaml:2:12: unknown group '@mout' \(did you mean '@mount'\?\)$" <<'Y'
calls:
  - deny: ["@mout"]
Y
bad unknown-errno 2 "^unknown-errno\.yaml:3:12: unknown errno 'EPREM' \(did you mean 'EPERM'\?\)$" <<'Y'
calls:
  - deny: [ptrace]
    errno: EPREM
Y
bad unknown-key 2 "^unknown-key\.yaml:2:1: policy: unknown key 'fles' \(did you mean 'files'\?\)$" <<'Y'
default: allow
fles: []
Y
bad port-range 2 "^port-range\.yaml:3:17: port range '9000-8000' is invalid" <<'Y'
network:
  - allow: connect
    ports: [80, 9000-8000]
Y
bad port-big 2 "^port-big\.yaml:3:13: port range '70000' is invalid" <<'Y'
network:
  - allow: bind
    ports: [70000]
Y
bad arg-index 2 "^arg-index\.yaml:4:18: argument index 6: system calls have arguments 0 to 5$" <<'Y'
calls:
  - errno: EPERM
    calls: [personality]
    args: [{arg: 6, op: ne, value: 0}]
Y
bad bad-op 2 "^bad-op\.yaml:3:25: unknown operator 'neq' \(did you mean 'ne'\?\)$" <<'Y'
calls:
  - deny: [personality]
    args: [{arg: 0, op: neq, value: 0}]
Y
bad contradiction 2 "^contradiction\.yaml:3:12: contradiction: ptrace gets another verdict from the rule at line 2$" <<'Y'
calls:
  - deny: [ptrace, kcmp]
  - kill: [ptrace]
Y
bad group-contradiction 2 "^group-contradiction\.yaml:4:12: contradiction: mount \(from @mount\) gets" <<'Y'
default: deny
calls:
  - allow: [mount]
  - deny: ["@mount"]
Y
bad missing-path 2 "^missing-path\.yaml:3:19: path '/nonexistent-k23' does not exist" <<'Y'
files:
  - allow: read
    paths: [/usr, /nonexistent-k23]
Y
bad relative-path 2 "^relative-path\.yaml:3:13: path 'etc' is not absolute" <<'Y'
files:
  - allow: read
    paths: [etc]
Y
# Sections the kernel layers cannot carry are refused by name, not ignored.
bad mode 2 "^mode\.yaml:1:7: mode: 'complane' is not a mode \(enforce, complain\)" <<'Y'
mode: complane
Y
bad empty-log 2 "^empty-log\.yaml:2:6: log: expected a file name" <<'Y'
default: allow
log: ""
Y
bad address 2 "^address\.yaml:3:10: destination '127\.0\.0\.0/40:8080': invalid prefix length \(0-32\)" <<'Y'
network:
  - allow: connect
    to: ["127.0.0.0/40:8080"]
Y
bad dest-scheme 2 "^dest-scheme\.yaml:3:15: destination 'udp:10\.0\.0\.1:53': unknown scheme 'udp'" <<'Y'
network:
  - allow: sendto
    to: [any, "udp:10.0.0.1:53"]
Y
bad dest-ring 2 "^dest-ring\.yaml:2:13: io_uring_setup is allowed here, but network destination rules \(to:\) are enforced in-process" <<'Y'
calls:
  - allow: [io_uring_setup]
network:
  - deny: connect
    to: ["10.0.0.0/8"]
Y
bad sendto-ports 2 "^sendto-ports\.yaml:2:12: 'sendto' rules need destinations \(to: \[\.\.\.\]\)" <<'Y'
network:
  - allow: sendto
    ports: [53]
Y
bad path-errno 2 "^path-errno\.yaml:4:5: errno: only a deny rule returns an errno" <<'Y'
files:
  - allow: read
    paths: [/etc]
    errno: ENOENT
Y
bad path-errno-name 2 "^path-errno-name\.yaml:4:12: unknown errno 'ENOENTT' \(did you mean 'ENOENT'\?\)" <<'Y'
files:
  - deny: all
    paths: [/etc/shadow]
    errno: ENOENTT
Y
bad ring-allowed 2 "^ring-allowed\.yaml:2:13: io_uring_setup is allowed here, but deny rules inside granted trees are enforced in-process" <<'Y'
calls:
  - allow: [io_uring_setup]
files:
  - allow: read
    paths: [/etc]
  - deny: all
    paths: [/etc/shadow]
Y
echo '{"defaultAction": "SCMP_ACT_ERNO", "syscalls": []}' > oci-action.json
expect_policy_error oci-action 2 "^oci-action\.json:1:19: unknown action 'SCMP_ACT_ERNO' \(did you mean 'SCMP_ACT_ERRNO'\?\)$" policy check oci-action.json
bad oci-trap 2 "^oci-trap\.yaml:1:19: SCMP_ACT_TRAP is not supported" <<'Y'
{"defaultAction": "SCMP_ACT_TRAP"}
Y
bad mixed-forms 2 "^mixed-forms\.yaml:2:1: 'calls' is k23's form, but this file is an OCI seccomp profile" <<'Y'
defaultAction: SCMP_ACT_ALLOW
calls: []
Y
expect_policy_error "missing file" 2 "^k23: no-such-policy\.yaml: No such file or directory$" policy check no-such-policy.yaml
expect_policy_error "run --policy with a bad file" 2 "^unknown-call\.yaml:3:19: unknown system call" run --policy unknown-call.yaml -- true

# A policy that would deny k23 what it needs itself: refused, one line.
bad needs-k23 2 "^k23: needs-k23\.yaml:2:5: the policy denies rt_sigreturn, which k23 itself needs" <<'Y'
calls:
  - deny: [rt_sigreturn]
Y
bad needs-k23-default 2 "^k23: needs-k23-default\.yaml:1:10: the policy denies execveat, which k23 itself needs .*; and [0-9]+ more" <<'Y'
default: deny
calls:
  - allow: [read, write]
Y
"$K23" policy explain needs-k23.yaml > explain.out 2>&1
grep -Eq '^  rt_sigreturn +DENIED' explain.out && ok "explain marks rt_sigreturn DENIED" ||
	{ not_ok "explain marks rt_sigreturn DENIED"; show_file explain explain.out; }

# Good files: k23's form in YAML, the same in JSON; a JSON OCI profile.
cat > good.yaml <<'Y'
# comments are fine
mode: enforce
default: allow
calls:
  - deny: ["@mount", "@module", ptrace, kexec_load]
  - errno: EPERM
    calls: [personality]
    args: [{arg: 0, op: ne, value: 0}]
  - deny: [kcmp]
    errno: ENOSYS
    args: [{arg: 2, op: masked-eq, mask: 0xff, value: 3}]
files:
  - allow: read
    paths: [/usr, /etc]
  - allow: read-write
    paths: ["${CWD}"]
network:
  - allow: [connect, bind]
    ports: [8080, "9000-9002"]
Y
cat > good.json <<'Y'
{"default": "allow", "calls": [{"deny": ["@mount", "ptrace"], "errno": "EACCES"}],
 "files": [{"allow": "read", "paths": ["/usr"]}]}
Y
printf '%s\n' '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],' \
	'"syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}' > oci.json
for f in good.yaml good.json oci.json; do
	if "$K23" policy check "$f" > check.out 2> check.err && [ ! -s check.err ]; then
		ok "check $f: $(cat check.out)"
	else
		not_ok "check $f"; show_file stdout check.out; show_file stderr check.err
	fi
done
"$K23" policy explain good.yaml > explain.out 2>&1
grep -q '^  line 5: deny with EPERM: @mount @module ptrace kexec_load$' explain.out &&
grep -q 'when arg0 != 0' explain.out && grep -q 'port 9000-9002' explain.out &&
	ok "explain lists the rules with their layers" || { not_ok "explain lists the rules"; show_file explain explain.out; }
# A kernel without Landlock or without seccomp filters (as policy_nokernel
# makes them look): one line, exit 2 - never a silently weaker policy.
printf 'files:\n  - allow: read\n    paths: [/usr]\n' > files.yaml
K23_REAL=$K23 K23="$PROGS/policy_nokernel"
expect_policy_error "check on a kernel without Landlock" 2 "^k23: this kernel has no Landlock: the file rules of files\.yaml cannot be enforced" \
	nolandlock "$K23_REAL" policy check files.yaml
expect_policy_error "run on a kernel without Landlock" 2 "^k23: this kernel has no Landlock" \
	nolandlock "$K23_REAL" run --policy files.yaml -- true
expect_policy_error "check on a kernel without seccomp" 2 "^k23: this kernel has no seccomp filters: the call rules of good\.json cannot be enforced" \
	noseccomp "$K23_REAL" policy check good.json
K23=$K23_REAL
"$PROGS/policy_nokernel" nolandlock "$K23" run --accept-weaker --policy files.yaml -- cat /etc/hostname > weak.out 2> weak.err
cmp -s weak.out /etc/hostname && grep -q "^k23: warning: this kernel has no Landlock: files.yaml's file and network rules are not enforced" weak.err &&
	ok "--accept-weaker runs without Landlock, saying so" || { not_ok "--accept-weaker without Landlock"; show_file stderr weak.err; }

"$K23" policy --help | grep -q '^usage: k23 policy check' && ok "k23 policy --help" || not_ok "k23 policy --help"
"$K23" help | grep -q -- '--policy FILE' && ok "k23 help names --policy" || not_ok "k23 help names --policy"
finish
