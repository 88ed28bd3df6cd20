# prepare_cache_cmd.sh - `k23 cache list|verify|prune`: entries and the objects they were made for; a sidecar of a changed or removed object is stale; prune removes only what k23 made, --all empties; bad input.
. "$TESTS/lib.sh"

# The objects: copies, so that changing them touches nothing else.
cp /bin/true ./mytrue
cp "$(readlink -f /bin/sh)" ./mysh
"$K23" prepare --quiet --cache c ./mytrue > /dev/null 2>&1
"$K23" prepare --quiet --cache c ./mysh > /dev/null 2>&1
id_of() { readelf -n "$1" | sed -n 's/.*Build ID: *//p'; }
true_id=$(id_of ./mytrue) sh_id=$(id_of ./mysh) libc_id=$(id_of "$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)")

# list: one line per sidecar, with the path it was made for and its sites
# (the same number `k23 sites` reports).
"$K23" cache --cache c list > list.out 2> list.err
sites=$("$K23" sites --cache c ./mysh | sed -n 's/^  sites *\([0-9]*\).*/\1/p' | head -n 1)
if [ $? = 0 ] && [ ! -s list.err ] && grep -q "^$true_id .* $PWD/mytrue$" list.out &&
   grep -Eq "^$sh_id +$sites .* $PWD/mysh$" list.out && grep -q "^$libc_id " list.out &&
   [ "$(grep -c '\.so' list.out)" -ge 1 ]; then
	ok "list: each sidecar with its object ($(($(wc -l < list.out) - 2)) entries)"
else
	not_ok "list"
	show_file stdout list.out
	show_file stderr list.err
fi

"$K23" cache --cache c verify > v1.out 2>&1 && ! grep -q "^stale" v1.out &&
	ok "verify: all fit, status 0" || { not_ok "verify of a fresh cache"; show_file out v1.out; }

# An upgrade: another binary in mytrue's place; mysh removed.
cp /bin/false ./mytrue
rm ./mysh
"$K23" cache --cache c verify > v2.out 2>&1
rc=$?
if [ $rc = 1 ] && grep -q "^stale *$true_id .*mytrue now has another build-id" v2.out &&
   grep -q "^stale *$sh_id .*mysh is gone" v2.out && grep -q "^ok *$libc_id" v2.out; then
	ok "verify: the changed and the removed object's sidecars are stale, status 1"
else
	not_ok "verify after changes (status $rc)"
	show_file out v2.out
fi

# Things prune must leave alone or clean up.
echo "not a sidecar" > c/notmine.k23
echo "mine" > c/notes.txt
: > c/.0123abcd.k23.AbCdEf	# an interrupted writer's temporary sidecar...
touch -d '10 minutes ago' c/.0123abcd.k23.AbCdEf
: > c/.fresh.k23.XyZ123		# ...and one being written now
: > "c/$true_id.lock"		# a k23 prepare killed while it held the object
"$K23" cache --cache c prune > p.out 2>&1
rc=$?
bad=""
[ $rc = 0 ] || bad="$bad status $rc;"
for f in "$true_id.k23" "$true_id.seen" "$sh_id.k23" "$sh_id.seen" .0123abcd.k23.AbCdEf; do
	[ ! -e "c/$f" ] || bad="$bad $f kept;"
done
for f in "$libc_id.k23" notmine.k23 notes.txt .fresh.k23.XyZ123; do
	[ -e "c/$f" ] || bad="$bad $f removed;"
done
[ -e "c/$true_id.lock" ] && bad="$bad a killed preparer's object lock left;"
grep -q "removed $true_id.k23: .*another build-id" p.out || bad="$bad no word of $true_id;"
if [ -z "$bad" ]; then
	ok "prune: stale sidecars, their stamps, object locks and old temporary files removed; the rest kept"
else
	not_ok "prune:$bad"
	show_file out p.out
	ls -la c
fi
"$K23" cache --cache c verify > v3.out 2>&1 && ok "verify after prune: status 0" ||
	{ not_ok "verify after prune"; show_file out v3.out; }
"$K23" cache --cache c list > list2.out 2>&1
grep -q "not a k23 sidecar" list2.out && ok "list names a foreign *.k23 file" ||
	{ not_ok "list of a foreign file"; show_file out list2.out; }

# While a k23 prepare works (holding the directory's lock shared), --all refuses and
# a prune keeps the locks.
exec 7< c
flock -s 7
expect_k23_error 1 "prune --all while a prepare works" cache --cache c prune --all
: > "c/$libc_id.lock"
"$K23" cache --cache c prune > p2.out 2>&1 && [ -e "c/$libc_id.lock" ] &&
	grep -q "a k23 prepare is at work" p2.out && ok "prune while a prepare works: its lock kept" ||
	{ not_ok "prune while a prepare works"; show_file out p2.out; }
exec 7<&-
"$K23" cache --cache c prune --all > all.out 2>&1
left=$(cd c && ls -A | sort | tr '\n' ' ')
if [ $? = 0 ] && [ "$left" = "notes.txt notmine.k23 " ]; then
	ok "prune --all: only the files k23 did not make are left"
else
	not_ok "prune --all left: $left"
	show_file out all.out
fi

# Bad input: one line, status 2.
expect_k23_error 2 "cache: unknown action" cache --cache c frob
expect_k23_error 2 "cache: no action" cache --cache c
expect_k23_error 2 "cache: --all with list" cache --cache c list --all
expect_k23_error 2 "cache: unknown option" cache --cache c list --frob
expect_error_line 1 "cache: verify of a cache that does not exist" \
	"^k23: cache: $PWD/none: No such file or directory" cache --cache "$PWD/none" verify
out=$("$K23" cache --cache none list 2>&1)
[ $? = 0 ] && [ "$out" = "k23 cache: none does not exist: empty" ] && [ ! -e none ] &&
	ok "cache list of a cache that does not exist: empty, status 0, nothing made" ||
	not_ok "cache list of a missing cache: $out"
"$K23" cache --help > help.out 2>&1 && grep -q "^usage: k23 cache" help.out &&
	grep -q "prune --all" help.out && ok "cache --help: status 0, the usage" ||
	{ not_ok "cache --help"; show_file out help.out; }
finish
