# tests/lib_patch.sh - helpers for the hot-patching tests (tests/integration/patch_*.sh): the run's mode, `k23 run --stats` figures, sidecar caches; sourced after tests/lib.sh.
#
# `k23 run --stats` writes at exit, on the tool output stream (stderr, or
# the -o FILE), three lines:
#   k23 stats: calls: patched N, sud N, seccomp N
#   k23 stats: sites: patched N (at load N, lazily N), skipped N (no plan N, bytes differ N, no stub space N, mprotect refused N, not a safe pattern N, shared mapping N)
#   k23 stats: objects: with sidecar N, without sidecar N, stale sidecar N
# read_stats parses them into shell variables; when a run writes several
# sets (one per process), their figures are added up, and ST_SETS says how
# many there were.

# patching_on: true unless run-integration runs this pass with --no-patch
# (TESTS_PATCHING=off; K23 then adds --no-patch to every `k23 run`).
patching_on() { [ "${TESTS_PATCHING:-on}" != off ]; }

ST_NAMES="ST_CALLS_PATCHED ST_CALLS_SUD ST_CALLS_SECCOMP ST_SITES_PATCHED ST_SITES_LOAD
ST_SITES_LAZY ST_SKIPPED ST_SKIP_NO_PLAN ST_SKIP_BYTES ST_SKIP_NO_STUB ST_SKIP_MPROTECT
ST_SKIP_UNSAFE ST_SKIP_SHARED ST_OBJ_WITH ST_OBJ_WITHOUT ST_OBJ_STALE"

# _stats_values FILE: the 16 figures, summed over the sets in FILE, and the
# number of sets; "bad LINE" for a "k23 stats:" line of another format.
_stats_values()
{
	awk '
	function num(s) { return s + 0 }
	/^k23 stats: calls: / {
		if (match($0, /^k23 stats: calls: patched [0-9]+, sud [0-9]+, seccomp [0-9]+$/)) {
			s = $0; sub(/^k23 stats: [a-z]+: /, "", s)
			split(s, a, /[^0-9]+/)	# a[1] is empty: the text before the first number
			v[1] += a[2]; v[2] += a[3]; v[3] += a[4]; sets++
		} else bad = bad $0 "\n"
		next
	}
	/^k23 stats: sites: / {
		if (match($0, /^k23 stats: sites: patched [0-9]+ \(at load [0-9]+, lazily [0-9]+\), skipped [0-9]+ \(no plan [0-9]+, bytes differ [0-9]+, no stub space [0-9]+, mprotect refused [0-9]+, not a safe pattern [0-9]+, shared mapping [0-9]+\)$/)) {
			s = $0; sub(/^k23 stats: [a-z]+: /, "", s)
			split(s, a, /[^0-9]+/)
			for (i = 2; i <= 11; i++) v[i + 2] += a[i]
		} else bad = bad $0 "\n"
		next
	}
	/^k23 stats: objects: / {
		if (match($0, /^k23 stats: objects: with sidecar [0-9]+, without sidecar [0-9]+, stale sidecar [0-9]+$/)) {
			s = $0; sub(/^k23 stats: [a-z]+: /, "", s)
			split(s, a, /[^0-9]+/)
			v[14] += a[2]; v[15] += a[3]; v[16] += a[4]
		} else bad = bad $0 "\n"
		next
	}
	/^k23 stats:/ { bad = bad $0 "\n" }
	END {
		if (bad != "") { printf "bad %s", bad; exit }
		for (i = 1; i <= 16; i++) printf "%d ", v[i]
		print sets + 0
	}' "$1"
}

# read_stats WHAT FILE [ERRFILE]: set ST_* from the stats lines in FILE
# (the -o file). Stats found only in ERRFILE are a failed check ("not on the
# tool output stream"), but are read from there. Returns non-zero (after a
# "not ok") when there are none or they are malformed.
read_stats()
{
	local what=$1 file=$2 err=${3:-} vals src=$2
	ST_SETS=0
	if ! grep -q '^k23 stats: ' "$file" 2> /dev/null; then
		if [ -n "$err" ] && grep -q '^k23 stats: ' "$err"; then
			not_ok "$what: --stats lines on stderr, not in the -o file"
			src=$err
		else
			not_ok "$what: no \"k23 stats:\" lines"
			[ -n "$err" ] && show_file "k23 stderr" "$err"
			return 1
		fi
	fi
	vals=$(_stats_values "$src")
	case "$vals" in
	bad*)
		not_ok "$what: \"k23 stats:\" lines not in the documented format"
		printf '%s\n' "${vals#bad }" | sed 's/^/  | /'
		return 1 ;;
	esac
	local i=1 n
	for n in $ST_NAMES; do
		printf -v "$n" '%s' "$(echo "$vals" | cut -d' ' -f$i)"
		i=$((i + 1))
	done
	ST_SETS=$(echo "$vals" | cut -d' ' -f17)
	ST_CALLS_TRAPPED=$((ST_CALLS_SUD + ST_CALLS_SECCOMP))
	ST_CALLS_ALL=$((ST_CALLS_PATCHED + ST_CALLS_TRAPPED))
	return 0
}

