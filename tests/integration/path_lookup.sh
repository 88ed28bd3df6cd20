# path_lookup.sh - k23 run finds PROG in PATH the way execvp does (env(1) uses execvp natively).
. "$TESTS/lib.sh"
mkdir a b c
printf '#!/bin/sh\necho from-a\n' > a/prog; chmod 644 a/prog	# not executable: skipped
printf '#!/bin/sh\necho from-b\n' > b/prog; chmod 755 b/prog
printf '#!/bin/sh\necho from-c\n' > c/prog; chmod 755 c/prog
mkdir a/dirprog; printf '#!/bin/sh\necho dirprog-b\n' > b/dirprog; chmod 755 b/dirprog
p="$PWD/a:$PWD/b:$PWD/c"
for cmd in prog dirprog true; do
	run_native native env PATH="$p" "$cmd"
	rc=0; PATH="$p" "$K23" run -- "$cmd" > k23.out 2> k23.err || rc=$?
	echo "$rc" > k23.rc
	diff_check "PATH lookup of $cmd: stdout" native.out k23.out
	diff_check "PATH lookup of $cmd: status" native.rc k23.rc
done
# Found only without execute permission: execvp fails with EACCES, 126.
run_native native env PATH="$PWD/a" prog
rc=0; PATH="$PWD/a" "$K23" run -- prog > k23.out 2> k23.err || rc=$?
echo "$rc" > k23.rc
diff_check "PATH lookup finding only a non-executable file: status" native.rc k23.rc
# An empty PATH element means the current directory, as in execvp.
cp b/prog ./cwdprog
run_native native env PATH="/nonexistent-k23::/usr/bin" cwdprog
rc=0; PATH="/nonexistent-k23::/usr/bin" "$K23" run -- cwdprog > k23.out 2> k23.err || rc=$?
diff_check "empty PATH element is the cwd" native.out k23.out
# A name with a slash is not looked up.
rc=0; PATH="$p" "$K23" run -- ./prog > k23.out 2> k23.err || rc=$?
if [ "$rc" = 127 ]; then ok "./prog (not in cwd) is not looked up in PATH: 127"
else not_ok "./prog (not in cwd) is not looked up in PATH: status $rc, want 127"; show_file "k23 stderr" k23.err; fi
finish
