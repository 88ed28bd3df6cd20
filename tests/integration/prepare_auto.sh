# prepare_auto.sh - `k23 run` prepares what it lacked in the background, so the next run is patched with no `k23 prepare`; a stale sidecar is not used and is prepared again; --prepare=now and never; a bad mode is a usage error.
#
# Under --no-patch (TESTS_PATCHING=off) the runs patch nothing and the
# runtime looks up no sidecar, so only the front end's part is checked
# there: the program's closure is prepared in the background, the
# preparer is out of the way, never writes nothing; and each run's status
# and output are still the program's.
. "$TESTS/lib.sh"
patching=on
[ "${TESTS_PATCHING:-on}" = off ] && patching=off
unset K23_PREPARE	# the harness's never; this test chooses

# stat_of FILE KEY: a figure of the --stats lines ("with sidecar", "at load", ...).
stat_of()
{
	sed -n "s/.*[(,:] *$2 \([0-9][0-9]*\).*/\1/p" "$1" | head -n 1
}

# wait_preparers CACHE: every background preparer of CACHE has ended (each
# holds a shared lock on the directory CACHE while it lives).
wait_preparers()
{
	[ -d "$1" ] && timeout 100 flock "$1" true
}

# unchanged WHAT CACHE RUN-ARGS...: `k23 run RUN-ARGS` (and any preparer it
# starts) leaves the files of CACHE, their sizes and times, as they were.
unchanged()
{
	local what=$1 dir=$2
	shift 2
	ls -lR --time-style=+%s.%N "$dir" > before.ls
	"$K23" run "$@" > /dev/null 2>&1
	sleep 0.3
	wait_preparers "$dir"
	ls -lR --time-style=+%s.%N "$dir" > after.ls
	if cmp -s before.ls after.ls; then
		ok "$what"
	else
		not_ok "$what: the cache changed"
		diff before.ls after.ls | head -n 20
	fi
}

# --- the issue's check: python3 -c pass twice, fresh cache ---------------------
if command -v python3 > /dev/null; then
	"$K23" run --cache py --stats -- python3 -c pass > py1.out 2> py1.err
	rc1=$?
	wait_preparers py
	"$K23" run --cache py --stats -- python3 -c pass > py2.out 2> py2.err
	rc2=$?
	with1=$(stat_of py1.err "with sidecar") without1=$(stat_of py1.err "without sidecar")
	with2=$(stat_of py2.err "with sidecar") without2=$(stat_of py2.err "without sidecar")
	load1=$(stat_of py1.err "at load") calls1=$(stat_of py1.err patched)
	load2=$(stat_of py2.err "at load") calls2=$(stat_of py2.err patched)
	if [ $patching = off ]; then
		if [ $rc1 = 0 ] && [ $rc2 = 0 ] && [ "$calls2" = 0 ] &&
		   "$K23" cache --cache py list | grep -q "libc\.so"; then
			ok "--no-patch: python3 -c pass runs, and its closure is prepared in the background"
		else
			not_ok "--no-patch: python3 -c pass twice (status $rc1, $rc2)"
			show_file "first run" py1.err
			"$K23" cache --cache py list
		fi
	# The first run may find a few sidecars already: the preparer starts
	# before the program and makes the small objects' in time. Most come
	# in unpatched: without sidecars.
	elif [ $rc1 = 0 ] && [ $rc2 = 0 ] && [ "${load2:-0}" -gt 0 ] && [ "${calls2:-0}" -gt 0 ] &&
	     [ "${with2:-0}" -gt 0 ] && [ "${without2:-1}" = 0 ] && [ "${without1:-0}" -gt 0 ] &&
	     [ "${load1:-0}" -lt "$load2" ]; then
		ok "python3 -c pass twice: the first run patched $load1 sites at load, $calls1 calls" \
		   "(objects with/without sidecar $with1/$without1); the second $load2 sites, $calls2 calls" \
		   "(with/without $with2/$without2)"
	else
		not_ok "python3 -c pass twice: the second run is patched from sidecars"
		show_file "first run" py1.err
		show_file "second run" py2.err
	fi
	if [ -z "$(ls -A py/want 2> /dev/null)" ]; then
		ok "no want markers left once the preparer is done"
	else
		not_ok "want markers left"
		ls -la py/want
	fi
	"$K23" cache --cache py verify > verify.out 2>&1 && ok "the cache made in the background verifies" ||
		{ not_ok "cache verify"; show_file verify verify.out; }
else
	echo "# no python3: its check skipped"
fi

