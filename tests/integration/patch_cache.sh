# patch_cache.sh - the first start that patches an object in place keeps the result in the sidecar cache (<build-id>.<rt>-<offset>.patched: the object's bytes with its patched pages, then the stubs); later starts map that copy instead of patching again, with the same output and --stats; a copy is not used once the object, its sidecar or the copy itself changed, nor when another user owns it or a group or others may write it (patched in place again, and the copy written anew); concurrent first starts leave one whole copy; --prepare=never and --no-patch write none, --no-patch maps none; k23 cache prune removes a copy with its sidecar, all of them with --all.
. "$TESTS/lib.sh"
. "$TESTS/lib_patch.sh"

cat_bin=$(command -v cat)
# run-integration runs every test with K23_PREPARE=never, under which k23
# writes nothing to the cache, copies included (checked in 7): this test's
# runs may write, into a cache of its own.
export K23_PREPARE=now
fixture_tree fixture
run_native ls_native ls -l fixture/tree

# --no-patch: nothing is patched, so no copy is written or mapped; the
# program runs as natively.
if ! patching_on; then
	mkdir -p cache
	prepare_into cache "$cat_bin" "$(command -v ls)" || finish
	run_k23 maps1 --cache "$PWD/cache" -- "$cat_bin" /proc/self/maps
	run_k23 ls_k23 --cache "$PWD/cache" -- ls -l fixture/tree
	[ "$(ls cache | grep -c '\.patched')" = 0 ] && ok "--no-patch: no copy written" ||
		{ not_ok "--no-patch: copies written"; ls cache | sed 's/^/  | /'; }
	grep -q '\.patched$' maps1.out && not_ok "--no-patch: a copy is mapped" ||
		ok "--no-patch: no copy mapped"
	cmp -s ls_native.out ls_k23.out && cmp -s ls_native.rc ls_k23.rc &&
		ok "--no-patch: ls -l as natively" || not_ok "--no-patch: ls -l differs"
	finish
fi
command -v strace > /dev/null || skip "strace is not installed (make deps)"


# A program of the test's own, so that it can be changed: static, so its
# own text holds the sites (libc's), patched by k23's loader.
cp "$PROGS/static_hello" hello
mkdir -p cache
prepare_into cache ./hello || finish
id=$(build_id hello)
run_native native ./hello a b

# start TAG (start_run, then start_check): the program under k23 with --stats, its mmap/madvise/openat
# calls (and k23's) logged by strace in TAG.trace.
start_run()
{
	local tag=$1
	( strace -f -qq -o "$tag.trace" -e trace=openat,mmap,madvise \
		"$K23" run --stats -o "$tag.stats" --cache "$PWD/cache" -- ./hello a b \
		> "$tag.out" 2> "$tag.err"; echo $? > "$tag.rc" ) 2> /dev/null
}
start_check()
{
	local tag=$1
	if cmp -s native.out "$tag.out" && cmp -s native.rc "$tag.rc" &&
		grep -v '^k23 stats' "$tag.err" | cmp -s native.err -; then
		ok "$tag: output, stderr and status as natively"
	else
		not_ok "$tag: differs from the native run"
		diff native.out "$tag.out" | head -5
		show_file "stderr" "$tag.err"
	fi
	read_stats "$tag" "$tag.stats" "$tag.err" > /dev/null
}
start() { start_run "$1"; start_check "$1"; }

