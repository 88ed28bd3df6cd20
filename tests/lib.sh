# tests/lib.sh - helpers sourced by tests/integration/*.sh: native-vs-k23 runs, count and trace parsing.
#
# Every integration test runs in its own empty temporary directory (its cwd)
# with these variables exported by tests/run-integration:
#   K23        absolute path of build/k23
#   TESTS      absolute path of tests/
#   PROGS      absolute path of build/tests/progs
# A test calls check helpers below; each prints "ok - what" or "not ok - what"
# plus the evidence (a diff), and remembers failures. The test ends with
# `finish`, which exits non-zero if any check failed.
#
# Comparisons are always between two independent runs (native or strace on one
# side, k23 on the other), never of an output with itself.

set -u
# A crash must show as a status, not litter a core file. The soft limit
# only: diod (tests/remote_lib.sh) sets its own and fails if it may not.
ulimit -S -c 0

: "${K23:?K23 must be set (absolute path of build/k23)}"
: "${PROGS:?PROGS must be set (build/tests/progs)}"

_failed=0
_n=0

ok() { _n=$((_n + 1)); echo "ok - $*"; }
not_ok() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok - $*"; }

finish()
{
	if [ "$_n" -eq 0 ]; then
		echo "not ok - test made no checks"
		exit 1
	fi
	[ "$_failed" -eq 0 ] || { echo "$_failed of $_n checks failed"; exit 1; }
	exit 0
}

# skip REASON: this test cannot run on this machine (a tool missing, a
# kernel or namespace feature refused): prints "SKIP: REASON" and exits 77,
# which tests/run-integration counts as skipped, not passed.
skip()
{
	echo "SKIP: $*"
	exit 77
}

# show_file LABEL FILE: print a file indented (at most 40 lines) as evidence.
show_file()
{
	echo "  --- $1:"
	head -n 40 "$2" | sed 's/^/  | /'
	[ "$(wc -l < "$2")" -le 40 ] || echo "  | ... ($(wc -l < "$2") lines)"
}

# count_table_check FILE WHAT: ok if the count tool's table in FILE is
# whole (it ends with its total line), else the file as evidence.
count_table_check()
{
	if grep -q ' total$' "$1"; then
		ok "count table written: $2"
	else
		not_ok "count table written: $2"
		show_file "$1" "$1"
	fi
}

# man_renders WHAT PAGE: ok if `man -l PAGE` renders it (more than 20 lines)
# without a warning from man or groff, else the warnings.
man_renders()
{
	local w
	w=$(MANWIDTH=80 man --warnings -l "$2" 2>&1 > render.out)
	if [ -z "$w" ] && [ "$(wc -l < render.out)" -gt 20 ]; then
		ok "$1: renders without warnings"
	else
		not_ok "$1: renders without warnings"
		echo "$w" | head -n 20 | sed 's/^/  | /'
	fi
}

# diff_check WHAT EXPECTED ACTUAL: ok if the files are equal, else the diff.
diff_check()
{
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		echo "  --- diff (< expected, > k23):"
		diff "$2" "$3" | head -n 60 | sed 's/^/  /'
	fi
}

# describe_status N: "status N", with the signal named when N is 128+signal.
describe_status()
{
	if [ "$1" -gt 128 ] && [ "$1" -lt 160 ]; then
		echo "status $1 (killed by SIG$(kill -l "$(($1 - 128))" 2>/dev/null))"
	else
		echo "status $1"
	fi
}

# --- inputs ------------------------------------------------------------------

# fixture_tree DIR: create DIR/tree, a directory only this test touches, for
# listings that are compared between runs (listing /, /tmp, /proc or
# /usr/lib compares whatever other processes change in between: a file
# created, a package installed, a process started). Files of several sizes
# and modes, owners with and without a name (user lookups), subdirectories,
# symlinks (one dangling), a FIFO, all with one fixed time. Nothing under DIR
# may change afterwards: tree's ".." is DIR itself.
fixture_tree()
{
	local t=$1/tree i
	mkdir -p "$t/sub-a/deeper" "$t/sub-b" "$t/sub-c" || return 1
	for i in $(seq 1 60); do
		head -c $((i * 37)) /dev/zero > "$t/lib-entry-$i.so.1"
	done
	chmod 755 "$t"/lib-entry-1?.so.1
	chmod 600 "$t"/lib-entry-2?.so.1
	chmod 4755 "$t/lib-entry-30.so.1"
	chown 1:1 "$t/lib-entry-31.so.1"		# daemon on Debian: a name
	chown 4242:4242 "$t/lib-entry-32.so.1"	# no name: ls shows the number
	ln -s lib-entry-1.so.1 "$t/link-to-file"
	ln -s sub-a "$t/link-to-dir"
	ln -s no-such-target "$t/link-dangling"
	mkfifo "$t/fifo"
	echo data > "$t/sub-a/deeper/leaf"
	# Pre-order: a directory's time is set before its entries', and setting
	# an entry's times does not change its directory's.
	find "$1" -exec touch -h -d '2020-01-02 03:04:05 UTC' {} +
}

