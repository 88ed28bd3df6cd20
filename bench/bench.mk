# bench.mk - benchmark programs and `make bench`; included by the top Makefile.
#
# Benchmarks print ratios against native measured in the same run; nothing
# here asserts on timings. Variables are prefixed BENCH_ so the top Makefile's
# own are left alone.
#
#   make bench        one table (getppid, dd, start-up; bench/run-compare) and
#                     docs/img/bench.png, then the k23 prepare timings and the
#                     policy costs (bench/run-policy) and a path map's (bench/run-virtual); ~9 min
#   make bench-policy the policy costs alone; ~3 min
#   make bench-virtual-synth  reading a synthesized file against tmpfs; ~1 min
#   make bench-strace strace's options (-e inject=, -e trace=%file) under k23
#                     and under strace; ~1 min
#   make bench-virtual what a path map costs openat (bench/run-virtual); ~2 min
#   make bench-remote the remote-call proxy against a plain TCP copy, diodcat,
#                     native and the kernel's 9p client (bench/run-remote); ~1 min
#   make bench-remote-local what a remote: section costs calls that touch no remote tree; ~1 min
#   make bench-quick  the same with short runs (~1 min), chart in $(B)/bench/;
#                     the figures are noisier, for checking that it all works

BENCH_BINS := $(B)/bench/getppid $(B)/bench/openat $(B)/bench/readfile $(B)/bench/cputime
# The short runs of bench-quick (each script documents its variables).
BENCH_QUICK := N=20000 R=5 ROUNDS=3 TRAP_N=10000 STRACE_N=500 \
               DD_COUNT=200000 DD_TRAP_COUNT=50000 DD_RUNS=3 \
               STARTUP_RUNS=60 STARTUP_ROUNDS=3

.PHONY: bench-remote
bench-remote: all $(B)/bench/remote
	B=$(B) sh bench/run-remote

# Drives k23-remote through its channel (the client side and the launcher's
# k23_remote_start), like tests/progs/remote_chan.
$(B)/bench/remote: bench/remote.c common/remote/chan.c common/remote/start.c common/remote/chan.h common/remote/chan_request.h bench/timing.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -no-pie -o $@ $(filter %.c,$^)

.PHONY: bench bench-quick bench-deps bench-policy bench-virtual-synth bench-strace bench-virtual bench-remote-local
bench: all $(BENCH_BINS) $(B)/bench/remote bench-deps
	B=$(B) sh bench/run-compare
	B=$(B) sh bench/run-prepare
	B=$(B) sh bench/run-policy
	B=$(B) sh bench/run-strace
	B=$(B) sh bench/run-virtual
	B=$(B) sh bench/run-remote
	B=$(B) sh bench/run-remote-local

bench-virtual: all $(BENCH_BINS)
	B=$(B) sh bench/run-virtual

bench-remote-local: all $(BENCH_BINS)
	B=$(B) sh bench/run-remote-local

bench-policy: all $(BENCH_BINS)
	B=$(B) sh bench/run-policy

bench-virtual-synth: all $(B)/bench/readfile
	B=$(B) sh bench/run-virtual-synth

# strace's options under k23 against strace (-e inject=, -e trace=%file); ~1 min
bench-strace: all $(BENCH_BINS)
	B=$(B) sh bench/run-strace

bench-quick: all $(BENCH_BINS) bench-deps
	B=$(B) BENCH_PNG=$(B)/bench/bench-quick.png $(BENCH_QUICK) sh bench/run-compare
	B=$(B) R=3 sh bench/run-prepare
	B=$(B) N=20000 R=3 ROUNDS=2 OPEN_N=10240 sh bench/run-policy
	B=$(B) N=20000 R=3 ROUNDS=2 OPEN_N=10240 sh bench/run-virtual

# gnuplot draws the chart; without it (no root, no network) the tables still print.
bench-deps:
	@scripts/install-deps gnuplot-nox || echo "bench: gnuplot-nox not installed; no chart" >&2

# Hosted, -O2 (already in HOST_CFLAGS, repeated because the figures depend on
# it). -no-pie because HOST_CFLAGS compiles -fno-pie.
# getppid builds k23's own filter (seccomp_filter.c) for its backstop modes.
$(B)/bench/getppid: bench/getppid.c bench/timing.h include/k23/compat.h common/arch/x86_64/syscall.h \
		    online/catchall/seccomp_filter.c online/catchall/seccomp_filter.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -O2 -no-pie -o $@ $< online/catchall/seccomp_filter.c

$(B)/bench/openat: bench/openat.c bench/timing.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -O2 -no-pie -o $@ $<

$(B)/bench/readfile: bench/readfile.c bench/timing.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -O2 -no-pie -o $@ $<

$(B)/bench/cputime: bench/cputime.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -O2 -no-pie -o $@ $<
