# exec_execveat.sh - a program replaced with execveat (by fd with AT_EMPTY_PATH, and relative to a dir fd) stays interposed; by fd from a thread with a descriptor table of its own, the thread's file is executed.
. "$TESTS/lib.sh"
pa="$PROGS/print_args"
compare_run -- "$PROGS/execveat" fd "$pa" x y
compare_run -- "$PROGS/execveat" dir "$pa" x y
compare_names -- "$PROGS/execveat" fd "$pa" x y
compare_counts -- "$PROGS/execveat" fd "$pa" x y
compare_counts -- "$PROGS/execveat" dir "$pa" x y

# fexecve from a thread that unshared its descriptor table: its fd N is
# /usr/bin/echo, while in the thread-group leader's table (/proc/self/fd)
# the same number is /usr/bin/true.
if [ -x /usr/bin/python3 ]; then
	cat > fexec.py <<'PY'
import ctypes, os, threading
go, done = threading.Event(), threading.Event()
def thread():
    ctypes.CDLL(None, use_errno=True).unshare(0x400)  # CLONE_FILES
    go.set(); done.wait()
    fd = os.open("/usr/bin/echo", os.O_RDONLY)
    os.execve(fd, ["echo", "the thread's file ran"], dict(os.environ))
t = threading.Thread(target=thread); t.start(); go.wait()
os.open("/usr/bin/true", os.O_RDONLY)
done.set(); t.join()
PY
	compare_run -- /usr/bin/python3 fexec.py
else
	echo "SKIP: fexecve from a thread with its own descriptor table: no /usr/bin/python3"
fi
finish
