# patch_nested.sh - a handler on an alternate stack makes patched calls while the patched call it interrupted sleeps on the thread's private stack: both must survive, with every tool and catch-all.
. "$TESTS/lib.sh"
. "$TESTS/lib_patch.sh"
p="$PROGS/patch_nested"
runs=${NESTED_RUNS:-300}

# Native output first: every later run must print the same line.
for c in seccomp sud; do
	for tool in count trace; do
		compare_run --catch-all=$c --tool $tool -o /dev/null -- "$p" "$runs"
	done
	compare_run --catch-all=$c -- "$p" "$runs"
done
if patching_on; then
	stats_run s --catch-all=seccomp -- "$p" "$runs" &&
	if [ "${ST_CALLS_PATCHED:-0}" -gt "$runs" ]; then
		ok "the handler's calls came through patched sites ($ST_CALLS_PATCHED patched calls)"
	else
		not_ok "only ${ST_CALLS_PATCHED:-0} patched calls: the test does not exercise the patched path"
	fi
fi
finish
