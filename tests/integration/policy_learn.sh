# policy_learn.sh - `k23 policy learn`: the learned policy is valid, lets the same command run as natively, and denies what the command never did (each denial labelled with its layer).
. "$TESTS/policy_lib.sh"
command -v git > /dev/null || { ok "SKIP: git is not installed"; finish; }
PY=/usr/bin/python3
[ -x "$PY" ] || { ok "SKIP: $PY is not installed"; finish; }

# Git reads $HOME's configuration: an empty home keeps the run the same
# from machine to machine.
export HOME="$PWD/home" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
mkdir -p "$HOME"
top=$PWD
other=$(mktemp -d /tmp/k23-learn-other.XXXXXX)
trap 'rm -rf "$other"' EXIT

# same NAME POLICY CMD...: natively and under the policy, the same stdout,
# stderr and exit status.
same()
{
	local name=$1 pol=$2; shift 2
	local n=$top/n k=$top/k # outside the repository, whose status is shown
	"$@" > $n.out 2> $n.err; echo $? > $n.rc
	"$K23" run --policy "$pol" -- "$@" > $k.out 2> $k.err; echo $? > $k.rc
	if cmp -s $n.out $k.out && cmp -s $n.err $k.err && cmp -s $n.rc $k.rc; then
		ok "$name: same output and status ($(cat $n.rc)) as natively"
	else
		not_ok "$name: same output and status as natively"
		echo "  native $(cat $n.rc), k23 $(cat $k.rc)"
		diff $n.out $k.out | head -n 10 | sed 's/^/  /'
		diff $n.err $k.err | head -n 10 | sed 's/^/  /'
	fi
}

# denied NAME LOG LAYER CALL CMD...: natively the command succeeds; under
# the policy it fails and the audit log names LAYER on a CALL line.
denied()
{
	local name=$1 log=$2 layer=$3 call=$4; shift 4
	rm -f "$log"
	"$@" > /dev/null 2>&1; local nrc=$?
	"$K23" run --policy "$POL" -- "$@" > "$top/d.out" 2>&1; local krc=$?
	if [ "$nrc" = 0 ] && [ "$krc" != 0 ] &&
	   grep "\"call\":\"$call(" "$log" 2> /dev/null | grep -q "\"layer\":\"$layer\""; then
		ok "$name: denied (status $krc), $layer: $(grep "\"call\":\"$call(" "$log" | grep "\"layer\":\"$layer\"" | head -n 1 | sed -E 's/.*"call":"(([^"\\]|\\.)*)".*/\1/')"
	else
		not_ok "$name: denied by $layer (native $nrc, k23 $krc)"
		show_file out "$top/d.out"
		[ -f "$log" ] && show_file log "$log"
	fi
}

# --- git status in a repository ---
mkdir repo && cd repo || exit 1
# A file older than the index: git does not find it "racily clean" and
# rewrites the index (rename) on one run and not (unlink) on the next; each
# run of git status then makes the same calls.
git init -q . && echo hello > a && touch -d @1600000000 a && git add a && git commit -qm one &&
	git status > /dev/null
"$K23" policy learn -o ../p.yaml -- git status > ../learn.out 2> ../learn.err; echo $? > ../learn.rc
git status > ../native.out 2>&1
if [ "$(cat ../learn.rc)" = 0 ] && cmp -s ../learn.out ../native.out && [ -s ../p.yaml ]; then
	ok "learn ran git status as natively and wrote a policy"
else
	not_ok "learn ran git status (status $(cat ../learn.rc))"; show_file err ../learn.err
	diff ../native.out ../learn.out
fi
cd .. || exit 1
head -n 1 p.yaml | grep -q '^# Learned by `k23 policy learn`' && grep -q '^default: deny' p.yaml &&
	ok "the policy says how it was learned and denies by default" ||
	{ not_ok "header and default"; show_file policy p.yaml; }
"$K23" policy check p.yaml > check.out 2>&1 && ok "k23 policy check accepts it: $(cat check.out)" ||
	{ not_ok "k23 policy check accepts it"; show_file out check.out; show_file policy p.yaml; }
grep -q "\"$PWD/repo\"" p.yaml && ! grep -q "\"$PWD\"" p.yaml && ! grep -q '"/tmp"' p.yaml &&
	ok "reads: the working directory's tree, not its parents" || { not_ok "read trees"; show_file policy p.yaml; }
grep -A1 'allow: read-write' p.yaml | grep -q "\"$PWD/repo/.git\"" && ! grep -A1 'allow: read-write' p.yaml | grep -q "\"$PWD/repo\"" &&
	ok "writes: only where it wrote ($PWD/repo/.git)" || { not_ok "write trees"; show_file policy p.yaml; }
# The same policy with an audit log, to see which layer refuses what.
POL=$PWD/pe.yaml
{ cat p.yaml; echo "log: $PWD/audit.jsonl"; } > "$POL"
cd repo || exit 1
same "git status under the learned policy" "$POL" git status
(cd "$other" && git init -q r && cd r && echo x > f && git add f && git commit -qm x)
cp a "$other/copy"
cd "$other/r" || exit 1
denied "git status in a repository under a tree it never read" "$top/audit.jsonl" "kernel: Landlock" openat git status
cd "$top/repo" || exit 1
denied "cat of a file under a tree it never read" "$top/audit.jsonl" "kernel: Landlock" openat cat "$other/copy"
denied "mkdir, a call it never made" "$top/audit.jsonl" "kernel: seccomp" mkdir mkdir newdir
cd "$top" || exit 1

# --- python3: reads one file, connects to one loopback port ---
echo "the data" > data.txt
# Two listeners (outside k23): the port the script is learned with, and another.
server='import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); c.sendall(b"hello\n"); c.close()'
"$PY" -c "$server" > port1 & s1=$!
"$PY" -c "$server" > port2 & s2=$!
trap 'kill $s1 $s2 2> /dev/null; rm -rf "$other"' EXIT
for _ in $(seq 100); do [ -s port1 ] && [ -s port2 ] && break; sleep 0.1; done
p1=$(cat port1) p2=$(cat port2)
script='import socket, sys
print(open(sys.argv[1]).read().strip())
s = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
print(s.recv(100).decode().strip())'
"$K23" policy learn -o py.yaml -- "$PY" -c "$script" data.txt "$p1" > learn.out 2> learn.err &&
	grep -q hello learn.out && "$K23" policy check py.yaml > check.out 2>&1 &&
	ok "learn on python3: $(cat check.out)" ||
	{ not_ok "learn on python3"; show_file err learn.err; show_file check check.out; }
sed -n '/^network:/,$p' py.yaml | grep -q "ports: \[$p1\]" && ! grep -q "$p2" py.yaml &&
	ok "network: connect to port $p1 only" || { not_ok "network rules"; show_file policy py.yaml; }
POL=$PWD/pye.yaml
{ cat py.yaml; echo "log: $PWD/pyaudit.jsonl"; } > "$POL"
same "python3 under its learned policy" "$POL" "$PY" -c "$script" data.txt "$p1"
denied "python3 connecting to another port ($p2)" "$PWD/pyaudit.jsonl" "kernel: Landlock" connect \
	"$PY" -c "$script" data.txt "$p2"
echo secret > "$other/secret"
denied "python3 reading a file under a tree it never read" "$PWD/pyaudit.jsonl" "kernel: Landlock" openat \
	"$PY" -c "$script" "$other/secret" "$p1"
finish
