# threads.sh - pthreads, raw clone and clone3 on their own stacks, vfork+execve and fork: each child runs as natively and its syscalls are seen, in every catch-all mode.
. "$TESTS/lib.sh"
. "$TESTS/lib_counts_filter.sh"
p="$PROGS/threads"

# The program's own observations, one kind of child at a time so that one
# failure does not hide the others: pthread x8, a raw clone thread and a raw
# clone3 thread (child registers at their first instruction, vector registers
# included, as the parent's), vfork + execve, fork.
for mode in sud seccomp both; do
	for what in pthread clone clone3 vfork fork; do
		compare_run --catch-all=$mode -- "$p" "$what"
	done
done

# Each kind of child makes one syscall nobody else makes (see threads.c):
# k23 must count it as strace does. futex is left out: how many futex calls
# pthread_join and the raw waits make depends on which thread gets there first.
for mode in sud seccomp both; do
	compare_counts_except futex --catch-all=$mode -- "$p" all
done

# In the trace, each of those calls comes from its own thread/process: the
# eight getppid from eight different thread ids, none of them the main one.
# The raw clone/clone3 children make the first getuid/getgid calls (the main
# thread checks the value afterwards).
for mode in sud seccomp both; do
	rm -f k23.trace
	run_k23 k23 --tool trace -o k23.trace --catch-all=$mode -- "$p" all
	[ -f k23.trace ] || : > k23.trace
	awk '
	$1 == "[pid" { pid = $2; sub(/\]$/, "", pid); name = $3; sub(/\(.*/, "", name)
		if (main == "") main = pid
		if (name == "getppid" && pid != main) ppid[pid] = 1
		if (name ~ /^get(uid|gid|euid|egid|pgrp)$/ && !(name in who)) who[name] = pid }
	END {
		n = 0; for (t in ppid) n++
		printf "getppid from %d threads other than the main one\n", n
		split("getuid getgid geteuid getegid getpgrp", a, " ")
		for (i = 1; i <= 5; i++)
			printf "%s first made by %s\n", a[i], \
				(a[i] in who) ? (who[a[i]] == main ? "the main thread" : "a child") : "nobody"
	}' k23.trace > got.who
	cat > want.who <<-EOF
	getppid from 8 threads other than the main one
	getuid first made by a child
	getgid first made by a child
	geteuid first made by a child
	getegid first made by a child
	getpgrp first made by a child
	EOF
	diff_check "--catch-all=$mode --tool trace: each child's own syscall traced under the child's pid" \
		want.who got.who
done
finish