# in_place_writes TRACE: the madvise(MADV_POPULATE_WRITE) calls over text
# mapped from a file, which make its pages writable copies (k23 populates
# its own stack and thread areas so too: those are not counted).
in_place_writes()
{
	local texts a t
	texts=$(sed -n 's/.*mmap([^,]*, \([0-9]*\), PROT_READ|PROT_EXEC, [^,]*, [0-9][0-9]*, [^)]*) = \(0x[0-9a-f]*\)$/\2:\1/p' "$1")
	grep 'MADV_POPULATE_WRITE' "$1" | while IFS= read -r line; do
		a=${line#*madvise(}; a=${a%%,*}
		for t in $texts; do
			[ $((a)) -ge $((${t%:*})) ] && [ $((a)) -lt $((${t%:*} + ${t#*:})) ] &&
				{ echo "$line"; continue 2; }
		done
	done
}

# copy_used TAG: 1 if that start mapped the program's copy (a successful
# open of it, no page of the program made writable and copied).
copy_used()
{
	if grep -q "$id\\.[0-9a-f]*-[0-9]*\\.patched\", .* = [0-9]" "$1.trace" &&
		[ -z "$(in_place_writes "$1.trace")" ]; then
		echo 1
	else
		echo 0
	fi
}
copies() { ls cache | grep -c "^$id\\.[0-9a-f]*-[0-9]*\\.patched\$"; }

# 1. The first start patches in place and writes the copy.
start first
sites=$ST_SITES_PATCHED
noplan=$ST_SKIP_NO_PLAN
[ "$sites" -gt 0 ] && ok "first start: $sites sites patched" || not_ok "first start: nothing patched: $(stats_line)"
[ "$(copy_used first)" = 0 ] && [ -n "$(in_place_writes first.trace)" ] &&
	ok "first start: patched in place" || not_ok "first start: not patched in place"
[ "$(copies)" = 1 ] && ok "first start: the copy is in the cache" ||
	{ not_ok "first start: $(copies) copies of the program in the cache"; ls -l cache | sed 's/^/  | /'; }
copy=cache/$(ls cache | grep "^$id\\..*\\.patched\$" | head -1)

# The copy is the object's file byte for byte, but inside its executable
# segment (the patched pages), then the stubs and the trailer.
size=$(stat -c %s hello)
read -r text_off text_len <<EOF
$(readelf -lW hello | awk '$1 == "LOAD" && / R E / { print $2, $5; exit }')
EOF
text_off=$((text_off)) text_len=$((text_len))
outside=$(cmp -l -n "$size" hello "$copy" 2> /dev/null |
	awk -v lo="$text_off" -v hi="$((text_off + text_len))" '$1 - 1 < lo || $1 - 1 >= hi { n++ } END { print n + 0 }')
inside=$(cmp -l -n "$size" hello "$copy" 2> /dev/null | wc -l)
[ "$outside" = 0 ] && [ "$inside" -gt 0 ] &&
	ok "the copy differs from the program in $inside bytes, all in its executable segment" ||
	not_ok "the copy differs from the program in $inside bytes, $outside outside its executable segment"
[ "$(stat -c %s "$copy")" -gt "$size" ] && ok "stubs and trailer follow the object's bytes" ||
	not_ok "the copy is not longer than the program"

# 2. The next start maps it: same behaviour, same figures.
start second
[ "$(copy_used second)" = 1 ] && ok "second start: maps the copy, patches nothing in place" ||
	{ not_ok "second start: the copy is not used"; grep -E 'patched|MADV' second.trace | head -5; }
[ "$ST_SITES_PATCHED" = "$sites" ] && [ "$ST_SKIP_NO_PLAN" = "$noplan" ] && [ "$ST_CALLS_PATCHED" -gt 0 ] &&
	ok "second start: --stats as in the first ($sites sites, $ST_CALLS_PATCHED calls through them)" ||
	not_ok "second start: $(stats_line), first had $sites sites patched, $noplan without plan"

# 3. A changed program (its ctime and mtime: touch) is not mapped from the
# copy; the start patches in place and writes the copy again.
sleep 1
touch hello
start touched
[ "$(copy_used touched)" = 0 ] && [ "$ST_SITES_PATCHED" = "$sites" ] &&
	ok "changed program: patched in place, not from the copy" ||
	not_ok "changed program: the copy was used ($(stats_line))"
start after_touch
[ "$(copy_used after_touch)" = 1 ] && ok "changed program: the copy written anew is used next" ||
	not_ok "changed program: no new copy used"

# 4. A sidecar prepared anew (a new file) voids the copy.
rm -f "$(sidecar_of cache hello)"
prepare_into cache ./hello || finish
start reprepared
[ "$(copy_used reprepared)" = 0 ] && [ "$ST_SITES_PATCHED" = "$sites" ] &&
	ok "new sidecar: patched in place, not from the copy" || not_ok "new sidecar: the copy was used"

# 5. A copy that was cut short, whose trailer was overwritten, or whose
# text or stubs were damaged is not used (its content is hashed once its
# stamp no longer names it), and is replaced; the copy written anew is
# used by the start after.
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2> /dev/null; }
start warm
for how in short magic field text stubs; do
	copy=cache/$(ls cache | grep "^$id\\..*\\.patched\$" | head -1)
	end=$(stat -c %s "$copy")
	case $how in
	short) truncate -s -4096 "$copy" ;;
	magic) poke "$copy" $((end - 4096)) 'K23PTXT0' ;;
	field) poke "$copy" $((end - 4096 + 184)) '\377' ;;	# the --stats figures: only its hash says
	text) poke "$copy" $((text_off + text_len / 2)) '\314\314\314\314' ;;
	stubs) poke "$copy" $(((size + 4095) / 4096 * 4096 + 8)) '\314\314' ;;
	esac
	start "bad_$how"
	[ "$(copy_used "bad_$how")" = 0 ] && [ "$ST_SITES_PATCHED" = "$sites" ] &&
		ok "copy damaged ($how): not used, patched in place" || not_ok "copy damaged ($how): used"
	start "after_$how"
	[ "$(copy_used "after_$how")" = 1 ] && ok "copy damaged ($how): the copy written anew is used next" ||
		not_ok "copy damaged ($how): no new copy used"
done

