# remote_run.sh - `k23 run --policy` with a remote: section against a real diod: coreutils (mkdir -p, cp -r, cp -p, mv, rm -r, find, sha256sum, cd, touch, chown, ln, ln -s), a descriptor across dup, fork and exec, a script and a binary executed from the tree, python3 (os.walk, file I/O, mmap), git (init, add, commit, status from a working directory in the tree) and sqlite3 (a database, its locks between two processes) give the output and leave the tree that the same commands give and leave natively on a copy; diod killed during a read is EIO within the timeout and the next call reconnects; a dead proxy fails remote calls, not local ones; an unreachable server is one line and exit 1, or with unreachable: start a program whose remote calls fail with EIO.
. "$TESTS/lib.sh"
. "$TESTS/remote_lib.sh"
diod_need
for t in python3 git sqlite3; do
	command -v $t > /dev/null || skip "$t is not installed (make deps)"
done

here=$(pwd -P)
mkdir exp nat
exp=$here/exp
head -c 300000 /dev/urandom > seed
diod_start "$exp" || { not_ok "diod started"; finish; }
# The tree the program names: no such local directory exists.
D=$here/data
policy() { printf 'remote:\n  %s:\n    url: "%s"\n    timeout: %s\n    unreachable: %s\n' \
	"$D" "9p://127.0.0.1:$1$exp" "${2:-5}" "${3:-fail}"; }
policy "$DIOD_PORT" > p.yaml

# The workload, with its tree's path as $1: the same script natively on
# nat/ and under k23 on the remote tree; outputs name the tree as D.
cat > work.sh <<'EOF'
set -e
t=$1 seed=$2
cd "$t"
mkdir -p a/b/c
printf 'one\ntwo\n' > a/b/c/f1
cp "$seed" a/big
cp -r a a2
mv a2 a3
cp a/big a3/big2
rm -r a3/b
echo "pwd: $(pwd | sed "s|^$t|D|")"
find . | LC_ALL=C sort
sha256sum $(find . -type f | LC_ALL=C sort)
cd a/b && cat c/f1 ../b/c/f1 && cd ../..
# Times and owners: touch of an existing file, chown, cp -p, ls -l.
touch -d '2021-02-03 04:05:06' a/b/c/f1 && touch -m -d '2022-01-01 00:00:00' a/big
chown 1:2 a/big && chmod 640 a/big
cp -p a/big a/big.p && cp -p a/b/c/f1 f1.p
stat -c '%n %Y %u %g %a %s' a/b/c/f1 a/big a/big.p f1.p
ls -l --time-style=+%F.%T a/b/c a | grep '^-'
# Links: a hard link (its count), a symbolic one read and followed.
ln a/b/c/f1 hard && stat -c '%n %h %s' hard a/b/c/f1
ln -s b/c/f1 a/sym && readlink a/sym && cat a/sym && rm hard
# The file system's size (statfs: the server's; both trees are on one).
stat -f -c 'statfs %S %b %l' . a/big
python3 -c 'import os; s = os.statvfs("a"); print("statvfs", s.f_frsize, s.f_blocks, s.f_namemax)'
# A descriptor across dup, fork and exec (its offset shared); programs
# that live in the tree: a script and a binary.
exec 5< a/b/c/f1
sh -c 'head -c 4 <&5; cat <&5'
exec 5<&-
printf '#!/bin/sh\necho "script ran: $*"\n' > s.sh && chmod +x s.sh && ./s.sh x y
cp /bin/echo ./myecho && ./myecho binary ran
python3 - <<'PY'
import os
for root, dirs, files in os.walk("."):
    print("walk", root, sorted(dirs), sorted(files), [os.path.getsize(os.path.join(root, f)) for f in sorted(files)])
with open("py.txt", "w") as f:
    f.write("x" * 5000 + "\n")
with open("py.txt", "r+") as f:
    f.seek(100); f.write("HELLO"); f.seek(0); d = f.read()
with open("py.txt", "a") as f:
    f.write("tail\n")
