# lib.sh - helpers the bench/run-* scripts share; sourced, not run.
#
# Sets K23 (the k23 binary), tmp (a scratch directory removed at exit) and
# limit (a `timeout` prefix so a broken wrapper cannot hang a table). The
# caller sets B first and runs from the top of the tree.
#
# Rows are named by a key that means the same in every workload:
#   native, sud-allow, seccomp-allow, both-allow,  no k23 (all but native: the
#   hybrid-allow, backstop-allow                   catch-all armed in-process,
#                       calls allowed: the tax; backstop-allow: the default's
#                       filter alone; getppid only: nocache-allow,
#                       padded-cached, padded-nocache, see bench/getppid.c)
#   patch-hybrid, patch-sud, patch-seccomp,        k23, patched sites, --catch-all=X
#   patch-both
#   page0                                          k23 --patch=page0, default catch-all
#   trap-hybrid, trap-sud, trap-seccomp, trap-both k23 --no-patch --catch-all=X
#   strace                                         strace -f
# With BENCH_TSV set, each script appends its rows there as
#   workload <TAB> key <TAB> value <TAB> x-native <TAB> extra <TAB> reason
# (extra: x-armed for getppid, ms added per run for start-up); bench/run-compare
# turns them into one table and a chart.

K23=$B/k23
LIMIT=${LIMIT:-120}

. bench/pin.sh
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
if command -v timeout >/dev/null 2>&1; then
	limit="timeout $LIMIT"
else
	limit=
fi

now() { date +%s.%N; }

# timed OUT CMD...: runs CMD; appends to OUT the seconds it took: wall time,
# or with CLOCK=cpu the user and system CPU time of CMD and every process it
# waited for (bench/cputime.c), for a machine busy with other work, where
# time spent waiting for a CPU would swamp what is measured. CMD's status
# is returned; its stderr goes to $tmp/err.
timed() {
	_out=$1; shift
	if [ "${CLOCK:-wall}" = cpu ]; then
		"$B/bench/cputime" "$_out" "$@" 2>"$tmp/err"
		return
	fi
	_t0=$(now)
	"$@" 2>"$tmp/err"
	_rc=$?
	_t1=$(now)
	[ $_rc = 0 ] && echo "$_t0 $_t1" | awk '{ printf "%.4f\n", $2 - $1 }' >>"$_out"
	return $_rc
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# label KEY: how a row is called in every table.
label() {
	case $1 in
	native) echo "native" ;;
	sud-allow) echo "native, SUD armed" ;;
	seccomp-allow) echo "native, seccomp armed" ;;
	both-allow) echo "native, both armed" ;;
	hybrid-allow) echo "native, SUD + backstop armed" ;;
	backstop-allow) echo "native, backstop filter alone" ;;
	nocache-allow) echo "native, backstop reading rip" ;;
	padded-cached) echo "native, backstop +2000 insns" ;;
	padded-nocache) echo "native, backstop +2000 insns, rip" ;;
	patch-hybrid) echo "k23 patched, hybrid (default)" ;;
	patch-*) echo "k23 patched, ${1#patch-}" ;;
	page0) echo "k23 patched page0, $DEFAULT_CA" ;;
	trap-hybrid) echo "k23 --no-patch, hybrid (default)" ;;
	trap-sud) echo "k23 --no-patch, sud (SUD-only)" ;;
	trap-seccomp) echo "k23 --no-patch, seccomp (seccomp-only)" ;;
	trap-both) echo "k23 --no-patch, both" ;;
	strace) echo "strace -f" ;;
	*) echo "$1" ;;
	esac
}

# What this k23 can do; patching is new, so every script copes without it.
k23_help=
[ -x "$K23" ] && k23_help=$("$K23" run --help 2>&1)
has_opt() { case $k23_help in *"$1"*) return 0 ;; esac; return 1; }
DEFAULT_CA=$(printf '%s\n' "$k23_help" | sed -n 's/.*--catch-all.*default: \([a-z]*\).*/\1/p' | head -n 1)
DEFAULT_CA=${DEFAULT_CA:-seccomp}

