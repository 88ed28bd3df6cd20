# trace_like_strace.sh - k23 run -e trace=%file -y -s 64 writes what strace -f -e trace=%file -y -s 64 writes, for ten real command lines; -c -S counts as strace -c -S.
. "$TESTS/lib.sh"
. "$TESTS/lib_strace.sh"
command -v git > /dev/null || { echo "SKIP: git not installed"; exit 0; }

# Only what this test creates (fx/, words.txt, repo/) is listed or read where it could change.
mkdir fx && fixture_tree "$PWD/fx"
printf 'alpha\nbeta\ngamma\n' > words.txt
# A clean work tree whose files are older than the index: no run of git
# status finds a reason to write the index again (a modified or "racily
# clean" file would make the first run after it do so).
mkdir repo && ( cd repo && git init -q && git config user.email t@k23 && git config user.name t &&
	echo hello > a.txt && git add a.txt && git commit -qm one && echo new > b.txt &&
	touch -d '2020-01-02 03:04:05' a.txt b.txt && git status --porcelain > /dev/null &&
	sleep 1 && git status --porcelain > /dev/null ) || { not_ok "cannot create the test's git repository"; finish; }
export LC_ALL=C GIT_CONFIG_NOSYSTEM=1 HOME=$PWD

opts=(-e trace=%file -y -s 64)
compare_strace_lines "${opts[@]}" -- ls -la fx/tree
compare_strace_lines "${opts[@]}" -- cat words.txt
compare_strace_lines "${opts[@]}" -- /usr/bin/python3 -c 'import os; print(sorted(os.listdir("fx/tree"))[:3]); print(open("words.txt").read())'
compare_strace_lines "${opts[@]}" -- git -C repo status --porcelain
compare_strace_lines "${opts[@]}" -- sh -c 'cat words.txt | wc -l'
compare_strace_lines "${opts[@]}" -- sh -c 'ls fx/tree | sort -r | head -n 3'
compare_strace_lines "${opts[@]}" -- sh -c 'grep -c a words.txt > out.txt; cat out.txt'
compare_strace_lines "${opts[@]}" -- sh -c 'cp words.txt copy.txt && rm copy.txt'
compare_strace_lines "${opts[@]}" -- stat -c '%n %s' words.txt fx/tree/sub-a
compare_strace_lines "${opts[@]}" -- sh -c 'for f in fx/tree/sub-a/deeper/leaf words.txt; do head -n 1 "$f"; done'

# Outcomes (-e status=, -z, -Z), short strings, regular expressions, negation.
compare_strace_lines -e trace=%file -e status=failed -y -- ls -la fx/tree
compare_strace_lines -Z -e trace=%file,%desc -- sh -c 'cat words.txt nothing.txt | wc -l'
compare_strace_lines -z -e trace=%desc -s 8 -y -- cat words.txt
compare_strace_lines -e 'trace=/^(open|close)' -e 'status=!successful' -- cat words.txt no-such.txt
# (not what differs between any two runs: pids, random bytes)
compare_strace_lines -e 'trace=!%memory,%signal,%process,%desc,%creds,%pure,set_tid_address,getrandom' -- ls fx/tree

# The same command lines counted, as strace -c -S calls counts them.
compare_strace_counts -S calls -- ls -la fx/tree
compare_strace_counts -S calls -- git -C repo status --porcelain
# (a pipeline's shell takes SIGCHLD once or twice, as the children happen to end)
compare_strace_counts -S calls -e 'trace=!rt_sigreturn' -- sh -c 'cat words.txt | wc -l'
compare_strace_counts -S name -e trace=%file -- sh -c 'ls fx/tree | sort -r | head -n 3'
compare_strace_counts -S calls -e trace=%file,%desc -- /usr/bin/python3 -c 'print(open("words.txt").read())'
finish
