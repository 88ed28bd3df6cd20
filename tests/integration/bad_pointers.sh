# bad_pointers.sh - signal calls with unmapped pointers fail with EFAULT under k23 as natively (k23 reads them through the kernel).
. "$TESTS/lib.sh"
for mode in sud seccomp both; do
	compare_run --catch-all=$mode -- "$PROGS/bad_pointers"
done
compare_counts -- "$PROGS/bad_pointers"
finish