# --- running ---------------------------------------------------------------

# run_native TAG CMD...: run CMD with stdin from $STDIN (default /dev/null);
# leaves TAG.out, TAG.err, TAG.rc.
run_native()
{
	local tag=$1; shift
	# The subshell keeps bash's "Killed"/"Segmentation fault" notes out of the log.
	( "$@" < "${STDIN:-/dev/null}" > "$tag.out" 2> "$tag.err"; echo $? > "$tag.rc" ) 2> /dev/null
}

# run_k23 TAG [K23-OPTIONS...] -- CMD...: the same under `k23 run`.
run_k23()
{
	local tag=$1; shift
	( "$K23" run "$@" < "${STDIN:-/dev/null}" > "$tag.out" 2> "$tag.err"; echo $? > "$tag.rc" ) 2> /dev/null
}

# --- files a run maps must not change ---------------------------------------
#
# k23 writes into program code only where a private mapping takes the write
# (docs/patching.md). guard_begin lists every file a command maps, taken
# from a native run of it under strace (each mmap of a descriptor, the
# files it executes and their ELF interpreters), adds k23 itself and the
# sidecars of those files in the cache k23 reads (GUARD_CACHE, else
# $K23_CACHE), and checksums them all; guard_check checks them again after
# the run under k23. A file a test's own program rewrites between runs
# belongs in GUARD_SKIP (a list of paths).

# guard_begin CMD...: checksum every file CMD maps into guard.sums.
guard_begin()
{
	local cache=${GUARD_CACHE:-${K23_CACHE:-}}
	( strace -f -qq -y -e trace=mmap,execve,execveat -e signal=none -o guard.strace "$@" \
		< "${STDIN:-/dev/null}" > /dev/null 2>&1 ) 2> /dev/null
	local f list=() interp id
	while IFS= read -r f; do
		[ -f "$f" ] || continue
		case " ${GUARD_SKIP:-} " in *" $f "*) continue ;; esac
		list+=("$f")
		[ "$(head -c 4 "$f")" = $'\177ELF' ] || continue
		interp=$(readelf -lW "$f" 2> /dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
		[ -n "$interp" ] && list+=("$interp")
		id=$(readelf -n "$f" 2> /dev/null | sed -n 's/.*Build ID: *//p')
		[ -n "$cache" ] && [ -n "$id" ] && [ -f "$cache/$id.k23" ] && list+=("$cache/$id.k23")
	done < <({ sed -En 's/.*mmap\([^<]*, [0-9]+<([^>]*)>, .*/\1/p' guard.strace
		   sed -En 's/^[0-9]+ +execve(at)?\(([A-Z_]+, )?"([^"]*)".*/\3/p' guard.strace
		   echo "$K23"; readlink -f "$K23"; } | sort -u)
	printf '%s\n' "${list[@]}" | sort -u | tr '\n' '\0' | xargs -0 -r sha256sum > guard.sums
	GUARD_N=$(wc -l < guard.sums)
}

# guard_check WHAT: ok if every file guard_begin checksummed is unchanged.
guard_check()
{
	if sha256sum --quiet -c guard.sums > guard.check 2>&1; then
		ok "$1: the $GUARD_N files the run maps are unchanged"
		return 0
	fi
	not_ok "$1: a file the run maps changed"
	show_file "sha256sum -c" guard.check
	return 1
}

