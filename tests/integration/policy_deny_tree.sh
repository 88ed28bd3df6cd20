# policy_deny_tree.sh - a denied tree inside a granted one (in-process layer, matched on the kernel's path of the object, no identity taken): refused through `..`, symlinks to the file and to the tree, /proc/self/root and a dirfd, the tree itself too; refused to the main thread, to a thread with a descriptor table of its own (unshare(CLONE_FILES)), whose descriptor numbers mean other files in the thread-group leader's table, and to a thread that outlives the leader (whose /proc/self/fd is gone).
. "$TESTS/policy_lib.sh"
py=/usr/bin/python3

mkdir -p sec pub
echo "the secret" > sec/f
echo "public" > pub/f
cat > p.yaml <<Y
files:
  - allow: read
    paths: [/usr, /lib, /lib64, /etc, "\${CWD}"]
  - deny: all
    paths: ["\${CWD}/sec"]
log: audit.jsonl
Y
# The thread unshares its descriptor table and opens the file: it gets the
# lowest free number, which in the leader's table is free too (or, with
# "busy", another file the leader opens after the unshare).
cat > t.py <<'PY'
import ctypes, os, sys, threading
path, mode = sys.argv[1], sys.argv[2]
go, done = threading.Event(), threading.Event()
def thread():
    if ctypes.CDLL(None, use_errno=True).unshare(0x400) != 0:  # CLONE_FILES
        print("unshare failed"); return
    go.set(); done.wait()
    try:
        fd = os.open(path, os.O_RDONLY); print("thread:", os.read(fd, 100).decode().strip())
    except OSError as e:
        print("thread:", e.strerror)
t = threading.Thread(target=thread); t.start(); go.wait()
if mode == "busy":
    os.open("pub/f", os.O_RDONLY)  # the leader's table: that number is pub/f
done.set(); t.join()
try:
    fd = os.open(path, os.O_RDONLY); print("main:", os.read(fd, 100).decode().strip())
except OSError as e:
    print("main:", e.strerror)
PY
"$py" t.py sec/f free > native.out 2>&1
printf '%s\n' "thread: the secret" "main: the secret" > want.out
diff_check "natively both threads read sec/f" want.out native.out

compare_run --policy p.yaml -- cat pub/f
# The tree is matched on the kernel's path of what the open reached (no
# identity is taken for a directory): every path trick ends there too.
ln -s "$PWD/sec/f" link
ln -s "$PWD/sec" dirlink
refused() # WHAT CMD...
{
	local what=$1; shift
	"$K23" run --policy p.yaml -- "$@" > den.out 2>&1
	local rc=$?
	[ $rc -ne 0 ] && grep -q 'Permission denied' den.out && ! grep -q 'the secret' den.out &&
		ok "refused: $what" || { not_ok "refused: $what (status $rc)"; show_file out den.out; }
}
refused "cat sec/f" cat sec/f
refused "cat pub/../sec/f" cat pub/../sec/f
refused "cat through a symlink to the file" cat link
refused "cat through a symlink to the tree" cat dirlink/f
refused "cat /proc/self/root/.../sec/f" cat "/proc/self/root$PWD/sec/f"
refused "openat(fd of pub, \"../sec/f\")" "$PROGS/policy_openat" pub ../sec/f
refused "ls of the tree itself" ls sec
for mode in free busy; do
	rm -f audit.jsonl
	"$K23" run --policy p.yaml -- "$py" t.py sec/f $mode > k23.out 2>&1
	printf '%s\n' "thread: Permission denied" "main: Permission denied" > want.out
	diff_check "a thread with its own descriptor table is refused the denied tree ($mode number in the leader's table)" want.out k23.out
	[ "$(grep -c '"verdict":"denied".*"layer":"in-process"' audit.jsonl 2>/dev/null)" -eq 2 ] &&
		ok "two in-process denials logged ($mode)" || { not_ok "audit lines ($mode)"; show_file log audit.jsonl; }
done
"$K23" run --policy p.yaml -- "$py" t.py pub/f busy > k23.out 2>&1
printf '%s\n' "thread: public" "main: public" > want.out
diff_check "the same thread reads a granted file outside the denied tree" want.out k23.out

# The leader exits (pthread_exit, ctypes releasing the GIL) and another
# thread opens the file afterwards.
cat > lexit.py <<'PY'
import ctypes, os, sys, threading, time
def thread():
    time.sleep(0.3)
    try:
        fd = os.open(sys.argv[1], os.O_RDONLY); print("thread:", os.read(fd, 100).decode().strip(), flush=True)
    except OSError as e:
        print("thread:", e.strerror, flush=True)
    os._exit(0)
threading.Thread(target=thread).start()
ctypes.CDLL(None).pthread_exit(None)
PY
"$py" lexit.py sec/f > native.out 2>&1
echo "thread: the secret" > want.out
diff_check "natively a thread that outlives the leader reads sec/f" want.out native.out
"$K23" run --policy p.yaml -- "$py" lexit.py sec/f > k23.out 2>&1
echo "thread: Permission denied" > want.out
diff_check "a thread that outlives the leader is refused the denied tree" want.out k23.out
"$K23" run --policy p.yaml -- "$py" lexit.py pub/f > k23.out 2>&1
echo "thread: public" > want.out
diff_check "... and reads a granted file" want.out k23.out
finish
