# real_java.sh - java running a small multithreaded program behaves as natively; counts match strace -f -c.
. "$TESTS/real_lib.sh"
need_cmd java openjdk-17-jdk-headless || finish
need_cmd javac openjdk-17-jdk-headless || finish
build_java "$TESTS/progs/java/Workers.java" "$PWD/classes" || finish
# JVM options that take timing out of what the JVM reads (the program itself
# is unchanged; the JIT stays on, so JIT-compiled code runs under k23):
#   -XX:-UseDynamicNumberOfCompilerThreads  compiler threads start at once, not
#            when the JIT queue grows (each start reads the cgroup memory files);
#   -XX:-UseContainerSupport -XX:ActiveProcessorCount=2  no re-reading of cgroup
#            files and CPU affinity while running;
#   -XX:+UseSerialGC  no parallel GC worker threads started on demand;
#   -XX:-UsePerfData  no /tmp/hsperfdata_USER/PID file (named by the pid).
# One malloc arena: with one per thread, mprotect (arena growth) depends on
# which compiler and VM threads allocated first.
export MALLOC_ARENA_MAX=1
jvm=(java -XX:-UseDynamicNumberOfCompilerThreads -XX:-UseContainerSupport
	-XX:ActiveProcessorCount=2 -XX:+UseSerialGC -XX:-UsePerfData -cp "$PWD/classes" Workers)
compare_run -- "${jvm[@]}"
# Not compared (counts differ between two native strace runs):
#   futex, gettid      - HotSpot's monitors and thread-local handshakes, per
#                        contention (gettid is called when a lock is taken);
#   clock_nanosleep    - spin-then-sleep loops in the VM, per timing;
#   mmap, munmap,      - the JIT compiles what got hot, commits code cache and
#   madvise, brk         metaspace, and malloc grows and trims its heap as the
#                        compiler threads happen to allocate;
#   rt_sigprocmask     - System.exit ends the process while some VM threads may
#                        be finishing (glibc's thread exit blocks signals and
#                        madvises its stack): 5 or 6 complete that path.
varies="futex gettid clock_nanosleep mmap munmap madvise brk rt_sigprocmask"
# Under --patch=page0 (run-integration --page0) page 0 is mapped, so
# HotSpot's deliberate NULL read at start-up no longer faults: one SIGSEGV
# and its rt_sigreturn fewer - that strategy's documented cost
# (docs/patching.md), not a counting error.
[ "${TESTS_PATCHING:-on}" = page0 ] && varies="$varies rt_sigreturn"
compare_counts_stable "$varies" -- "${jvm[@]}"
finish
