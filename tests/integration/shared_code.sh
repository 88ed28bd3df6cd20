# shared_code.sh - code run from a MAP_SHARED mapping (a code file opened read-write, a JIT cache, a memfd) is never patched: the file stays byte for byte as it was, the program (and a fork child sharing the mapping) runs as natively, and the skipped sites are counted in --stats; a private mapping of the same file is still patched.
. "$TESTS/lib.sh"
. "$TESTS/lib_patch.sh"
p="$PROGS/shared_code"
lib="$PROGS/libpatch_dl.so"
m=1000

prepare_into cache "$lib"
keep_only_sidecars cache "$lib"
mkdir -p empty
[ -s "$(sidecar_of cache "$lib")" ] && ok "sidecar of $lib prepared" ||
	not_ok "no sidecar of $lib in cache: the sidecar runs check nothing"
want=$(sha256sum < "$lib")

# same_file WHAT FILE: FILE holds exactly the bytes of $lib.
same_file()
{
	[ "$(sha256sum < "$2")" = "$want" ] && ok "$1: $2 unchanged (sha256 as $lib)" ||
		{ not_ok "$1: $2 differs from $lib"; cmp "$lib" "$2" | head -n 3 | sed 's/^/  /'; }
}

# Every way in, each catch-all: output, status and files as natively. The
# program itself also checks its file (it prints "file unchanged").
for ca in seccomp sud; do
	for c in cache empty; do
		for fl in rw,shared rw,validate ro,shared rw,shared,fork rw,private,fork; do
			# Every file the run maps is checked too (tests/lib.sh,
			# guard_begin), where the program writes its code file.
			GUARD_MAPPED=0
			[ $ca = seccomp ] && [ "${fl#rw,shared}" != "$fl" ] && GUARD_MAPPED=1
			compare_run --catch-all=$ca --cache "$PWD/$c" -- "$p" elf "$lib" code.so $m $fl
			same_file "elf $fl, --catch-all=$ca, cache $c" code.so
		done
	done
	for fl in rw,shared ro,shared rw,shared,fork rw,private,fork; do
		GUARD_MAPPED=0
		[ $ca = seccomp ] && [ "$fl" = rw,shared,fork ] && GUARD_MAPPED=1
		compare_run --catch-all=$ca --cache "$PWD/empty" -- "$p" jit code.jit $m $fl
	done
	compare_run --catch-all=$ca -- "$p" memfd $m rw,shared,fork
done
GUARD_MAPPED=0
grep -q "^file unchanged" native.out && ok "the program reports on its file" ||
	not_ok "the program printed no \"file unchanged\": the file checks check nothing"

# The skipped sites are counted, and the extra calls of a shared mapping are
# all trapped; a private mapping's go through patched sites.
if patching_on; then
	for c in cache empty; do
		stats_delta --cache "$PWD/$c" -- "$p" elf "$lib" code.so -- 0 rw,shared -- $m rw,shared || continue
		if [ "$D_TRAPPED" -ge $((2 * m)) ] && [ "$D_PATCHED" = 0 ] && [ "$ST_SKIP_SHARED" -ge 1 ]; then
			ok "elf rw,shared, cache $c: the $((2 * m)) extra calls trapped, $ST_SKIP_SHARED sites skipped as shared; $(delta_line)"
		else
			not_ok "elf rw,shared, cache $c: want the $((2 * m)) extra calls trapped and sites skipped as shared ($ST_SKIP_SHARED): $(delta_line)"
		fi
		stats_consistent "elf rw,shared, cache $c"
	done
	# With the sidecar both sites are patched at load; without it the
	# getpgrp site (mov $111,%eax; syscall) lazily, getpgid never.
	stats_delta --cache "$PWD/cache" -- "$p" elf "$lib" code.so -- 0 rw,private -- $m rw,private &&
		{ [ "$D_PATCHED" -ge $((2 * m)) ] && [ "$ST_SKIP_SHARED" = 0 ] &&
		ok "elf rw,private, sidecar: the $((2 * m)) extra calls patched; $(delta_line)" ||
		not_ok "elf rw,private, sidecar: want the $((2 * m)) extra calls patched, none skipped as shared ($ST_SKIP_SHARED): $(delta_line)"; }
	stats_delta --cache "$PWD/empty" -- "$p" jit code.jit -- 0 rw,private -- $m rw,private &&
		{ [ "$D_PATCHED" -ge $((m - 1)) ] && [ "$D_LAZY" -ge 1 ] && [ "$ST_SKIP_SHARED" = 0 ] &&
		ok "jit rw,private: patched lazily at its first trap; $(delta_line)" ||
		not_ok "jit rw,private: want the site patched lazily, the extra calls through it, none skipped as shared ($ST_SKIP_SHARED): $(delta_line)"; }
	stats_delta --cache "$PWD/empty" -- "$p" jit code.jit -- 0 rw,shared -- $m rw,shared &&
		{ [ "$D_TRAPPED" -ge $m ] && [ "$D_PATCHED" -lt 10 ] && [ "$ST_SKIP_SHARED" = 1 ] &&
		ok "jit rw,shared: not patched, counted once as shared; $(delta_line)" ||
		not_ok "jit rw,shared: want the $m extra calls trapped, one site skipped as shared ($ST_SKIP_SHARED): $(delta_line)"; }
fi
finish
