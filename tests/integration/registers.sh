# registers.sh - a trapped or patched syscall leaves registers as the kernel does: GPRs, rcx/r11, flags, red zone, x87/MXCSR, xmm/ymm/zmm/k, in every catch-all mode and with each tool.
. "$TESTS/lib.sh"
. "$TESTS/lib_counts_filter.sh"
p="$PROGS/registers"

# registers.c prints one line per register group per syscall ("yes"/"NO",
# with both values on a mismatch); the AVX and AVX-512 parts print
# "skipped" on CPUs without them, natively as under k23.
for mode in sud seccomp both; do
	for what in gpr x87 sse avx avx512; do
		compare_run --catch-all=$mode -- "$p" "$what"
	done
	# The tools' code runs between the trap and the return as well.
	compare_run --catch-all=$mode --tool trace -o trace.out -- "$p" all
	compare_run --catch-all=$mode --tool count -o count.out -- "$p" all
done

# The syscalls were really trapped (not passed natively): the asm routines'
# getppid, sched_yield and getuid calls are counted as strace counts them.
for mode in sud seccomp both; do
	compare_counts_only "getppid sched_yield getuid rt_sigreturn" --catch-all=$mode -- "$p" all
done
finish