# compare_run [K23-OPTIONS...] -- CMD...: run CMD natively and under k23;
# check that stdout, stderr and exit status are identical. With
# GUARD_MAPPED=1, also that no file the run maps changed (guard_begin).
compare_run()
{
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	local what="${opts[*]:+${opts[*]} }$*" i GUARD_CACHE=${K23_CACHE:-}
	for ((i = 0; i + 1 < ${#opts[@]}; i++)); do
		[ "${opts[i]}" = --cache ] && GUARD_CACHE=${opts[i + 1]}
	done
	[ "${GUARD_MAPPED:-0}" = 1 ] && guard_begin "$@"
	run_native native "$@"
	run_k23 k23 "${opts[@]}" -- "$@"
	[ "${GUARD_MAPPED:-0}" = 1 ] && guard_check "$what"
	local bad=0
	cmp -s native.out k23.out || bad=1
	cmp -s native.err k23.err || bad=1
	cmp -s native.rc k23.rc || bad=1
	if [ $bad -eq 0 ]; then
		ok "same stdout, stderr, $(describe_status "$(cat native.rc)"): $what"
		return 0
	fi
	not_ok "same stdout, stderr, status: $what"
	cmp -s native.rc k23.rc ||
		echo "  native $(describe_status "$(cat native.rc)"), k23 $(describe_status "$(cat k23.rc)")"
	cmp -s native.out k23.out || { echo "  stdout differs (< native, > k23):";
		diff native.out k23.out | head -n 30 | sed 's/^/  /'; }
	cmp -s native.err k23.err || { echo "  stderr differs (< native, > k23):";
		diff native.err k23.err | head -n 30 | sed 's/^/  /'; }
	return 1
}

# --- counts ------------------------------------------------------------------
#
# Both tables are reduced to sorted lines "name calls errors".
#
# strace 6.1 `-c -U calls,errors,name` leaves the errors column blank when a
# syscall had no errors, so a row has 2 or 3 fields:
#         7           read
#        39        19 openat
# k23 always prints the errors number (0 included).

# parse_strace_counts FILE
parse_strace_counts()
{
	awk '
	/^-+ / || $NF == "syscall" || $NF == "total" { next }
	NF == 3 && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ { print $3, $1, $2; next }
	NF == 2 && $1 ~ /^[0-9]+$/ { print $2, $1, 0; next }
	NF > 0 { print "UNPARSED: " $0 }
	' "$1" | LC_ALL=C sort
}

# parse_k23_counts FILE (lines of `k23 run --stats` in FILE are left out)
parse_k23_counts()
{
	awk '
	/^-+ / || $NF == "syscall" || $NF == "total" || /^k23 stats: / { next }
	NF == 3 && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ { print $3, $1, $2; next }
	NF > 0 { print "UNPARSED: " $0 }
	' "$1" | LC_ALL=C sort
}

# drop_initial_execve: strace counts the execve it uses to start the program;
# k23 starts the program with its own loader. Take that one call (a success)
# off strace's side.
drop_initial_execve()
{
	awk '$1 == "execve" { $2 -= 1; if ($2 == 0 && $3 == 0) next } { print }'
}

# drop_nonreturning: strace -c records a call when it returns, so exit and
# exit_group, which never do, are missing from its table; k23 counts them
# (docs/differences.md). Take them off k23's side. This and the initial
# execve are the only adjustments made to the counts.
drop_nonreturning()
{
	awk '$1 != "exit" && $1 != "exit_group"'
}

# strace_counts OUT CMD...: strace -f -c CMD, reduced, initial execve dropped.
# The program's stdout goes to strace.out (a file, as under k23).
strace_counts()
{
	local out=$1; shift
	( strace -f -qq -c -U calls,errors,name -o strace.table "$@" \
		< "${STDIN:-/dev/null}" > strace.out 2> strace.err; echo $? > strace.rc ) 2> /dev/null
	parse_strace_counts strace.table | drop_initial_execve > "$out"
}

# k23_counts OUT [K23-OPTIONS...] -- CMD...: k23 run --tool count, reduced.
k23_counts()
{
	local out=$1; shift
	rm -f k23.table
	run_k23 k23 --tool count -o k23.table "$@"
	if [ -f k23.table ]; then
		parse_k23_counts k23.table | drop_nonreturning > "$out"
	else
		: > "$out"
	fi
}

# count_both LABEL [K23-OPTIONS...] -- CMD...: `strace -f -c` and `k23 run
# --tool count` of CMD, reduced into strace.counts and k23.counts; COUNT_WHAT
# names the run for messages. Fails (a "not ok" whose text includes LABEL)
# when k23 wrote no table. The one place every count comparison starts.
count_both()
{
	local label=$1; shift
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	COUNT_WHAT="${opts[*]:+${opts[*]} }$*"
	strace_counts strace.counts "$@"
	k23_counts k23.counts "${opts[@]}" -- "$@"
	if [ ! -s k23.table ]; then
		not_ok "counts like strace -f -c$label: $COUNT_WHAT (k23 wrote no table)"
		echo "  k23 $(describe_status "$(cat k23.rc)")"
		show_file "k23 stderr" k23.err
		return 1
	fi
}

# same_output_under_count: after count_both, the program printed the same
# stdout and ended the same way under strace and under k23.
same_output_under_count()
{
	if ! cmp -s strace.rc k23.rc || ! cmp -s strace.out k23.out; then
		not_ok "same stdout and status under strace and k23 --tool count: $COUNT_WHAT"
		echo "  strace $(describe_status "$(cat strace.rc)"), k23 $(describe_status "$(cat k23.rc)")"
		diff strace.out k23.out | head -n 20 | sed 's/^/  /'
		return 1
	fi
}

# counts_differ CHECK STRACE-TABLE K23-TABLE: if the two reduced tables
# differ, a failed check CHECK followed by their diff; true if they differ.
counts_differ()
{
	cmp -s "$2" "$3" && return 1
	not_ok "$1"
	echo "  --- name calls errors (< strace minus initial execve, > k23):"
	diff "$2" "$3" | sed 's/^/  /'
	return 0
}

# compare_counts [K23-OPTIONS...] -- CMD...: per-syscall calls and errors of
# `k23 run --tool count` equal those of `strace -f -c` (execve adjusted).
compare_counts()
{
	count_both "" "$@" || return 1
	counts_differ "counts like strace -f -c: $COUNT_WHAT" strace.counts k23.counts && return 1
	ok "counts like strace -f -c ($(awk '{ n += $2 } END { print n }' k23.counts) calls): $COUNT_WHAT"
	same_output_under_count
}

# --- traces ------------------------------------------------------------------
#
# Reduced to one line per process (thread): the names of its syscalls in
# order, separated by spaces. Lines are sorted, since process ids and the
# order in which processes first appear differ between runs.

# strace_names FILE: FILE from `strace -f -o FILE` ("PID  name(...) = ret";
# a call split by another process shows as "name(... <unfinished ...>" and
# later "<... name resumed>", counted once, at its start). The first line is
# the execve strace starts the program with (the documented difference).
strace_names()
{
	awk '
	NR == 1 && $2 ~ /^execve\(/ { next }
	$2 ~ /^<\.\.\./ || $2 == "+++" || $2 == "---" { next }
	{
		i = index($2, "(")
		if (i < 2) { print "UNPARSED: " $0 > "/dev/stderr"; next }
		name = substr($2, 1, i - 1)
		if (!($1 in seq)) order[++n] = $1
		seq[$1] = seq[$1] " " name
	}
	END { for (k = 1; k <= n; k++) print substr(seq[order[k]], 2) }
	' "$1" | LC_ALL=C sort
}

# k23_names FILE: FILE from `k23 run --tool trace -o FILE`
# ("[pid N] name(...) = ret").
k23_names()
{
	awk '
	$1 == "[pid" && $2 ~ /^[0-9]+\]$/ && ($3 == "---" || $3 == "+++") { next }	# signals, exits, as strace
	$1 == "[pid" && $2 ~ /^[0-9]+\]$/ {
		i = index($3, "(")
		if (i < 2) { print "UNPARSED: " $0 > "/dev/stderr"; next }
		name = substr($3, 1, i - 1)
		if (!($2 in seq)) order[++n] = $2
		seq[$2] = seq[$2] " " name
		next
	}
	NF > 0 { print "UNPARSED: " $0 > "/dev/stderr" }
	END { for (k = 1; k <= n; k++) print substr(seq[order[k]], 2) }
	' "$1" | LC_ALL=C sort
}

# compare_names [K23-OPTIONS...] -- CMD...: each process made the same
# sequence of syscalls (by name) under k23 --tool trace as under strace -f.
compare_names()
{
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	local what="${opts[*]:+${opts[*]} }$*"
	( strace -f -qq -o strace.trace "$@" < "${STDIN:-/dev/null}" > strace.out 2> strace.err ) 2> /dev/null
	rm -f k23.trace
	run_k23 k23 --tool trace -o k23.trace "${opts[@]}" -- "$@"
	[ -f k23.trace ] || : > k23.trace
	strace_names strace.trace > strace.names
	k23_names k23.trace > k23.names 2> k23.unparsed
	if [ -s k23.unparsed ]; then
		not_ok "k23 trace lines are \"[pid N] name(args) = ret\": $what"
		show_file "unparsed lines" k23.unparsed
	fi
	if cmp -s strace.names k23.names && [ -s k23.names ]; then
		ok "per-process syscall sequence like strace -f ($(wc -l < k23.names) processes): $what"
		return 0
	fi
	not_ok "per-process syscall sequence like strace -f: $what"
	echo "  k23 $(describe_status "$(cat k23.rc)")"
	[ -s k23.names ] || show_file "k23 stderr" k23.err
	# One name per line makes the diff readable.
	tr ' ' '\n' < strace.names > strace.names1
	tr ' ' '\n' < k23.names > k23.names1
	echo "  --- (< strace, > k23; processes separated by sort order):"
	diff strace.names1 k23.names1 | head -n 60 | sed 's/^/  /'
	return 1
}

# --- bad input ---------------------------------------------------------------

# expect_error_line WANT-STATUS WHAT REGEX K23-ARGS...: k23 exits WANT-STATUS
# (a list like "2" or "2|127"), writes nothing to stdout and exactly one line
# to stderr, matching REGEX (extended), and does not die of a signal.
expect_error_line()
{
	local want=$1 what=$2 re=$3; shift 3
	( "$K23" "$@" < /dev/null > err.out 2> err.err; echo $? > err.rc ) 2> /dev/null
	local rc
	rc=$(cat err.rc)
	local lines
	lines=$(wc -l < err.err)
	[ -s err.err ] && [ "$(tail -c 1 err.err | od -An -c | tr -d ' ')" != '\n' ] &&
		lines=$((lines + 1))	# a last line without newline still counts
	local bad=""
	case "|$want|" in *"|$rc|"*) ;; *) bad="$bad status $rc, want $want;" ;; esac
	[ "$lines" -eq 1 ] || bad="$bad $lines stderr lines, want 1;"
	head -n 1 err.err | grep -Eq -- "$re" || bad="$bad stderr does not match /$re/;"
	[ -s err.out ] && bad="$bad output on stdout;"
	if [ -z "$bad" ]; then
		ok "$what: status $rc, \"$(head -n 1 err.err)\""
		return 0
	fi
	not_ok "$what:$bad"
	echo "  command: k23 $*"
	echo "  k23 $(describe_status "$rc")"
	show_file "stderr" err.err
	[ -s err.out ] && show_file "stdout" err.out
	return 1
}

