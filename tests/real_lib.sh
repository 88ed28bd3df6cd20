# tests/real_lib.sh - helpers for the real-program tests (tests/integration/real_*.sh), on top of tests/lib.sh.
#
# Real runtimes (Go, the JVM, node, CPython with threads) make some system
# calls a number of times that depends on timing: futex under contention,
# the sleeps of a scheduler, memory the runtime maps or returns as it goes.
# Two native `strace -f -c` runs already disagree on those. Each test names
# them, with the reason, and compares every other syscall exactly:
#
#   compare_counts_stable "futex nanosleep" -- prog args
#
# Which calls vary was found by running strace -f -c (and k23 --tool count)
# ten or more times on this machine; anything not named must match in calls
# and errors. A mismatch is shown and both runs are repeated once; the test
# fails when the second pair differs too. (CPython with threads once made 54
# mmap calls under k23 against strace's 53 in a full CI run; 250 native and
# 300 k23 runs afterwards all made 53, so a one-off difference in a runtime's
# own allocation must not fail the test, while any systematic one still does.)

. "$TESTS/lib.sh"

# Where the tests build their Go and Java programs (build/tests/real), with
# the Go build cache, so a second run does not rebuild from scratch.
REAL_BUILD=$(cd "$PROGS/.." 2>/dev/null && pwd)/real

# drop_names "A B C": filter a reduced table ("name calls errors"), leaving
# out the named syscalls.
drop_names()
{
	awk -v names="$1" '
	BEGIN { n = split(names, a, " "); for (i = 1; i <= n; i++) skip[a[i]] = 1 }
	!($1 in skip)'
}

# compare_counts_stable "EXCLUDED" [K23-OPTIONS...] -- CMD...: per-syscall
# calls and errors of `k23 run --tool count` equal those of `strace -f -c`
# for every syscall not named in EXCLUDED. Also checks that the program
# printed the same stdout and exited the same way under both.
compare_counts_stable()
{
	local excluded=$1 attempt
	shift
	for attempt in 1 2; do
		count_both "" "$@" || return 1
		stable_tables "$excluded"
		cmp -s strace.stable k23.stable && break
		if [ $attempt -eq 1 ]; then
			echo "  # < strace, > k23: $(diff strace.stable k23.stable | tr '\n' ' ')"
			echo "  (counts differed; both runs repeated once)"
		fi
	done
	local ok=1
	if counts_differ "counts like strace -f -c, except $excluded: $COUNT_WHAT" strace.stable k23.stable; then
		ok=0
	else
		ok "counts like strace -f -c ($(wc -l < k23.stable) syscalls, $(awk '{ n += $2 } END { print n }' k23.stable) calls; not compared: $excluded): $COUNT_WHAT"
	fi
	if ! same_output_under_count; then
		show_file "k23 stderr" k23.err
		return 1
	fi
	[ $ok -eq 1 ]
}

# stable_tables EXCLUDED: after count_both, strace.stable and k23.stable:
# the two tables without the EXCLUDED names.
stable_tables()
{
	# A thread inside a system call when another ends the process makes
	# strace write "PID ???( <detached ...>" into the table file: a call that
	# never returned, which neither strace -c nor k23 counts.
	grep -Ev '^UNPARSED: *[0-9]+ +[?]{3}[(] <detached [.]{3}>$' strace.counts > strace.counts1
	mv strace.counts1 strace.counts
	drop_names "$1" < strace.counts > strace.stable
	drop_names "$1" < k23.counts > k23.stable
}

# need_cmd CMD PACKAGE: ok if CMD can be run, else a failed check naming the
# Debian package (the Makefile's DEPS install it). Returns non-zero when missing.
need_cmd()
{
	if command -v "$1" > /dev/null 2>&1; then
		return 0
	fi
	not_ok "$1 is installed (Debian package $2)"
	return 1
}

# build_go SRC OUT: CGO_ENABLED=0 go build of one file into a static binary,
# offline, with the build cache under build/tests/real. Checks that OUT is a
# static executable.
build_go()
{
	local src=$1 out=$2
	mkdir -p "$REAL_BUILD/go-cache" "$REAL_BUILD/gopath"
	if ! ( cd "$(dirname "$src")" && CGO_ENABLED=0 GOCACHE="$REAL_BUILD/go-cache" \
		GOPATH="$REAL_BUILD/gopath" GOPROXY=off GOFLAGS= GO111MODULE=off \
		go build -o "$out" "$(basename "$src")" ) > go-build.log 2>&1; then
		not_ok "go build $src"
		show_file "go build" go-build.log
		return 1
	fi
	if elf_has_interp "$out"; then
		not_ok "$out is statically linked (it has an interpreter)"
		return 1
	fi
	ok "built $(basename "$src") with CGO_ENABLED=0: static $(elf_type "$out")"
}

# build_java SRC OUTDIR: javac SRC into OUTDIR.
build_java()
{
	local src=$1 out=$2
	mkdir -p "$out"
	if ! javac -d "$out" "$src" > javac.log 2>&1; then
		not_ok "javac $src"
		show_file "javac" javac.log
		return 1
	fi
	ok "compiled $(basename "$src")"
}
