# prepare_true.sh - `k23 prepare /bin/true`: one sidecar per object named by build-id, up-to-date ones kept, `k23 sites` text and JSON, cache locations.
. "$TESTS/lib.sh"

PY=/usr/bin/python3

# build_id FILE: the build-id readelf reports.
build_id() { readelf -n "$1" | sed -n 's/.*Build ID: *//p'; }

"$K23" prepare --cache cache /bin/true > out 2> err
rc=$?
if [ $rc -eq 0 ] && grep -q '^k23 prepare: 3 objects (3 prepared, 0 up to date)' out; then
	ok "prepare /bin/true: 3 objects, $(sed 's/.*): //' out)"
else
	not_ok "prepare /bin/true: status $rc"
	show_file stdout out
	show_file stderr err
fi

# One sidecar per object, named by its build-id, nothing else left behind.
for f in /bin/true /lib/x86_64-linux-gnu/libc.so.6 /lib64/ld-linux-x86-64.so.2; do
	id=$(build_id "$f")
	if [ -n "$id" ] && [ -f "cache/$id.k23" ]; then
		ok "sidecar for $f is cache/$id.k23"
	else
		not_ok "no sidecar cache/$id.k23 for $f"
		ls -la cache
	fi
done
# Beside each sidecar, the .seen stamp of the hash prepare checked (docs/sidecar.md).
n=$(ls -A cache | grep -c '\.k23$')
other=$(ls -A cache | grep -vc '\.\(k23\|seen\)$')
[ "$n" -eq 3 ] && [ "$other" -eq 0 ] && ok "3 sidecars in the cache, no temporaries" ||
	{ not_ok "$n sidecars, $other other files in the cache"; ls -la cache; }
grep -q '\[3/3\]' err && ok "progress on stderr for several objects" || { not_ok "no progress lines"; show_file stderr err; }

# Up-to-date sidecars are not rewritten.
before=$(stat -c '%i %Y' cache/*.k23)
sleep 1
"$K23" prepare --quiet --cache cache /bin/true > out 2> err
rc=$?
after=$(stat -c '%i %Y' cache/*.k23)
if [ $rc -eq 0 ] && grep -q '(0 prepared, 3 up to date)' out && [ "$before" = "$after" ]; then
	ok "second prepare: all up to date, files untouched"
else
	not_ok "second prepare rewrote or failed"
	show_file stdout out
fi
[ -s err ] && { not_ok "--quiet still wrote to stderr"; show_file stderr err; } || ok "--quiet: nothing on stderr"

# k23 sites: text and JSON for the same sidecar.
"$K23" sites --cache cache /lib/x86_64-linux-gnu/libc.so.6 > sites.txt 2> sites.err
rc=$?
if [ $rc -eq 0 ] && grep -q "sidecar  .*$(build_id /lib/x86_64-linux-gnu/libc.so.6).k23" sites.txt &&
   grep -q '^  0x[0-9a-f]* syscall ' sites.txt; then
	ok "k23 sites libc: $(grep '^  sites' sites.txt | sed 's/^ *//')"
else
	not_ok "k23 sites libc: status $rc"
	show_file stdout sites.txt
	show_file stderr sites.err
fi
"$K23" sites --cache cache --json libc.so.6 > sites.json 2> sites.err
if $PY -c '
import json, sys
d = json.load(open("sites.json"))
s = d["sites"]
assert d["summary"]["sites"] == len(s) > 0, "site count"
assert all(x["kind"] in ("syscall", "sysenter") for x in s)
for x in s:
    p = x["plan"]
    if p:
        assert sum(i["length"] for i in p["insns"]) == p["length"] == len(p["bytes"]) // 2
        off = sum(i["length"] for i in p["insns"][:p["site_index"]])
        assert p["vaddr"] + off == x["vaddr"]
        assert p["bytes"][2 * off:2 * off + 4] in ("0f05", "0f34")
assert [x["vaddr"] for x in s] == sorted(x["vaddr"] for x in s)
print(len(s), "sites,", sum(1 for x in s if x["plan"]), "planned")
' > json.check 2>&1; then
	ok "k23 sites --json libc.so.6 (found through ld.so.cache): valid, plans consistent: $(cat json.check)"
else
	not_ok "k23 sites --json output"
	show_file check json.check
	show_file stderr sites.err
fi

# The same counts in both outputs and in prepare's summary.
total=$(sed -n 's/.*: \([0-9]*\) sites, .*/\1/p' out)
sum=0
for f in /bin/true /lib/x86_64-linux-gnu/libc.so.6 /lib64/ld-linux-x86-64.so.2; do
	c=$("$K23" sites --cache cache --json "$f" | $PY -c 'import json,sys; print(json.load(sys.stdin)["summary"]["sites"])')
	sum=$((sum + c))
done
[ "$sum" = "$total" ] && ok "per-object sites add up to the summary ($total)" ||
	not_ok "per-object sites add up to $sum, summary says $total"

# Cache locations: K23_CACHE, then $XDG_CACHE_HOME/k23, then ~/.cache/k23.
K23_CACHE=$PWD/envcache "$K23" prepare --quiet /bin/true > /dev/null 2>&1
[ "$(ls envcache | grep -c '\.k23$')" -eq 3 ] && ok "K23_CACHE chooses the cache" || not_ok "K23_CACHE ignored"
env -u K23_CACHE XDG_CACHE_HOME=$PWD/xdg "$K23" prepare --quiet /bin/true > /dev/null 2>&1
[ "$(ls xdg/k23 | grep -c '\.k23$')" -eq 3 ] && ok "XDG_CACHE_HOME/k23 by default" || not_ok "XDG_CACHE_HOME ignored"
env -u K23_CACHE -u XDG_CACHE_HOME HOME=$PWD/home "$K23" prepare --quiet /bin/true > /dev/null 2>&1
[ "$(ls home/.cache/k23 | grep -c '\.k23$')" -eq 3 ] && ok "~/.cache/k23 without XDG_CACHE_HOME" || not_ok "HOME default ignored"
env -u K23_CACHE -u XDG_CACHE_HOME HOME=$PWD/home "$K23" sites /bin/true > /dev/null 2>&1 &&
	ok "k23 sites finds the same default cache" || not_ok "k23 sites does not find the default cache"
finish