# expect_k23_error WANT-STATUS WHAT K23-ARGS...: the same, the line starting "k23: ".
expect_k23_error()
{
	local want=$1 what=$2; shift 2
	expect_error_line "$want" "$what" '^k23: ' "$@"
}

# expect_k23_usage WHAT K23-ARGS...: a bad command line: exit 2, nothing on
# stdout, a first stderr line "k23: <what is wrong>", then the usage text.
expect_k23_usage()
{
	local what=$1; shift
	( "$K23" "$@" < /dev/null > err.out 2> err.err; echo $? > err.rc ) 2> /dev/null
	local rc bad=""
	rc=$(cat err.rc)
	[ "$rc" = 2 ] || bad="$bad status $rc, want 2;"
	head -n 1 err.err | grep -q '^k23: ' || bad="$bad stderr does not start \"k23: \";"
	grep -q '^usage: k23 ' err.err || bad="$bad no usage on stderr;"
	[ -s err.out ] && bad="$bad output on stdout;"
	if [ -z "$bad" ]; then
		ok "$what: status 2, \"$(head -n 1 err.err)\" and usage"
		return 0
	fi
	not_ok "$what:$bad"
	echo "  command: k23 $*"
	show_file "stderr" err.err
	return 1
}

# --- ELF helpers -------------------------------------------------------------

# elf_type FILE: "EXEC" or "DYN" (e_type), "?" otherwise.
elf_type()
{
	case "$(od -An -tu2 -j16 -N2 "$1" | tr -d ' ')" in
	2) echo EXEC ;; 3) echo DYN ;; *) echo "?" ;;
	esac
}

# elf_has_interp FILE: true if FILE has a PT_INTERP program header.
elf_has_interp()
{
	local phoff phnum i type
	phoff=$(od -An -tu8 -j32 -N8 "$1" | tr -d ' ')
	phnum=$(od -An -tu2 -j56 -N2 "$1" | tr -d ' ')
	for ((i = 0; i < phnum; i++)); do
		type=$(od -An -tu4 -j$((phoff + i * 56)) -N4 "$1" | tr -d ' ')
		[ "$type" = 3 ] && return 0
	done
	return 1
}