# --- a program of its own (a copy: a file no other test prepares) ----------------
cp "$PROGS/patch_dlopen" ./dlprog
lib="$PROGS/libpatch_dl.so"
compare_run --cache bg -- ./dlprog "$lib" counts1 10
wait_preparers bg
"$K23" sites --cache bg ./dlprog > /dev/null 2> sites.err &&
	ok "background: the program has its sidecar" || { not_ok "background: no sidecar"; show_file err sites.err; }
if [ $patching = on ]; then
	"$K23" sites --cache bg "$lib" > /dev/null 2> sites.err &&
		ok "background: the dlopen'ed library has its sidecar (the runtime's want marker)" ||
		{ not_ok "background: no sidecar for the dlopen'ed library"; show_file err sites.err; }
	"$K23" run --cache bg --stats -- ./dlprog "$lib" counts2 10 > /dev/null 2> stats.err
	if [ "$(stat_of stats.err "without sidecar")" = 0 ] && [ "$(stat_of stats.err "at load")" -gt 0 ]; then
		ok "background: the next run finds a sidecar for every object ($(stat_of stats.err "with sidecar"))"
	else
		not_ok "background: the next run still lacks sidecars"
		show_file stats stats.err
	fi
fi

# --- a stale sidecar: not used, marked, prepared again ---------------------------
# A copy of the library, prepared by a first run; then one byte of it changed
# where nothing is loaded (the last byte of the file: section headers), so
# its build-id and size stay and only its content hash tells. The program
# and ld.so have their sidecars, so the run that finds the stale one starts
# no preparer: it marks the library, the next run's preparer prepares it,
# the run after that is patched from a fresh sidecar (docs/sidecar.md). The
# second may be already, when the preparer is done before the dlopen.
if [ $patching = on ]; then
	cp "$lib" ./libmine.so
	cp "$PROGS/patch_dlopen" ./dlstale
	compare_run --cache st -- ./dlstale "$PWD/libmine.so" counts7 10
	wait_preparers st
	"$K23" sites --cache st ./libmine.so > /dev/null 2>&1 || not_ok "stale: the copy was not prepared"
	size=$(stat -c %s libmine.so)
	printf '\001' | dd of=libmine.so bs=1 seek=$((size - 1)) conv=notrunc status=none
	./dlstale "$PWD/libmine.so" counts.native 10 > st.native 2>&1
	bad=""
	for i in 1 2 3; do
		"$K23" run --cache st --stats -- ./dlstale "$PWD/libmine.so" counts8 10 > st$i.out 2> st$i.err ||
			bad="$bad run $i failed;"
		cmp -s st.native st$i.out || bad="$bad run $i: other output;"
		wait_preparers st
	done
	[ "$(stat_of st1.err "stale sidecar")" = 1 ] || bad="$bad the first run did not see it stale;"
	[ -n "$(ls -A st/want 2> /dev/null)" ] && bad="$bad markers left;"
	[ "$(stat_of st3.err "stale sidecar")" = 0 ] && [ "$(stat_of st3.err "without sidecar")" = 0 ] ||
		bad="$bad the third run has no fresh sidecar;"
	"$K23" sites --cache st ./libmine.so > /dev/null 2>&1 || bad="$bad k23 sites: still stale;"
	if [ -z "$bad" ]; then
		ok "stale: the changed library's sidecar is not used (stale 1) and the run is right;" \
		   "it is prepared again in the background; the third run is patched from it"
	else
		not_ok "stale sidecar after the library changed:$bad"
		show_file "run 1" st1.err
		show_file "run 2" st2.err
		show_file "run 3" st3.err
	fi
fi

# A run that finds everything prepared starts no preparer: no lock is taken
# again, nothing in the cache changes.
unchanged "all present: the cache is left exactly as it was" bg --cache bg -- ./dlprog "$lib" counts3 10

# --- the preparer is out of the program's way ------------------------------------
# It waits for the program to end before taking the want markers, so while a
# program sleeps it can be looked at: not in the program's session or
# process group, not its child, its descriptors /dev/null, locks, pipes to its workers and
# the program's pidfd.
cp /bin/sleep ./sleeper
"$K23" run --cache det -- ./sleeper 3 &
job=$!
sleep 1
holders=""
for p in $(pgrep -x k23-autoprep); do	# the preparer's name (ps, top)
	ls -l "/proc/$p/fd" 2> /dev/null | grep -q " $PWD/det$" && holders="$holders $p"
