# output_same.sh - stdout, stderr and exit status under k23 equal a native run, for several programs incl. failing ones.
. "$TESTS/lib.sh"
fixture_tree fixture
printf 'b\na\nc\n' > in.txt
compare_run -- /bin/echo hello world
compare_run -- ls -la fixture/tree
compare_run -- ls /nonexistent-k23
compare_run -- cat in.txt /nonexistent-k23
compare_run -- sort -r in.txt
compare_run -- bash -c 'echo out; echo err >&2; exit 7'
compare_run -- bash -c 'for i in 1 2 3; do echo $i | cat; done; ls /nonexistent-k23 2>&1 | wc -l'
compare_run -- sh -c 'exec 3>f.txt; echo via-fd3 >&3; exec 3>&-; cat f.txt'
compare_run -- "$PROGS/open_missing"
# stdin reaches the program.
STDIN=in.txt compare_run -- sort
STDIN=in.txt compare_run -- wc -l
finish
