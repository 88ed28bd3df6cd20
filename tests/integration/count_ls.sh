# count_ls.sh - k23 --tool count of `ls -la` of a directory (symlinks, owners, ~70 entries) equals strace -f -c; output to a file in both runs.
. "$TESTS/lib.sh"
fixture_tree fixture	# not /usr/lib: a package installed between the runs changes its listing
# ls output goes to a file (not a tty) in both runs, so ls takes the same path.
compare_counts -- ls -la fixture/tree
finish