# k23_args KEY: sets $args to k23 run's options for KEY, or $why and returns 1.
k23_args() {
	why='' args=''
	if [ ! -x "$K23" ]; then
		why="$K23 is not built"
		return 1
	fi
	case $1 in
	patch-* | page0)
		if ! has_opt "--no-patch" || ! has_opt "--patch="; then
			why="k23 run has no --patch yet (patching not landed)"
			return 1
		fi
		[ -n "$prep_why" ] && { why=$prep_why; return 1; }
		# A patched row through which nothing was patched would time the
		# trap path: its script's check left why (see no_patch).
		[ -f "$tmp/$1.skip" ] && { why=$(cat "$tmp/$1.skip"); return 1; }
		case $1 in
		page0) args="--patch=page0" ;;
		*) args="--patch=stub --catch-all=${1#patch-}" ;;
		esac ;;
	trap-*)
		# Before --no-patch existed, every k23 run was the trap path.
		args="--catch-all=${1#trap-}"
		has_opt "--no-patch" && args="--no-patch $args" ;;
	*)
		why="not a k23 row: $1"
		return 1 ;;
	esac
	return 0
}

# prepare PROG...: sidecars for PROG into a fresh cache of this run only; on
# failure $prep_why says why (and the patched rows become unavailable).
prep_why=
prepare() {
	K23_CACHE=$tmp/cache
	export K23_CACHE
	# The cache is what is prepared here, nothing more: no background
	# preparer (k23 run --prepare, docs/sidecar.md) competes with a
	# measurement. run-startup measures the default again.
	K23_PREPARE=never
	export K23_PREPARE
	mkdir -p "$K23_CACHE"
	[ -x "$K23" ] || { prep_why="$K23 is not built"; return 1; }
	for p in "$@"; do
		if ! "$K23" prepare --quiet --cache "$K23_CACHE" "$p" >"$tmp/prep.out" 2>"$tmp/prep.err"; then
			prep_why="k23 prepare $p failed: $(tail -n 1 "$tmp/prep.err")"
			return 1
		fi
	done
	# k23's image copy (.k23-image, loader/selfcopy.c), which runs under
	# never do not make: start-up as a used cache gives it.
	K23_PREPARE=now "$K23" run -- /bin/true > /dev/null 2>&1
	return 0
}

# via_patched ERRFILE: calls that came in through patched sites, from the
# "k23 stats:" lines of k23 run --stats ("" when there are none).
via_patched() {
	grep '^k23 stats:' "$1" | sed -n 's/.*[^a-z_]patched[ =:]*\([0-9][0-9]*\).*/\1/p' | head -n 1
}

# stats_line ERRFILE: the "k23 stats:" lines joined, for a warning.
stats_line() {
	grep '^k23 stats: *\(calls\|sites\)' "$1" | sed 's/^k23 stats: *//' | tr '\n' ';' | sed 's/;$//; s/;/; /g'
}

# share_patched FILE: percentage of calls through patched sites, from the
# "k23 stats: calls: patched N, sud N, seccomp N" line ("" when there is none).
share_patched() {
	sed -n 's/^k23 stats: calls: *//p' "$1" | head -n 1 | awk -F '[ ,]+' '{
		for (i = 1; i < NF; i++)
			if ($(i + 1) ~ /^[0-9]+$/) { v[$i] = $(i + 1); t += $(i + 1) }
		if (t) printf "%.1f\n", 100 * v["patched"] / t
	}'
}

# no_patch KEY REASON: KEY's patched row is not timed; REASON is shown instead.
no_patch() {
	echo "$2" >"$tmp/$1.skip"
}

# last_error ERRFILE RC: why a wrapped run gave no result.
last_error() {
	if [ "$2" = 124 ] && [ -n "$limit" ]; then
		echo "timed out after ${LIMIT}s"
		return
	fi
	e=$(grep -v '^k23 stats:' "$1" | grep -v '^[[:space:]]*$' | tail -n 1)
	echo "${e:-exit status $2, no result}"
}

# emit WORKLOAD KEY VALUE XNATIVE EXTRA REASON: a row for bench/run-compare.
emit() {
	[ -n "${BENCH_TSV:-}" ] || return 0
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" >>"$BENCH_TSV"
}