os.rename("py.txt", "py2.txt")
import hashlib, mmap
with open("a/big", "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
    print("mmap", len(m), hashlib.sha256(m).hexdigest())
st = os.stat("py2.txt")
print("py", len(d), d[95:110], st.st_size, open("py2.txt").read()[-10:].encode(), sorted(os.listdir(".")))
PY
g() { git -c user.name=k23 -c user.email=k23@example.org -c init.defaultBranch=main "$@"; }
export GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' GIT_CONFIG_NOSYSTEM=1
mkdir repo && cd repo && g init -q && echo hi > f && mkdir sub && echo s > sub/g
g add f sub && g commit -qm first && echo more >> f && echo new > n
echo "status:"; g status --porcelain
g add -A && g commit -qm second && g log --format='%H %s'
cd ..
sqlite3 db.sqlite 'create table t(a integer, b text); insert into t values (1, "a"), (2, "b"); select sum(a), group_concat(b) from t;'
# A lock between two processes: the first holds a write transaction while
# the second tries to write (no busy timeout: it is refused at once).
(echo 'begin exclusive; insert into t values (3, "c");'; sleep 1.5; echo 'commit;') | sqlite3 db.sqlite &
sleep 0.7
sqlite3 db.sqlite 'insert into t values (4, "d");' 2>&1 | sed 's/^Error: .*: /Error: /' || true
wait
sqlite3 db.sqlite 'select count(*), sum(a) from t; pragma integrity_check;'
EOF

run_native native sh work.sh "$here/nat" "$here/seed"
run_k23 remote --policy p.yaml -- sh work.sh "$D" "$here/seed"
grep -q '^ok$' native.out || not_ok "the native workload ran to its end"
diff_check "the workload's output (coreutils, python3, git, sqlite3 with a lock held by another process) equals the native run's" native.out remote.out
diff_check "... its errors too" native.err remote.err
diff_check "... and its status" native.rc remote.rc
# The trees left: names, types, sizes and contents (git's objects included).
tree() { (cd "$1" && find . -printf '%y %s %p\n' | grep -v '^d' | LC_ALL=C sort &&
	find . -type f ! -path ./repo/.git/index | LC_ALL=C sort | xargs sha256sum); }
tree nat > nat.tree
tree exp > exp.tree
diff_check "the exported tree equals the native one (sizes and contents of every file)" nat.tree exp.tree
[ ! -e "$D" ] && ok "nothing was made under the tree's local path" || not_ok "nothing was made under the tree's local path"

# --- failures -----------------------------------------------------------
policy "$DIOD_PORT" 1 > p1.yaml
# The program reads, then waits for "go" lines; the test acts in between.
cat > fail.py <<'EOF'
import os, sys, time
big, local = sys.argv[1], sys.argv[2]
fd = os.open(big, os.O_RDONLY)
print("first", len(os.pread(fd, 1000, 0)), flush=True)
def one(what):
    t = time.monotonic()
    try:
        r = "%d bytes" % len(os.pread(fd, 2000000, 5000)) if what == "remote" else "%d bytes" % len(open(local, "rb").read())
    except OSError as e:
        r = os.strerror(e.errno)
    print(what, r, "%.1f" % (time.monotonic() - t), flush=True)
def step(what):
    sys.stdin.readline()
    if what != "remote+local":
        return one(what)
    # The remote read in a thread; this one's local reads meanwhile.
    import threading
    th = threading.Thread(target=one, args=("remote",))
    th.start()
    time.sleep(0.1)
    t = time.monotonic()
    n = sum(len(open(local, "rb").read()) for i in range(50))
    print("local-meanwhile", n, "%.1f" % (time.monotonic() - t), flush=True)
    th.join()
for what in sys.argv[3:]:
    step(what)
EOF
head -c 3000000 /dev/urandom > exp/big
mkfifo go
# diod killed during a read: EIO within the timeout (1 s); another thread's
# local reads go on meanwhile; the next read, once a diod listens again,
# reconnects.
"$K23" run --policy p1.yaml -- python3 fail.py "$D/big" seed remote+local remote < go > fail.out 2> fail.err &
kpid=$!
exec 3> go
for i in $(seq 100); do grep -q first fail.out && break; sleep 0.1; done
diod_stop
echo >&3
sleep 0.4
diod_kill
for i in $(seq 50); do [ "$(wc -l < fail.out)" -ge 3 ] && break; sleep 0.1; done
diod_start "$exp" "$DIOD_PORT" || not_ok "diod restarted"
echo >&3
exec 3>&-
wait $kpid
grep '^remote Input' fail.out > got
if awk '$4 + 0 <= 1.5 { ok = 1 } END { exit !ok }' got; then
	ok "diod killed during a read: the read fails with EIO within the 1 s timeout"
else
	not_ok "diod killed during a read: the read fails with EIO within the 1 s timeout"
	show_file fail.out fail.out; show_file fail.err fail.err
fi
# The local reads started after the remote one, while the server was stopped.
if awk '$1 == "local-meanwhile" && $2 == 15000000 && $3 + 0 < 0.3 { ok = 1 } END { exit !ok }' fail.out &&
   [ "$(sed -n 2p fail.out | cut -d' ' -f1)" = local-meanwhile ]; then
	ok "... another thread's local reads meanwhile are not held up by the stopped server"
else
	not_ok "... another thread's local reads meanwhile are not held up by the stopped server"
	show_file fail.out fail.out
fi
if [ "$(sed -n 4p fail.out | cut -d' ' -f1-3)" = "remote 2000000 bytes" ]; then
	ok "... and the next read reconnects to the new diod"
else
	not_ok "... and the next read reconnects to the new diod"
	show_file fail.out fail.out
fi

# The proxy killed: remote calls fail at once, local ones work.
mkfifo go2
"$K23" run --policy p1.yaml -- python3 fail.py "$D/big" seed remote local < go2 > dead.out 2> dead.err &
kpid=$!
exec 3> go2
for i in $(seq 100); do grep -q first dead.out && break; sleep 0.1; done
# The proxy of this run: the newest k23-remote serving this test's tree.
proxy=$(pgrep -n -f '^k23-remote 3 4 5')
[ -n "$proxy" ] && kill -9 "$proxy"
echo >&3
echo >&3
exec 3>&-
wait $kpid
if [ "$(sed -n 2p dead.out | cut -d' ' -f1-3)" = "remote Input/output error" ] &&
   [ "$(sed -n 3p dead.out | cut -d' ' -f1-3)" = "local 300000 bytes" ]; then
	ok "the proxy killed: a remote read fails with EIO, a local read works"
else
	not_ok "the proxy killed: a remote read fails with EIO, a local read works"
	show_file dead.out dead.out; show_file dead.err dead.err
fi

# Nobody listens: one line naming the server, exit 1; unless the policy
# says start, and then remote calls fail with EIO and local ones work.
diod_kill
run_k23 down --policy p.yaml -- cat seed
if [ "$(cat down.rc)" = 1 ] && [ ! -s down.out ] && [ "$(wc -l < down.err)" = 1 ] &&
   grep -q "^k23: remote $D: 9p://127.0.0.1:$DIOD_PORT$exp: Connection refused$" down.err; then
	ok "an unreachable server at start: one line naming it, exit 1"
else
	not_ok "an unreachable server at start: one line naming it, exit 1 (status $(cat down.rc))"
	show_file stderr down.err
fi
policy "$DIOD_PORT" 1 start > ps.yaml
run_k23 start --policy ps.yaml -- sh -c "cat '$D/big' 2>&1 | sed 's/^cat: //'; ls '$D' 2>&1 | sed 's/^ls: //'; wc -c < seed"
printf '%s\n' "$D/big: Input/output error" "cannot access '$D': Input/output error" 300000 > start.exp
diff_check "unreachable: start: remote calls fail with EIO, local ones work" start.exp start.out
[ "$(cat start.rc)" = 0 ] && ok "... and the program's status is its own" || not_ok "... and the program's status is its own ($(cat start.rc))"
finish
