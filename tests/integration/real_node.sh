# real_node.sh - node -e with a timer and an asynchronous file read behaves as natively; counts match strace -f -c.
. "$TESTS/real_lib.sh"
need_cmd node nodejs || finish
printf 'hello from a file\n' > data.txt
# Settings that take chance out of what node does (same natively and under k23):
#   MALLOC_ARENA_MAX=1     one malloc arena: with one per thread, mmap and
#                          mprotect depend on which of libuv's and V8's worker
#                          threads happened to allocate first;
#   UV_THREADPOOL_SIZE=1   one libuv pool thread runs open, fstat, read and close
#                          of readFile in order: fewer wake-ups to race;
#   --no-short-builtin-calls  V8 otherwise tries to place its code range within
#                          reach of node's binary, and remaps the builtins
#                          (reads /proc/self/maps, opens /usr/bin/node) when it
#                          could not: which happens depends on the address-space
#                          layout (once in 12 runs it did not remap), and k23's
#                          image at 0x23000000 changes that layout.
export MALLOC_ARENA_MAX=1 UV_THREADPOOL_SIZE=1
# A 20 ms timer, then fs.readFile (thread pool: open, fstat, read, close).
js='setTimeout(() => require("fs").readFile(process.argv[1], "utf8", (err, data) => { if (err) { console.error("error", err.code); process.exit(1); } console.log("read", JSON.stringify(data)); console.error("node: done"); process.exitCode = 3; }), 20)'
compare_run -- node --no-short-builtin-calls -e "$js" "$PWD/data.txt"
# Not compared (counts differ between two native strace runs, or between
# native and k23 for a documented reason):
#   futex       - libuv's thread pool and V8's worker threads wake each other
#                 depending on timing;
#   epoll_pwait - the main loop wakes once per batch of completed thread-pool
#                 requests (open, fstat, read, close of readFile) and timers:
#                 how many complete together depends on timing (10-14);
#   sched_yield - V8 worker threads spinning on a lock, now and then;
#   brk         - with one arena the threads' allocations share the brk heap,
#                 which grows and trims as they happen to interleave (28-29);
#   munmap      - V8 returns pooled pages from its background threads;
#   set_robust_list, rseq, rt_sigprocmask - glibc's start of a new thread:
#                 node does not wait for every thread it starts to run, and
#                 under load the process may exit before one of them ran at
#                 all (7 or 8 threads started up, same number of clone3);
#   read        - node reads /proc/self/maps 1 KiB at a time (glibc's
#                 pthread_getattr_np of the main thread, and V8), and under
#                 k23 the maps list k23's image too (docs/differences.md):
#                 more reads.
# fcntl stays compared: at start node sets FD_CLOEXEC on descriptors 0-16 and
# counts EBADF for those not open, so it sees any descriptor k23 leaves open.
compare_counts_stable "futex epoll_pwait sched_yield brk munmap set_robust_list rseq rt_sigprocmask read" -- node --no-short-builtin-calls -e "$js" "$PWD/data.txt"
finish