# stats_line: the figures read last, for messages.
stats_line()
{
	echo "calls patched $ST_CALLS_PATCHED, sud $ST_CALLS_SUD, seccomp $ST_CALLS_SECCOMP;" \
		"sites patched $ST_SITES_PATCHED (load $ST_SITES_LOAD, lazy $ST_SITES_LAZY)," \
		"skipped $ST_SKIPPED; objects with sidecar $ST_OBJ_WITH, without $ST_OBJ_WITHOUT," \
		"stale $ST_OBJ_STALE"
}

# stats_consistent WHAT: the figures of one run agree with each other:
# patched sites = at load + lazily, skipped = the sum of its reasons.
stats_consistent()
{
	local bad=""
	[ "$ST_SITES_PATCHED" -eq $((ST_SITES_LOAD + ST_SITES_LAZY)) ] ||
		bad="$bad sites patched $ST_SITES_PATCHED != at load $ST_SITES_LOAD + lazily $ST_SITES_LAZY;"
	[ "$ST_SKIPPED" -eq $((ST_SKIP_NO_PLAN + ST_SKIP_BYTES + ST_SKIP_NO_STUB + ST_SKIP_MPROTECT + ST_SKIP_UNSAFE + ST_SKIP_SHARED)) ] ||
		bad="$bad skipped $ST_SKIPPED != sum of its reasons;"
	if [ -z "$bad" ]; then
		ok "$1: stats add up ($(stats_line))"
	else
		not_ok "$1: stats do not add up:$bad"
		echo "  $(stats_line)"
	fi
}

# stats_run TAG [K23-OPTIONS...] -- CMD...: `k23 run --stats --tool count
# -o TAG.table` of CMD. Leaves TAG.out/.err/.rc (as run_k23), TAG.counts
# (reduced table, every row, exit_group included), TAG_TOTAL (sum of its
# calls) and ST_* (read_stats). Returns non-zero after a "not ok" when the
# table or the stats are missing.
stats_run()
{
	local tag=$1; shift
	rm -f "$tag.table"
	run_k23 "$tag" --stats --tool count -o "$tag.table" "$@"
	[ -f "$tag.table" ] || : > "$tag.table"
	parse_k23_counts "$tag.table" > "$tag.counts"
	TAG_TOTAL=$(awk '{ n += $2 } END { print n + 0 }' "$tag.counts")
	if [ ! -s "$tag.counts" ]; then
		not_ok "k23 run --stats --tool count $*: no count table"
		echo "  k23 $(describe_status "$(cat "$tag.rc")")"
		show_file "k23 stderr" "$tag.err"
		return 1
	fi
	read_stats "k23 run --stats --tool count $*" "$tag.table" "$tag.err"
}

# count_of NAME COUNTS-FILE: calls of NAME in a reduced table (0 if absent).
count_of() { awk -v n="$1" '$1 == n { c = $2 } END { print c + 0 }' "$2"; }

# build_id FILE: the GNU build-id readelf reports (empty if none).
build_id() { readelf -n "$1" 2> /dev/null | sed -n 's/.*Build ID: *//p'; }

# sidecar_of CACHE FILE: the path FILE's sidecar has in CACHE.
sidecar_of() { echo "$1/$(build_id "$2").k23"; }

# prepare_into CACHE PROG...: k23 prepare each PROG into CACHE; a failure is
# a "not ok" with the evidence.
prepare_into()
{
	local cache=$1 p; shift
	for p in "$@"; do
		if ! "$K23" prepare --quiet --cache "$cache" "$p" > prep.out 2> prep.err; then
			not_ok "k23 prepare --cache $cache $p"
			show_file "stdout" prep.out
			show_file "stderr" prep.err
			return 1
		fi
	done
}

