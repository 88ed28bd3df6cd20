# patch_stats.sh - `k23 run --stats` figures are consistent: patched+sud+seccomp calls equal --tool count's total; with sidecars most calls are patched, with --no-patch none; an empty cache shows objects without sidecar, a changed program a stale one.
. "$TESTS/lib.sh"
. "$TESTS/lib_patch.sh"
ls_bin=$(command -v ls)

prepare_into cache "$ls_bin"
mkdir -p empty

# check_sum WHAT: the calls of the stats are the count table's.
check_sum()
{
	if [ "$ST_CALLS_ALL" = "$TAG_TOTAL" ]; then
		ok "$1: patched $ST_CALLS_PATCHED + sud $ST_CALLS_SUD + seccomp $ST_CALLS_SECCOMP = $TAG_TOTAL calls in the count table"
	else
		not_ok "$1: patched $ST_CALLS_PATCHED + sud $ST_CALLS_SUD + seccomp $ST_CALLS_SECCOMP = $ST_CALLS_ALL, the count table has $TAG_TOTAL"
		show_file "count table and stats" s.table
	fi
}

# The program's behaviour and counts are unchanged by --stats (its lines
# go to the -o file, not to the program's stderr). The directory listed is
# the test's own: in a listing of / other processes change entries and
# times between the runs.
fixture_tree fixture
dir=fixture/tree
run_native native ls -l $dir
for ca in seccomp sud both; do
	stats_run s --cache "$PWD/cache" --catch-all=$ca -- ls -l $dir || continue
	cmp -s native.out s.out && cmp -s native.err s.err && cmp -s native.rc s.rc &&
		ok "--stats --catch-all=$ca: ls -l output and status as natively" ||
		{ not_ok "--stats --catch-all=$ca: ls -l output differs"; diff native.out s.out | head -10; show_file stderr s.err; }
	[ "$ST_SETS" = 1 ] && ok "one set of stats for one process" || not_ok "$ST_SETS sets of stats for one process"
	check_sum "sidecars, --catch-all=$ca"
	stats_consistent "sidecars, --catch-all=$ca"
	if patching_on; then
		[ "$ST_CALLS_PATCHED" -gt 0 ] && [ "$ST_SITES_LOAD" -gt 0 ] && [ "$ST_OBJ_WITH" -gt 0 ] &&
			ok "sidecars, --catch-all=$ca: $ST_CALLS_PATCHED calls through $ST_SITES_PATCHED patched sites" ||
			{ not_ok "sidecars, --catch-all=$ca: want patched calls, sites patched at load, objects with sidecar"; echo "  $(stats_line)"; }
		# Each call is counted by the catch-all that caught it.
		case $ca in
		sud) [ "$ST_CALLS_SECCOMP" = 0 ] || not_ok "--catch-all=sud: $ST_CALLS_SECCOMP calls counted as seccomp" ;;
		seccomp) [ "$ST_CALLS_SUD" = 0 ] || not_ok "--catch-all=seccomp: $ST_CALLS_SUD calls counted as sud" ;;
		esac
	else
		[ "$ST_CALLS_PATCHED" = 0 ] && [ "$ST_SITES_PATCHED" = 0 ] &&
			ok "--no-patch (wrapper), --catch-all=$ca: nothing patched" ||
			{ not_ok "--no-patch (wrapper), --catch-all=$ca: something patched"; echo "  $(stats_line)"; }
	fi
done
# The counts under --stats are strace's.
compare_counts --stats --cache "$PWD/cache" -- ls -l $dir

if patching_on; then
	# --no-patch: nothing patched, every call caught by a catch-all.
	if stats_run s --no-patch --cache "$PWD/cache" -- ls -l $dir; then
		check_sum "--no-patch"
		[ "$ST_CALLS_PATCHED" = 0 ] && [ "$ST_SITES_PATCHED" = 0 ] &&
			ok "--no-patch: 0 patched calls and sites; $(stats_line)" ||
			{ not_ok "--no-patch: something patched"; echo "  $(stats_line)"; }
	fi
	# --no-lazy: only sidecar sites.
	if stats_run s --no-lazy --cache "$PWD/cache" -- ls -l $dir; then
		check_sum "--no-lazy"
		stats_consistent "--no-lazy"
		[ "$ST_SITES_LAZY" = 0 ] && ok "--no-lazy: no site patched lazily" ||
			{ not_ok "--no-lazy: $ST_SITES_LAZY sites patched lazily"; echo "  $(stats_line)"; }
	fi
	if page0_ok && stats_run s --patch=page0 --cache "$PWD/cache" -- ls -l $dir; then
		check_sum "--patch=page0"
		stats_consistent "--patch=page0"
		[ "$ST_CALLS_PATCHED" -gt 0 ] && ok "--patch=page0: $ST_CALLS_PATCHED patched calls" ||
			{ not_ok "--patch=page0: no patched call"; echo "  $(stats_line)"; }
	fi
fi

# What follows is about sidecars, which --no-patch does not look at.
patching_on || finish

# Every object loaded is counted once: with, without or stale sidecar. The
# same program maps the same objects whatever the cache holds.
stats_run s --cache "$PWD/cache" -- ls -l $dir && objs_full=$((ST_OBJ_WITH + ST_OBJ_WITHOUT + ST_OBJ_STALE))

# An empty cache: every object without sidecar, none patched at load.
if stats_run s --cache "$PWD/empty" -- ls -l $dir; then
	objs_empty=$((ST_OBJ_WITH + ST_OBJ_WITHOUT + ST_OBJ_STALE))
	[ "${objs_full:-x}" = "$objs_empty" ] &&
		ok "ls -l: $objs_empty objects counted with the full cache and with the empty one" ||
		not_ok "ls -l: objects with + without + stale sidecar: ${objs_full:-?} with the full cache, $objs_empty with an empty one (the same objects are loaded)"
	check_sum "empty cache"
	stats_consistent "empty cache"
	[ "$ST_OBJ_WITHOUT" -gt 0 ] && [ "$ST_OBJ_WITH" = 0 ] && [ "$ST_SITES_LOAD" = 0 ] &&
		ok "empty cache: $ST_OBJ_WITHOUT objects without sidecar, none with, no site patched at load" ||
		{ not_ok "empty cache: want objects without sidecar > 0, with 0, at load 0"; echo "  $(stats_line)"; }
fi

# A changed program: its sidecar is stale, the run ignores it.
if command -v gcc > /dev/null; then
	printf '#include <unistd.h>\nint main(void) { return getppid() > 0 ? 0 : 1; }\n' > m.c
	gcc -O2 -o prog m.c || not_ok "building a small program"
	prepare_into cache ./prog
	printf 'x' >> prog	# one byte more: same build-id, another size and hash
	if stats_run s --cache "$PWD/cache" -- ./prog; then
		check_sum "stale sidecar"
		[ "$ST_OBJ_STALE" = 1 ] && [ "$(cat s.rc)" = 0 ] &&
			ok "a program changed after prepare: 1 stale sidecar, runs; $(stats_line)" ||
			{ not_ok "changed program: want 1 stale sidecar and status 0, got status $(cat s.rc)"; echo "  $(stats_line)"; }
	fi
fi
finish
