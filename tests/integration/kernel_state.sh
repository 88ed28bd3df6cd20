# kernel_state.sh - kernel state k23 sets for itself is not the program's: its seccomp mode, SUD, membarrier registrations; calls of other ABIs are made as what they are.
. "$TESTS/lib.sh"

# membarrier: expedited commands fail with EPERM until the program registers
# (k23 registers for SYNC_CORE itself when it patches a trapped site), and
# GET_REGISTRATIONS shows the program's registrations.
compare_run -- "$PROGS/membarrier"

# seccomp: PR_GET_SECCOMP 0 before the program's filter and 2 after; strict
# mode (prctl and seccomp()) allows read, write, exit and kills with SIGKILL
# otherwise, PR_GET_SECCOMP included; strict after a filter is EINVAL;
# filters that kill the thread or process kill it with SIGSYS; a fork child
# inherits the filter. In every catch-all mode.
for mode in seccomp sud both; do
	compare_run --catch-all=$mode -- "$PROGS/seccomp_modes"
done

# The program's own SUD in inclusive mode (Linux 6.16).
run_native native "$PROGS/sud_inclusive"
if [ "$(cat native.rc)" = 77 ]; then
	echo "SKIP $(cat native.out)"
else
	for mode in seccomp sud; do
		compare_run --catch-all=$mode -- "$PROGS/sud_inclusive"
	done
fi

# i386 calls (int $0x80) from a 64-bit program are made as i386 calls (20
# is getpid there, writev on x86-64), x32 numbers as x32 numbers.
run_native native "$PROGS/int80"
if [ "$(cat native.rc)" = 77 ]; then
	echo "SKIP $(cat native.out)"
else
	for mode in seccomp sud both; do
		compare_run --catch-all=$mode -- "$PROGS/int80"
	done
fi
finish
