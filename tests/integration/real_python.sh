# real_python.sh - python3 running 8 threads and a subprocess behaves under k23 as natively; counts match strace -f -c.
. "$TESTS/real_lib.sh"
GUARD_MAPPED=1	# compare_run: no file the run maps may change (tests/lib.sh)
py=/usr/bin/python3	# Debian's python3, not whatever a PATH shim picks
need_cmd "$py" python3 || finish
# One malloc arena: glibc otherwise reserves an arena per thread, and whether
# each reservation lands 64 MiB-aligned (one munmap, two, or a retry) depends
# on what the other threads mapped meanwhile - munmap varied under load.
export MALLOC_ARENA_MAX=1
cat > threads.py <<'PY'
import subprocess, sys, threading
N = 8
# Small thread stacks: all 8 fit glibc's cache of thread stacks, so how many
# get unmapped does not depend on the order in which the threads end.
threading.stack_size(256 * 1024)
results = [0] * N
barrier = threading.Barrier(N)	# all 8 threads alive at once
def work(i):
    barrier.wait()
    results[i] = sum(k * i for k in range(20000))
threads = [threading.Thread(target=work, args=(i,)) for i in range(N)]
for t in threads: t.start()
for t in threads: t.join()
print("threads", results)
# One pipe only: communicate() then reads it to EOF with no poll loop.
r = subprocess.run(["/bin/sh", "-c", 'echo "child $0"; echo child-stderr >&2; exit 5', "x"],
                   stdout=subprocess.PIPE)
print("subprocess", r.stdout.decode().strip(), "status", r.returncode)
print("python: done", file=sys.stderr)
sys.exit(3)
PY
# -B: no .pyc written, so a first run cannot leave caches that change the next.
compare_run -- "$py" -B threads.py
# Not compared (counts differ between two native strace runs):
#   futex - Barrier, join and the GIL hand-over block or not depending on
#           which thread runs when; EAGAIN errors likewise.
compare_counts_stable "futex" -- "$py" -B threads.py
finish
