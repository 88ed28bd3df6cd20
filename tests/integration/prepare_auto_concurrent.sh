# prepare_auto_concurrent.sh - several `k23 run` of the same unprepared program at once, with an explicit `k23 prepare` among them: every run's results are right, the cache they share ends valid and complete.
. "$TESTS/lib.sh"
unset K23_PREPARE	# the harness's never; here each run prepares in the background

# A fresh program (a copy of sort) and its input; the native result to compare with.
cp "$(readlink -f "$(command -v sort)")" ./mysort
seq 2000 | sed 's/$/ line/' | sort -R --random-source=/dev/zero > input
./mysort -n input > native.out

N=6
for i in $(seq $N); do
	"$K23" run --cache c --stats -- ./mysort -n input > "run$i.out" 2> "run$i.err" &
done
"$K23" prepare --quiet --cache c ./mysort > prep.out 2> prep.err &
wait
bad=""
for i in $(seq $N); do
	cmp -s native.out "run$i.out" || bad="$bad run $i output differs;"
	grep -qv '^k23 stats:' "run$i.err" && bad="$bad run $i wrote to stderr;"
done
grep -q "^k23 prepare: " prep.out || bad="$bad the explicit prepare failed: $(cat prep.err);"
if [ -z "$bad" ]; then
	ok "$N concurrent runs of an unprepared program (and a prepare): every output right"
else
	not_ok "concurrent runs:$bad"
fi

timeout 100 flock c true	# every background preparer done
if "$K23" cache --cache c verify > verify.out 2>&1 && ! grep -q "^stale\|corrupt:" verify.out; then
	ok "the shared cache verifies: $(tail -n 1 verify.out)"
else
	not_ok "the shared cache after concurrent runs"
	show_file verify verify.out
fi
# (sidecars, stamps, markers, k23's image, patched copies: online/patch/prepatched.c)
left=$(cd c && ls -A | grep -v '\.k23$\|\.seen$\|^want$\|^\.k23-image$\|\.patched$' | tr '\n' ' ')
[ -z "$left" ] && ok "no temporary files or locks left" || not_ok "left in the cache: $left"
"$K23" run --cache c --stats -- ./mysort -n input > after.out 2> after.err
if [ "${TESTS_PATCHING:-on}" = off ] && cmp -s native.out after.out; then
	ok "the next run (--no-patch: it looks up no sidecar)"
elif cmp -s native.out after.out && grep -q "without sidecar 0," after.err &&
     grep -q "stale sidecar 0$" after.err && ! grep -q "with sidecar 0," after.err; then
	ok "the next run finds a fresh sidecar for every object"
else
	not_ok "the next run"
	show_file stats after.err
fi
finish