# 5b. A copy another user owns, or that a group or others may write, is
# not trusted (it is code: its hashes are checksums, not a signature), even
# whole and with its content hashed; the start patches in place and writes
# its own copy, which the start after uses.
for how in owner group other; do
	copy=cache/$(ls cache | grep "^$id\\..*\\.patched\$" | head -1)
	case $how in
	owner) chown 65534 "$copy" ;;
	group) chmod g+w "$copy" ;;
	other) chmod o+w "$copy" ;;
	esac
	start "foreign_$how"
	[ "$(copy_used "foreign_$how")" = 0 ] && [ "$ST_SITES_PATCHED" = "$sites" ] &&
		ok "copy not trusted ($how): not used, patched in place" || not_ok "copy not trusted ($how): used"
	start "after_foreign_$how"
	[ "$(copy_used "after_foreign_$how")" = 1 ] &&
		[ "$(stat -c %u "cache/$(ls cache | grep "^$id\\..*\\.patched\$" | head -1)")" = "$(id -u)" ] &&
		ok "copy not trusted ($how): k23's own copy replaces it and is used next" ||
		not_ok "copy not trusted ($how): no own copy used next"
done

# 6. The copy's stamp gone: the copy is hashed, found whole, used, and
# stamped again.
rm -f cache/*.patched.seen
start unstamped
[ "$(copy_used unstamped)" = 1 ] && [ "$(ls cache | grep -c '\.patched\.seen$')" -ge 1 ] &&
	ok "no stamp: the copy is checked, used and stamped" || not_ok "no stamp: the copy is not used"

# 7. --prepare=never writes no copy (nor stamp); concurrent first starts:
# each patches in place or maps a whole copy, all behave as natively, and
# one copy is left, no temporary file.
rm -f cache/*.patched cache/*.patched.seen
K23_PREPARE=never start never
[ "$(ls cache | grep -c '\.patched')" = 0 ] && ok "--prepare=never: no copy written" ||
	{ not_ok "--prepare=never wrote a copy"; ls cache | sed 's/^/  | /'; }
for i in 1 2 3 4 5 6; do start_run "conc$i" & done
wait
for i in 1 2 3 4 5 6; do start_check "conc$i"; done
[ "$(copies)" = 1 ] && [ "$(ls cache | grep -c '\.tmp')" = 0 ] &&
	ok "concurrent first starts: one copy, no temporary file left" ||
	{ not_ok "concurrent first starts: $(copies) copies"; ls -l cache | sed 's/^/  | /'; }
start after_conc
[ "$(copy_used after_conc)" = 1 ] && [ "$ST_SITES_PATCHED" = "$sites" ] &&
	ok "after concurrent first starts: the copy is used" || not_ok "after concurrent first starts: the copy is not used"

# 8. A dynamic program: libc's text comes from its copy in later starts,
# which /proc/self/maps names, and its output is the native one.
prepare_into cache "$cat_bin" "$(command -v ls)" || finish
"$K23" run --cache "$PWD/cache" -- "$cat_bin" /proc/self/maps > maps1.out 2>&1
"$K23" run --cache "$PWD/cache" -- "$cat_bin" /proc/self/maps > maps2.out 2>&1
libc_id=$(build_id "$(awk '/libc\.so/ { print $NF; exit }' maps1.out)")
if grep -q "r-xp .*/$libc_id\\.[0-9a-f]*-[0-9]*\\.patched\$" maps2.out; then
	ok "libc's text is mapped from its copy in the next start"
else
	not_ok "libc's text is not mapped from a copy"
	show_file "maps" maps2.out
fi
# Twice: the first start writes ls's own copy, the second maps it too.
run_k23 ls_k23 --cache "$PWD/cache" -- ls -l fixture/tree
run_k23 ls_k23 --cache "$PWD/cache" -- ls -l fixture/tree
cmp -s ls_native.out ls_k23.out && cmp -s ls_native.rc ls_k23.rc &&
	ok "ls -l with libc from its copy: as natively" || not_ok "ls -l with libc from its copy differs"

# 9. k23 cache prune: a copy stays while its sidecar does, goes (with its
# stamp) when the sidecar is gone; prune --all removes every copy.
ncopies() { ls cache | grep -c '\.patched$'; }
before=$(ncopies)
"$K23" cache --cache "$PWD/cache" prune > prune1.out 2>&1
[ "$(ncopies)" = "$before" ] && [ "$before" -gt 1 ] && ok "prune keeps the $before copies whose sidecar is there" ||
	{ not_ok "prune: $before copies before, $(ncopies) after"; show_file out prune1.out; }
rm -f "$(sidecar_of cache hello)"
"$K23" cache --cache "$PWD/cache" prune > prune2.out 2>&1
[ "$(copies)" = 0 ] && [ "$(ls cache | grep -c "^$id\\..*\\.patched\\.seen\$")" = 0 ] &&
	[ "$(ncopies)" = $((before - 1)) ] && ! grep -q "[1-9][0-9]* files\? not k23's" prune2.out &&
	ok "prune removes the copy (and its stamp) of a sidecar that is gone, nothing else" ||
	{ not_ok "prune after the sidecar went: $(copies) copies of it, $(ncopies) in all"; show_file out prune2.out; }
"$K23" cache --cache "$PWD/cache" prune --all > prune3.out 2>&1
[ "$(ls cache | grep -c '\.patched')" = 0 ] && ok "prune --all removes every copy and stamp" ||
	{ not_ok "prune --all left copies"; ls cache | sed 's/^/  | /'; }
finish
