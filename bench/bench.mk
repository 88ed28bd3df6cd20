# bench.mk - benchmark programs and `make bench`; included by the top Makefile.
#
# Benchmarks print ratios against native measured in the same run; nothing
# here asserts on timings. Variables are prefixed BENCH_ so the top Makefile's
# own are left alone.

BENCH_BINS := $(B)/bench/getppid

.PHONY: bench
bench: all $(BENCH_BINS)
	B=$(B) sh bench/run-getppid
	B=$(B) sh bench/run-prepare

# Hosted, -O2 (already in HOST_CFLAGS, repeated because the figures depend on
# it). -no-pie because HOST_CFLAGS compiles -fno-pie.
$(B)/bench/getppid: bench/getppid.c include/k23/compat.h common/arch/x86_64/syscall.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -O2 -no-pie -o $@ $<