done
bad=""
[ -n "$holders" ] || bad="no preparer found holding the cache det;"
for p in $holders; do
	read -r -a st < "/proc/$p/stat" 2> /dev/null || continue
	# stat: pid (comm) state ppid pgrp session ... (comm has no spaces here)
	[ "${st[3]}" != "$job" ] || bad="$bad $p is the program's child;"
	[ "${st[4]}" != "$(ps -o pgid= -p $job | tr -d ' ')" ] || bad="$bad $p in the program's group;"
	[ "${st[5]}" != "$(ps -o sid= -p $job | tr -d ' ')" ] || bad="$bad $p in the program's session;"
	for fd in "/proc/$p/fd/"*; do
		t=$(readlink "$fd")
		case $t in
		/dev/null | "$PWD/det" | "$PWD/det/want" | "$PWD/det/"*.lock | pipe:* | "anon_inode:[pidfd]") ;;
		*) bad="$bad $p has ${fd##*/} -> $t;" ;;
		esac
	done
	[ "$(ps -o cls= -p "$p" | tr -d ' ')" = IDL ] || bad="$bad $p not SCHED_IDLE;"
done
wait $job
rc=$?
if [ -z "$bad" ] && [ $rc = 0 ]; then
	ok "preparer(s)$holders: own session and group, not the program's child, idle, no descriptors of its own"
else
	not_ok "the preparer is in the program's way: $bad (program status $rc)"
fi
wait_preparers det

# --- a relative --cache names the same directory after the program's cd ---------
"$K23" prepare --quiet --cache rel ./dlprog > /dev/null 2>&1
"$K23" prepare --quiet --cache rel /bin/sh > /dev/null 2>&1
"$K23" prepare --quiet --cache rel "$lib" > /dev/null 2>&1
"$K23" run --prepare=never --cache rel --stats -- /bin/sh -c "cd / && exec '$PWD/dlprog' '$lib' '$PWD/counts6' 10" \
	> /dev/null 2> rel.err
if [ $patching = off ] || { [ "$(stat_of rel.err "without sidecar")" = 0 ] &&
			     [ "$(stat_of rel.err "with sidecar")" -gt 0 ]; }; then
	[ $patching = off ] || ok "relative --cache: sidecars found after the program changed directory"
else
	not_ok "relative --cache after cd"
	show_file stats rel.err
fi

# --- now, never ----------------------------------------------------------------
cp "$PROGS/patch_dlopen" ./dlnow
"$K23" run --prepare=now --cache now --stats -- ./dlnow "$lib" counts4 10 > now.out 2> now.err
if [ $patching = off ] && "$K23" sites --cache now ./dlnow > /dev/null 2>&1; then
	ok "--prepare=now: the program is prepared before it runs"
elif [ $patching = on ] && [ "$(stat_of now.err "at load")" -gt 0 ] && grep -q "with sidecar [1-9]" now.err; then
	ok "--prepare=now: the first run is already patched at load"
else
	not_ok "--prepare=now"
	show_file stderr now.err
fi
cp "$PROGS/patch_dlopen" ./dlnever
for how in "--prepare=never" "K23_PREPARE=never"; do
	rm -rf never
	if [ "$how" = "--prepare=never" ]; then
		"$K23" run --prepare=never --cache never -- ./dlnever "$lib" counts5 10 > /dev/null 2>&1
	else
		K23_PREPARE=never "$K23" run --cache never -- ./dlnever "$lib" counts5 10 > /dev/null 2>&1
	fi
	sleep 0.3
	if [ ! -e never ]; then
		ok "$how: nothing is written, not even the cache directory"
	else
		not_ok "$how: the cache has files"
		find never
	fi
done
# never on a used cache: no stamp is written again (the objects are hashed
# instead), no marker for the library it lacks, no sidecar, nothing touched.
"$K23" prepare --quiet --cache used ./dlnever > /dev/null 2>&1
rm -f used/*.seen
unchanged "--prepare=never on a used cache (stamps removed, a library unprepared): nothing changes" \
	used --prepare=never --cache used -- ./dlnever "$lib" counts10 10

# --- bad input -------------------------------------------------------------------
expect_error_line 2 "--prepare=sometimes" "^k23: run: unknown --prepare 'sometimes'" \
	run --prepare=sometimes -- /bin/true
K23_PREPARE=sometimes expect_error_line 2 "K23_PREPARE=sometimes" \
	"^k23: run: K23_PREPARE: unknown value 'sometimes'" run -- /bin/true
K23_PREPARE=sometimes compare_run --prepare=never --cache x -- /bin/true
finish
