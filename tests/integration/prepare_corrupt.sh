# prepare_corrupt.sh - damaged sidecars are rejected with one clear line, and `k23 prepare` replaces them.
. "$TESTS/lib.sh"

"$K23" prepare --quiet --cache cache /bin/true > /dev/null 2> err || { not_ok "prepare /bin/true"; show_file stderr err; }
id=$(readelf -n /lib/x86_64-linux-gnu/libc.so.6 | sed -n 's/.*Build ID: *//p')
sc=cache/$id.k23
cp "$sc" good.k23
size=$(stat -c %s good.k23)

# expect_corrupt WHAT: k23 sites of libc fails, one line naming the sidecar.
expect_corrupt()
{
	"$K23" sites --cache cache /lib/x86_64-linux-gnu/libc.so.6 > out 2> err
	rc=$?
	if [ $rc -eq 1 ] && [ ! -s out ] && [ "$(wc -l < err)" -eq 1 ] &&
	   grep -q "^k23: .*$id.k23: corrupt sidecar (.*)" err; then
		ok "$1: \"$(cat err)\""
	else
		not_ok "$1: status $rc"
		show_file stdout out
		show_file stderr err
	fi
}

# flip OFFSET: one byte of the good copy changed.
flip()
{
	cp good.k23 "$sc"
	b=$(od -An -tu1 -j "$1" -N1 good.k23 | tr -d ' ')
	printf "\\$(printf %03o $(((b + 1) % 256)))" | dd of="$sc" bs=1 seek="$1" conv=notrunc status=none
}

flip 0;			expect_corrupt "bad magic"
flip 8;			expect_corrupt "other version"
flip 20;		expect_corrupt "file size field"
flip 200;		expect_corrupt "a byte of a site record"
flip $((size - 2));	expect_corrupt "a byte of the string table"
cp good.k23 "$sc" && truncate -s $((size / 2)) "$sc";	expect_corrupt "truncated to half"
cp good.k23 "$sc" && truncate -s 100 "$sc";		expect_corrupt "truncated inside the header"
: > "$sc";						expect_corrupt "empty"
head -c "$size" /dev/urandom > "$sc";			expect_corrupt "random bytes"
cp good.k23 "$sc" && printf 'junk' >> "$sc";		expect_corrupt "trailing bytes"

# prepare notices, warns and replaces it; sites works again.
"$K23" prepare --quiet --cache cache /bin/true > out 2> err
rc=$?
if [ $rc -eq 0 ] && grep -q "replacing corrupt sidecar .*$id.k23" err && cmp -s "$sc" good.k23; then
	ok "prepare replaces the corrupt sidecar (with a warning), same bytes as before"
else
	not_ok "prepare over a corrupt sidecar: status $rc"
	show_file stderr err
fi
"$K23" sites --cache cache /lib/x86_64-linux-gnu/libc.so.6 > /dev/null 2> err && [ ! -s err ] &&
	ok "k23 sites works again" || { not_ok "k23 sites after repair"; show_file stderr err; }

# A directory where the sidecar should be: reported like any other damage
# (sidecar_not_regular.sh covers FIFOs and links to devices).
rm "$sc" && mkdir "$sc"
expect_corrupt "a directory in its place"
finish
