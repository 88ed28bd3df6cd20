# prepare_bad_input.sh - bad programs, caches and command lines for `k23 prepare` and `k23 sites`: one "k23: " line, the shell's exit codes, nothing half-written.
. "$TESTS/lib.sh"

# Bad ELFs, made from /bin/true.
cp /bin/true trunc-header && truncate -s 40 trunc-header
cp /bin/true trunc-phdrs && truncate -s 100 trunc-phdrs
cp /bin/true trunc-body && truncate -s 8192 trunc-body
cp /bin/true arm && printf '\050\000' | dd of=arm bs=1 seek=18 conv=notrunc status=none
cp /bin/true elf32 && printf '\001' | dd of=elf32 bs=1 seek=4 conv=notrunc status=none
cp /bin/true huge-phnum && printf '\377\377' | dd of=huge-phnum bs=1 seek=56 conv=notrunc status=none
cp /bin/true bad-phoff && printf '\377\377\377\177' | dd of=bad-phoff bs=1 seek=32 conv=notrunc status=none
printf 'just text\n' > text
# a #! script is prepared as its interpreter (prepare_shebang.sh): here one
# that is not ELF
printf '#!%s/elf32\necho hi\n' "$PWD" > script.sh
: > empty
mkdir dir
chmod +x trunc-* arm elf32 huge-phnum bad-phoff text script.sh empty

C="--cache $PWD/cache"
expect_k23_error 127 "prepare: missing program (path)" prepare $C ./no-such-program
expect_k23_error 127 "prepare: missing program (PATH)" prepare $C no-such-program-k23
expect_k23_error 126 "prepare: directory" prepare $C ./dir
expect_k23_error 126 "prepare: text file" prepare $C ./text
expect_k23_error 126 "prepare: #! script of a 32-bit interpreter" prepare --quiet $C ./script.sh
expect_k23_error 126 "prepare: empty file" prepare $C ./empty
expect_k23_error 126 "prepare: 32-bit ELF" prepare $C ./elf32
expect_k23_error 126 "prepare: ELF for ARM" prepare $C ./arm
expect_k23_error 126 "prepare: truncated in its header" prepare $C ./trunc-header
expect_k23_error 126 "prepare: truncated in its program headers" prepare $C ./trunc-phdrs
expect_k23_error 126 "prepare: truncated in its segments" prepare $C ./trunc-body
expect_k23_error 126 "prepare: 65535 program headers" prepare $C ./huge-phnum
expect_k23_error 126 "prepare: program headers past the end" prepare $C ./bad-phoff
[ -e cache ] && { not_ok "a cache was created for programs that cannot be prepared"; ls -la cache; } ||
	ok "no cache created for unusable programs"

# Caches that cannot be used: one error, before any work.
: > a-file
expect_k23_error 1 "prepare: cache is a file" prepare --cache ./a-file /bin/true
expect_k23_error 1 "prepare: cache under a file" prepare --cache ./a-file/sub /bin/true
expect_k23_error 1 "prepare: cache in /proc (not creatable)" prepare --cache /proc/k23-cache /bin/true
expect_k23_error 1 "prepare: cache not writable" prepare --cache /proc/self /bin/true
saved_home=${HOME-}
unset HOME XDG_CACHE_HOME K23_CACHE
expect_k23_error 1 "prepare: no cache location at all (no HOME)" prepare /bin/true
export HOME=$saved_home

# Command lines.
expect_k23_error 2 "prepare: no program" prepare
expect_k23_error 2 "prepare: unknown option" prepare --frobnicate /bin/true
expect_k23_error 2 "prepare: --cache without a directory" prepare --cache
expect_k23_error 2 "prepare: two programs" prepare $C /bin/true /bin/false
expect_k23_error 2 "sites: no file" sites
expect_k23_error 2 "sites: unknown option" sites --frobnicate /bin/true
expect_k23_error 2 "sites: two files" sites $C /bin/true /bin/false
expect_k23_error 127 "sites: missing file" sites $C ./no-such-file
expect_k23_error 126 "sites: truncated ELF" sites $C ./trunc-body
expect_k23_error 1 "sites: not prepared" sites $C /bin/true

# A library of the closure that is damaged: named, the rest prepared.
if command -v gcc > /dev/null; then
	mkdir -p libs
	cp /lib/x86_64-linux-gnu/libz.so.1 libs/libz.so.1 && truncate -s 20000 libs/libz.so.1
	# A call into libz, or --as-needed drops the DT_NEEDED.
	printf 'const char *zlibVersion(void);\nint main(void) { return !zlibVersion(); }\n' > m.c
	gcc -o needs-z m.c -lz || not_ok "building a program linked with libz"
	LD_LIBRARY_PATH=$PWD/libs "$K23" prepare --quiet $C ./needs-z > out 2> err
	rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q 'libs/libz.so.1 (needed by ./needs-z): ' err &&
	   grep -q '1 failed' out; then
		ok "damaged library in the closure: \"$(cat err)\""
	else
		not_ok "damaged library in the closure: status $rc"
		show_file stderr err
		show_file stdout out
	fi
fi
# A missing interpreter: named as such, the rest prepared.
cp /bin/true bad-interp
sed -i 's|/lib64/ld-linux-x86-64.so.2|/lib64/ld-linux-x86-64.so.X|' bad-interp
"$K23" prepare --quiet $C ./bad-interp > out 2> err
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] &&
   grep -q '^k23: /lib64/ld-linux-x86-64.so.X (interpreter of ./bad-interp): not found$' err; then
	ok "missing interpreter: \"$(cat err)\""
else
	not_ok "missing interpreter: status $rc"
	show_file stderr err
fi

ls -A cache | grep -v '\.\(k23\|seen\)$' > leftovers
[ -s leftovers ] && { not_ok "temporary files left in the cache"; show_file leftovers leftovers; } ||
	ok "nothing but whole sidecars in the cache"
finish