# keep_only_sidecars CACHE FILE...: remove from CACHE every sidecar but
# those of FILE... (prepare writes the whole closure).
keep_only_sidecars()
{
	local cache=$1 keep="" f s; shift
	for f in "$@"; do keep="$keep $(build_id "$f").k23"; done
	for s in "$cache"/*.k23; do
		case " $keep " in *" $(basename "$s") "*) ;; *) rm -f "$s" ;; esac
	done
}

# real_sites FILE: link-time addresses (0x%x) of the syscall and sysenter
# instructions objdump -d finds in FILE, one a line, sorted.
real_sites()
{
	objdump -d --no-show-raw-insn "$1" |
		awk '$2 == "syscall" || $2 == "sysenter" { a = $1; sub(/:$/, "", a); sub(/^0+/, "", a); print "0x" a }' |
		sort -u
}

# k23_sites CACHE FILE: the addresses (0x%x) `k23 sites --json` lists for FILE.
k23_sites()
{
	"$K23" sites --cache "$1" --json "$2" |
		/usr/bin/python3 -c 'import json, sys
for s in json.load(sys.stdin)["sites"]: print("0x%x" % s["vaddr"])' | sort -u
}

# page0_ok: `k23 doctor` says page 0 can be mapped and executed here (the
# condition of --patch=page0).
page0_ok()
{
	"$K23" doctor --json 2> /dev/null | /usr/bin/python3 -c 'import json, sys
sys.exit(0 if json.load(sys.stdin)["probes"]["page0"]["ok"] else 1)' 2> /dev/null
}

# patch_modes: the --patch values to try: stub, and page0 where doctor
# says page 0 is usable.
patch_modes()
{
	if page0_ok; then echo "stub page0"; else echo "stub"; fi
}

# stats_delta [K23-OPTIONS...] -- CMD... -- ARGS0 -- ARGS1: two stats_run
# of CMD, with ARGS0 (tag d0) and with ARGS1 (tag d1), the program making
# more calls with ARGS1; sets D_PATCHED, D_TRAPPED, D_TOTAL (count table),
# D_LAZY (sites patched lazily), D_LOAD, and leaves d0.counts, d1.counts.
# What only ARGS1 does shows in the differences: whether the extra calls
# went through patched sites. Returns non-zero after a "not ok" when a run
# had no table or stats.
stats_delta()
{
	local opts=() cmd=() a0=() a1=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do cmd+=("$1"); shift; done
	shift
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do a0+=("$1"); shift; done
	shift
	a1=("$@")
	stats_run d0 "${opts[@]}" -- "${cmd[@]}" "${a0[@]}" || return 1
	local p0=$ST_CALLS_PATCHED t0=$ST_CALLS_TRAPPED n0=$TAG_TOTAL l0=$ST_SITES_LAZY s0=$ST_SITES_LOAD
	stats_run d1 "${opts[@]}" -- "${cmd[@]}" "${a1[@]}" || return 1
	D_PATCHED=$((ST_CALLS_PATCHED - p0))
	D_TRAPPED=$((ST_CALLS_TRAPPED - t0))
	D_TOTAL=$((TAG_TOTAL - n0))
	D_LAZY=$((ST_SITES_LAZY - l0))
	D_LOAD=$((ST_SITES_LOAD - s0))
}

# delta_of NAME: calls of NAME in d1.counts minus d0.counts.
delta_of() { echo $(( $(count_of "$1" d1.counts) - $(count_of "$1" d0.counts) )); }

# delta_line: the differences, for messages.
delta_line()
{
	echo "extra calls $D_TOTAL: patched $D_PATCHED, trapped $D_TRAPPED; sites patched at load +$D_LOAD, lazily +$D_LAZY"
}

# vaddr_bytes FILE VADDR N: N bytes of FILE at link-time address VADDR (as
# its PT_LOAD headers map it), as hex pairs "b8 0e 00 ...".
vaddr_bytes()
{
	/usr/bin/python3 - "$@" <<'PY'
import struct, sys
path, va, n = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3])
d = open(path, "rb").read()
phoff, = struct.unpack_from("<Q", d, 32)
phentsize, phnum = struct.unpack_from("<HH", d, 54)
for i in range(phnum):
    t, fl, off, vaddr, pa, filesz, memsz, al = struct.unpack_from("<IIQQQQQQ", d, phoff + i * phentsize)
    if t == 1 and vaddr <= va and va + n <= vaddr + filesz:
        print(" ".join("%02x" % b for b in d[off + va - vaddr:off + va - vaddr + n]))
        break
PY
}

# func_at FILE VADDR: the symbol objdump -d names the code at VADDR with
# (version suffix and offset removed).
func_at()
{
	objdump -d --start-address="$2" --stop-address=$(($2 + 2)) "$1" |
		sed -n 's/^[0-9a-f]* <\([^@+>]*\).*/\1/p' | head -n 1
}

# lazy_shaped FILE VADDR: the syscall at VADDR is preceded by mov $imm32,%eax
# (b8 imm32), the shape k23 patches lazily.
lazy_shaped() { [ "$(vaddr_bytes "$1" $(($2 - 5)) 7 | cut -c1-2,16-20)" = "b80f 05" ]; }

# exec_segment_end FILE VADDR: end (p_vaddr + p_memsz) of the executable
# PT_LOAD that holds VADDR, in decimal.
exec_segment_end()
{
	readelf -lW "$1" | awk -v a="$2" '
	function hex(s,  i, c, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
		return v }
	$1 == "LOAD" && $0 ~ / R?W?E / { s = hex($3); e = s + hex($6); if (a + 0 >= s && a + 0 < e) printf "%d\n", e }'
}
