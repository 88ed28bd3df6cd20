# real_go.sh - a statically linked Go program starting goroutines behaves as natively; counts match strace -f -c.
. "$TESTS/real_lib.sh"
need_cmd go golang-go || finish
build_go "$TESTS/progs/go/goroutines.go" "$PWD/goroutines" || finish
printf 'data the goroutines read\n' > data.txt
# The program prints, per goroutine, a sum, the CRC of data.txt and whether
# its thread's alternate signal stack is enabled (the Go runtime needs it:
# without it k23's SIGSYS frames land on tiny goroutine stacks).
compare_run -- ./goroutines data.txt
# Not compared (counts differ between two native strace runs):
#   clone                 - the runtime starts a new thread (M) when a goroutine
#                           is ready and all are busy: 3 or 4 in 10 runs;
#   futex, nanosleep,     - the scheduler parks and wakes Ms, sysmon sleeps
#   sched_yield             (20 us to 10 ms) and spinning Ms yield, per timing;
#   getpid, tgkill,       - asynchronous preemption: sysmon signals (SIGURG) a
#   rt_sigreturn            goroutine that ran over 10 ms; depends on timing;
#   mmap                  - heap and stack growth as goroutines happen to
#                           overlap (21 or 22);
#   epoll_pwait           - sysmon polls the network poller when nobody has for
#                           10 ms: 0 or 1 depending on how fast the program runs
#                           after its first open created the poller;
#   gettid, sigaltstack,  - made by each new thread as it starts (minit) and
#   rt_sigprocmask          around clone: so they follow the thread count, and
#                           a thread started just before exit_group may be cut
#                           off half-way through them (seen under load).
compare_counts_stable "clone futex nanosleep sched_yield getpid tgkill rt_sigreturn mmap epoll_pwait gettid sigaltstack rt_sigprocmask" -- ./goroutines data.txt
finish
