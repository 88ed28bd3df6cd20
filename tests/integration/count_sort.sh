# count_sort.sh - k23 --tool count of sort over 100k random lines (fixed seed) equals strace -f -c.
. "$TESTS/lib.sh"
# GNU sort starts helper threads only from 2*128K lines up, so 100k lines sort
# single-threaded on any machine and the counts are deterministic (checked:
# repeated strace runs give identical tables).
awk 'BEGIN { srand(23); for (i = 0; i < 100000; i++)
	printf "%d %s\n", int(rand() * 1e9), substr("abcdefghijklmnopqrstuvwxyz", int(rand() * 26) + 1, 5) }' > input.txt
compare_counts -- sort input.txt
# And the sorted output itself is right (sort under k23 against sort natively).
compare_run -- sort input.txt
finish
