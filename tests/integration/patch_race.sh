# patch_race.sh - 8 threads spin through the same syscall sites of a program without a sidecar, so it is patched lazily while the others execute it; and a prepared library dlopened while 8 threads spin on libc: every call counted once, output as natively.
#
# RACE_RUNS runs of each (default 3; `make stress` runs 20), RACE_N rounds
# per thread (default 5000). Race runs alternate between an empty sidecar
# cache (libc's getppid is patched lazily as well) and one with libc's and
# ld.so's sidecars but not the program's, and between the catch-alls; they
# use --patch=stub, since k23 patches lazily only with stubs
# (online/patch/lazy.c). The dlopen runs alternate between --patch=stub and page0
# (where k23 doctor allows it).
. "$TESTS/lib.sh"
. "$TESTS/lib_counts_filter.sh"
. "$TESTS/lib_patch.sh"
p="$PROGS/patch_race"
dl="$PROGS/patch_dlopen"
lib="$PROGS/libpatch_dl.so"
runs=${RACE_RUNS:-3}
n=${RACE_N:-5000}
m=1000

mkdir -p empty
prepare_into libc /bin/true		# libc.so.6, ld.so and true; not the program
prepare_into dlc "$lib"			# the library, libc.so.6, ld.so
keep_only_sidecars dlc "$lib"		# ... then the library alone
ls dlc/*.k23 > /dev/null 2>&1 || not_ok "no sidecar for $lib"

# The reference: native output, strace's getppid count (the program's 16n
# and the main thread's one).
run_native native "$p" $n
strace_counts strace.counts "$p" $n
want=$(count_of getppid strace.counts)
made=$(awk '$1 == "getppid" && $2 == "calls" { print $3 + 1 }' native.out)	# + main's getppid
if [ "$(cat native.rc)" = 0 ] && [ "$want" = "$made" ]; then
	ok "native: $made getppid (the program's count, plus main's), as strace -f -c counts"
else
	not_ok "native run: status $(cat native.rc), program says ${made:-?} getppid, strace $want"
fi

run_native dlnative "$dl" "$lib" dlnative.side $m
[ "$(cat dlnative.rc)" = 0 ] || not_ok "native $dl: $(describe_status "$(cat dlnative.rc)")"

modes=($(patch_modes))
catch=(seccomp sud both)
for i in $(seq "$runs"); do
	if [ $(( (i - 1) % 2 )) -eq 0 ]; then cache=empty; else cache=libc; fi
	pm=${modes[$(( (i - 1) % ${#modes[@]} ))]}
	ca=${catch[$(( (i - 1) % 3 ))]}
	opts=(--cache "$PWD/$cache" --catch-all=$ca)
	patching_on && opts+=(--patch=stub)
	what="run $i (${opts[*]})"

	# The race: same output, exit 0, each getppid counted once, the
	# program's site patched lazily.
	stats_run race "${opts[@]}" -- "$p" $n || continue
	got=$(count_of getppid race.counts)
	bad=""
	[ "$(cat race.rc)" = 0 ] || bad="$bad $(describe_status "$(cat race.rc)");"
	cmp -s native.out race.out || bad="$bad output differs from native;"
	[ "$got" = "$want" ] || bad="$bad k23 counted $got getppid, strace $want;"
	[ "$ST_CALLS_ALL" = "$TAG_TOTAL" ] || bad="$bad patched+trapped calls $ST_CALLS_ALL != $TAG_TOTAL in the count table;"
	if patching_on; then
		[ "$ST_SITES_LAZY" -ge 1 ] || bad="$bad no site patched lazily;"
		[ "$ST_CALLS_PATCHED" -gt 0 ] || bad="$bad no call through a patched site;"
	else
		[ "$ST_CALLS_PATCHED" = 0 ] || bad="$bad $ST_CALLS_PATCHED patched calls under --no-patch;"
	fi
	if [ -z "$bad" ]; then
		ok "race $what: $got getppid counted once each; $(stats_line)"
	else
		not_ok "race $what:$bad"
		echo "  $(stats_line)"
		diff native.out race.out | head -20 | sed 's/^/  /'
		show_file "k23 stderr" race.err
	fi

	# dlopen of the prepared library while 8 threads spin on libc's
	# getppid: the library's 2m calls and the threads' calls exactly.
	# getppid's total depends on timing; the program writes it to a file.
	dopts=(--cache "$PWD/dlc" --catch-all=$ca)
	patching_on && dopts+=(--patch=$pm --no-lazy)
	what="run $i (${dopts[*]})"
	rm -f dl.side
	stats_run dl "${dopts[@]}" -- "$dl" "$lib" dl.side $m || continue
	bad=""
	[ "$(cat dl.rc)" = 0 ] || bad="$bad $(describe_status "$(cat dl.rc)");"
	cmp -s dlnative.out dl.out || bad="$bad output differs from native;"
	side=$(awk '$1 == "getppid" { print $2 }' dl.side 2> /dev/null)
	[ -n "$side" ] && [ "$(count_of getppid dl.counts)" = "$side" ] ||
		bad="$bad getppid: k23 counted $(count_of getppid dl.counts), the program made ${side:-?};"
	[ "$(count_of getpgid dl.counts)" = $m ] || bad="$bad getpgid: k23 counted $(count_of getpgid dl.counts), the library made $m;"
	[ "$ST_CALLS_ALL" = "$TAG_TOTAL" ] || bad="$bad patched+trapped calls $ST_CALLS_ALL != $TAG_TOTAL in the count table;"
	# Only the library has a sidecar, lazy patching is off: the patched
	# calls are exactly its 2m.
	if patching_on; then
		[ "$ST_CALLS_PATCHED" = $((2 * m)) ] || bad="$bad $ST_CALLS_PATCHED patched calls, want the library's $((2 * m));"
	else
		[ "$ST_CALLS_PATCHED" = 0 ] || bad="$bad $ST_CALLS_PATCHED patched calls under --no-patch;"
	fi
	if [ -z "$bad" ]; then
		ok "dlopen $what: $side getppid, $m getpgrp + $m getpgid of the library; $(stats_line)"
	else
		not_ok "dlopen $what:$bad"
		echo "  $(stats_line)"
		show_file "stdout" dl.out
		show_file "k23 stderr" dl.err
		[ -f dl.side ] && show_file "program's counts" dl.side
	fi
done

# The dlopen program's deterministic rows against strace -f -c, with the
# whole closure prepared and lazy patching on; and its output as natively.
prepare_into dlall "$lib"
compare_counts_only "getpgrp getpgid" --cache "$PWD/dlall" -- "$dl" "$lib" dl.side $m
compare_run --cache "$PWD/dlall" -- "$dl" "$lib" dl.side $m
finish
