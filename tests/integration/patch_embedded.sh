# patch_embedded.sh - bytes 0f 05 / 0f 34 inside other instructions are not syscall sites: k23 sites lists only the real ones (as objdump -d), and the program computes the same natively, patched (stub, page0) and with --no-patch.
. "$TESTS/lib.sh"
. "$TESTS/lib_patch.sh"
p="$PROGS/patch_embedded"
n=1000
cache=$PWD/cache

# The test means something only if the program's code holds more 0f 05 /
# 0f 34 byte pairs than it has syscall instructions.
real_sites "$p" > real.sites
objcopy -O binary --only-section=.text "$p" text.bin
pairs=$(od -An -v -tx1 text.bin | tr -s ' \n' '  ' | grep -o '0f 05\|0f 34' | wc -l)
nreal=$(wc -l < real.sites)
if [ "$nreal" -gt 0 ] && [ "$pairs" -gt "$nreal" ]; then
	ok "$p: $pairs byte pairs 0f 05 / 0f 34 in .text, $nreal syscall instructions (objdump -d)"
else
	not_ok "$p: $pairs byte pairs 0f 05 / 0f 34 in .text, $nreal syscall instructions: the test checks nothing"
fi

# k23 prepare of the program: its sidecar lists exactly objdump's sites, all
# verified by both decoders.
prepare_into "$cache" "$p"
k23_sites "$cache" "$p" > k23.sites 2> sites.err
diff_check "k23 sites lists the real syscall instructions only (< objdump -d, > k23 sites)" real.sites k23.sites
"$K23" sites --cache "$cache" --json "$p" 2> /dev/null | /usr/bin/python3 -c 'import json, sys
s = json.load(sys.stdin)["sites"]
print(len(s), sum(x["check"] == "verified" for x in s), sum(x["plan"] is not None for x in s))' > plans
read -r ns nverified nplanned < plans
if [ "${ns:-0}" -gt 0 ] && [ "$ns" = "$nverified" ] && [ "$ns" = "$nplanned" ]; then
	ok "all $ns sites of the program verified and planned"
else
	not_ok "sites of the program: ${ns:-?} found, ${nverified:-?} verified, ${nplanned:-?} planned (all expected: they sit inside functions)"
	"$K23" sites --cache "$cache" "$p" 2>&1 | sed 's/^/  | /'
fi

# Same output and status as natively, and the counts strace sees.
compare_run --cache "$cache" -- "$p" $n
raw=$(awk '$1 == "raw" && $2 == "syscalls" { print $3 }' native.out)
compare_counts --cache "$cache" -- "$p" $n

if patching_on; then
	for m in $(patch_modes); do
		compare_run --cache "$cache" --patch=$m -- "$p" $n
	done
	compare_run --no-patch --cache "$cache" -- "$p" $n
	compare_run --no-lazy --cache "$cache" -- "$p" $n

	# Calls go through the program's patched sites: with its sidecar the
	# only one in the cache and no lazy patching, exactly the calls made by
	# its own syscall instructions are "patched", every other one traps.
	cp -r "$cache" own
	keep_only_sidecars own "$p"
	for m in $(patch_modes); do
		if stats_run own --cache "$PWD/own" --no-lazy --patch=$m -- "$p" $n; then
			if [ "$ST_CALLS_PATCHED" = "$raw" ] && [ "$ST_CALLS_ALL" = "$TAG_TOTAL" ] &&
			   [ "$ST_OBJ_WITH" -ge 1 ] && [ "$ST_SITES_LOAD" -ge "$nreal" ]; then
				ok "--patch=$m --no-lazy, only the program's sidecar: $ST_CALLS_PATCHED patched calls, as many as the program's own syscall instructions made ($raw); $TAG_TOTAL in all"
			else
				not_ok "--patch=$m --no-lazy, only the program's sidecar: want $raw patched calls (the program's own), patched+trapped = $TAG_TOTAL (count table), >= $nreal sites patched at load"
				echo "  $(stats_line)"
			fi
			stats_consistent "--patch=$m --no-lazy"
		fi
		cmp -s own.out native.out && ok "--patch=$m --no-lazy --stats: same output" ||
			{ not_ok "--patch=$m --no-lazy --stats: output differs"; diff native.out own.out | head -20 | sed 's/^/  /'; }
	done

	# Everything prepared, lazy on: patched calls are most of them.
	if stats_run full --cache "$cache" -- "$p" $n; then
		if [ "$ST_CALLS_PATCHED" -ge "$raw" ] && [ "$ST_CALLS_ALL" = "$TAG_TOTAL" ]; then
			ok "full cache: $ST_CALLS_PATCHED of $TAG_TOTAL calls through patched sites (>= the program's own $raw)"
		else
			not_ok "full cache: want >= $raw patched calls and patched+trapped = $TAG_TOTAL"
			echo "  $(stats_line)"
		fi
	fi
fi

# With --no-patch (given here, or added by run-integration's wrapper) no
# call is patched.
if patching_on; then nopatch=--no-patch; else nopatch=""; fi
if stats_run np $nopatch --cache "$cache" -- "$p" $n; then
	if [ "$ST_CALLS_PATCHED" = 0 ] && [ "$ST_SITES_PATCHED" = 0 ] && [ "$ST_CALLS_ALL" = "$TAG_TOTAL" ]; then
		ok "--no-patch: no patched call or site, $ST_CALLS_TRAPPED calls trapped = the count table's $TAG_TOTAL"
	else
		not_ok "--no-patch: want 0 patched calls and sites, trapped = $TAG_TOTAL (count table)"
		echo "  $(stats_line)"
	fi
fi
finish
