# trace_basic.sh - --tool trace prints strace's line for a failing openat and "= ?" for exit_group.
. "$TESTS/lib.sh"
p="$PROGS/open_missing"
strace -f -qq -o strace.trace "$p" > strace.out
run_k23 k23 --tool trace -o k23.trace -- "$p"
[ -f k23.trace ] || : > k23.trace
diff_check "program output unchanged under --tool trace" strace.out k23.out

# strace -f -o writes "PID  call"; k23 writes "[pid PID] call". Both pad a short
# call with spaces so that " = " falls at column 40 counting the prefix, so the
# padding is collapsed to one space before comparing.
sed -E 's/^[0-9]+ +//; s/^(.*\)) += /\1 = /' strace.trace > strace.calls
sed -E 's/^\[pid +[0-9]+\] //; s/^(.*\)) += /\1 = /' k23.trace > k23.calls
for pat in '^openat\(AT_FDCWD, "/nonexistent-k23/' '^exit_group\('; do
	grep -E "$pat" strace.calls > want.line
	grep -E "$pat" k23.calls > got.line
	diff_check "line like strace: $(cat want.line)" want.line got.line
done
# Every k23 line is "[pid N] ...", also for a single process (strace omits it there).
pid_ok=$(awk '$1 != "[pid" || $2 !~ /^[0-9]+\]$/ { bad++ } END { print bad + 0 }' k23.trace)
if [ -s k23.trace ] && [ "$pid_ok" = 0 ]; then ok "every trace line starts \"[pid N] \""
else not_ok "every trace line starts \"[pid N] \" ($pid_ok do not)"; show_file "k23 trace" k23.trace; fi
# The same calls in the same order as strace.
compare_names -- "$p"
# Without -o the trace goes to stderr, after nothing of the program's (it writes only stdout).
run_k23 k23 --tool trace -- "$p"
grep -E '^\[pid +[0-9]+\] openat\(AT_FDCWD, "/nonexistent-k23/' k23.err |
	sed -E 's/^\[pid +[0-9]+\] //' > got.line
grep -E '^openat\(AT_FDCWD, "/nonexistent-k23/' strace.calls > want.line
diff_check "trace on stderr without -o" want.line got.line
finish
