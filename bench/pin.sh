# pin.sh - sourced by the bench scripts (lib.sh, run-ab): puts the calling
# shell, and so every process it starts, on one CPU.
# BENCH_CPU=N names the CPU; by default it is the last one this shell may
# use; BENCH_CPU=none leaves placement to the scheduler. Why: on the
# reference VM a system call cost up to ~10% more on one vCPU than on the
# other, so unpinned processes landed on either and every row mixed two
# populations. The ratio of getppid's patched row to native, over
# alternating pairs of processes, had an interquartile range of
# 1.02-1.27x unpinned (40 pairs) and 1.13-1.15x pinned (20 pairs;
# docs/benchmarks.md). Children inherit the affinity: a whole row, the
# shell loop's forks included, runs on that one CPU.
BENCH_CPU=${BENCH_CPU:-auto}
pinned=
if [ "$BENCH_CPU" != none ] && command -v taskset >/dev/null 2>&1; then
	[ "$BENCH_CPU" = auto ] &&
		BENCH_CPU=$(taskset -pc $$ 2>/dev/null | sed 's/.*: *//' | tr ',' '\n' | tail -n 1 | sed 's/.*-//')
	if taskset -pc "$BENCH_CPU" $$ >/dev/null 2>&1; then
		pinned=$BENCH_CPU
	else
		echo "bench: cannot run on CPU $BENCH_CPU; not pinned" >&2
	fi
fi
export BENCH_CPU
