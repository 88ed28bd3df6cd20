# prepare_stale.sh - a sidecar whose object changed is stale: `k23 sites` says so and fails, `k23 prepare` replaces it; a touch alone changes nothing.
. "$TESTS/lib.sh"

# expect_stale WHAT FILE: k23 sites fails with one "stale" line, no output.
expect_stale()
{
	"$K23" sites --cache cache "$2" > out 2> err
	rc=$?
	if [ $rc -eq 1 ] && [ ! -s out ] && [ "$(wc -l < err)" -eq 1 ] && grep -q '^k23: .*stale' err; then
		ok "$1: status 1, \"$(cat err)\""
	else
		not_ok "$1: status $rc"
		show_file stdout out
		show_file stderr err
	fi
}

expect_fresh()
{
	if "$K23" sites --cache cache "$2" > out 2> err && [ ! -s err ] && grep -q '^  sites ' out; then
		ok "$1"
	else
		not_ok "$1"
		show_file stderr err
	fi
}

# A copied library, prepared by itself (a library may be named directly).
cp /lib/x86_64-linux-gnu/libz.so.1 ./libz.so.1
"$K23" prepare --quiet --cache cache ./libz.so.1 > prep.out 2> prep.err ||
	{ not_ok "prepare ./libz.so.1"; show_file stderr prep.err; }
expect_fresh "fresh sidecar for the copy" ./libz.so.1

# touch: same bytes, so the sidecar still describes it.
sleep 1
touch ./libz.so.1
expect_fresh "touch alone: still fresh (identity is content, not time)" ./libz.so.1

# Changed bytes, same build-id (one byte of its last section, the section
# headers, which are not loaded): the content hash tells.
size=$(stat -c %s libz.so.1)
printf '\001' | dd of=libz.so.1 bs=1 seek=$((size - 1)) conv=notrunc status=none
expect_stale "one byte changed, build-id kept" ./libz.so.1
# Grown by a byte.
cp /lib/x86_64-linux-gnu/libz.so.1 ./libz.so.1 && printf 'x' >> libz.so.1
expect_stale "one byte appended" ./libz.so.1

# prepare replaces the stale sidecar (libc and ld.so, which libz needs, are
# up to date); the system copy then is the stale one (same build-id, one
# sidecar name: the last prepared wins).
"$K23" prepare --quiet --cache cache ./libz.so.1 > prep.out 2> prep.err &&
	grep -q '(1 prepared, 2 up to date)' prep.out && ok "prepare again: re-scanned" ||
	{ not_ok "prepare again"; show_file stdout prep.out; show_file stderr prep.err; }
expect_fresh "fresh again after prepare" ./libz.so.1
expect_stale "the original with the same build-id now differs" /lib/x86_64-linux-gnu/libz.so.1

# Without a build-id the sidecar is named by content hash: a changed file
# has no sidecar under its new name, found stale through its path.
if command -v gcc > /dev/null; then
	printf 'int main(void) { return 0; }\n' > nb.c
	gcc -Wl,--build-id=none -o nb nb.c || not_ok "building a program without build-id"
	"$K23" prepare --quiet --cache cache ./nb > /dev/null 2> prep.err || { not_ok "prepare ./nb"; show_file stderr prep.err; }
	ls cache | grep -q '^h[0-9a-f]\{16\}\.k23$' && ok "no build-id: sidecar named h<hash>.k23" ||
		not_ok "no h<hash>.k23 sidecar"
	expect_fresh "fresh sidecar without build-id" ./nb
	printf 'x' >> nb
	expect_stale "no build-id, changed" ./nb
fi
finish
