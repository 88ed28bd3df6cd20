# virt_libs.sh - libraries: a bundle replaces the system's libz (ld.so's own search: DT_NEEDED) and libbz2 (dlopen by name) for one executable only: its output and /proc/self/maps as natively with LD_LIBRARY_PATH=BUNDLE, a sibling executable started through sh -c gets the system's, other executables are untouched; `k23 prepare --policy` gives the bundle's library a sidecar and it is patched at load.
. "$TESTS/lib.sh"
. "$TESTS/lib_patch.sh"

[ -x "$PROGS/vlib_prog" ] && [ -f "$PROGS/libvlib_stub.so" ] ||
	{ not_ok "build/tests/progs/vlib_prog and libvlib_stub.so (make progs)"; finish; }
# The bundle: a library of the test's own in place of libz.so.1 and
# libbz2.so.1.0, whose functions say "bundle".
mkdir bundle
cp "$PROGS/libvlib_stub.so" bundle/libz.so.1
cp "$PROGS/libvlib_stub.so" bundle/libbz2.so.1.0
B=$(realpath bundle)
# Two copies of the program: the bundle binds the file of the first only.
cp "$PROGS/vlib_prog" vlib_prog
cp "$PROGS/vlib_prog" vlib_sib
here=$(realpath .)
cat > libs.yaml <<Y
libraries:
  - exe: $here/vlib_prog
    bundle: $B
Y
cat > other.yaml <<Y
libraries:
  - exe: $(realpath /usr/bin/true)
    bundle: $B
Y
cat > sib.yaml <<Y
libraries:
  - exe: $here/vlib_sib
    bundle: $B
Y

# same_as_native WHAT: the native.* and k23.* files of the last two runs agree.
same_as_native()
{
	if cmp -s native.out k23.out && cmp -s native.err k23.err && cmp -s native.rc k23.rc; then
		ok "$1: same output and status as natively"
	else
		not_ok "$1: output differs from the native run"
		diff native.out k23.out | head -20 | sed 's/^/  /'
		show_file "k23 stderr" k23.err
	fi
}

# With the bundle: the mapped executable as natively under LD_LIBRARY_PATH,
# the sibling (which vlib_prog starts without LD_LIBRARY_PATH) as without.
run_native native env LD_LIBRARY_PATH="$B" ./vlib_prog main ./vlib_sib
run_k23 k23 --policy libs.yaml -- ./vlib_prog main ./vlib_sib
same_as_native "libraries: for vlib_prog"
grep -qx "main: zlibVersion bundle" k23.out && grep -qx "main: maps $B/libz.so.1" k23.out &&
	ok "DT_NEEDED libz.so.1 (ld.so's own search) is the bundle's; /proc/self/maps shows $B/libz.so.1" ||
	{ not_ok "vlib_prog's libz is the bundle's"; show_file out k23.out; }
grep -qx "main: BZ2_bzlibVersion bundle" k23.out && grep -qx "main: maps $B/libbz2.so.1.0" k23.out &&
	ok "dlopen(\"libbz2.so.1.0\") is the bundle's" ||
	{ not_ok "vlib_prog's dlopened libbz2 is the bundle's"; show_file out k23.out; }
grep -q "^sibling: zlibVersion 1\." k23.out && grep -q "^sibling: maps /usr/lib/.*/libz\.so" k23.out &&
	! grep "^sibling: maps" k23.out | grep -q "$B" &&
	ok "the sibling executable (through sh -c) gets the system's libz and libbz2" ||
	{ not_ok "the sibling gets the system's libraries"; show_file out k23.out; }

# Started by a shell: the image is vlib_prog's whoever executes it.
run_native native env LD_LIBRARY_PATH="$B" sh -c './vlib_prog main ./vlib_sib'
run_k23 k23 --policy libs.yaml -- sh -c './vlib_prog main ./vlib_sib'
same_as_native "libraries: for vlib_prog, started by sh -c"

# Without a bundle for it: as natively without LD_LIBRARY_PATH.
run_native native ./vlib_prog main ./vlib_sib
run_k23 k23 --policy other.yaml -- ./vlib_prog main ./vlib_sib
same_as_native "libraries: for another executable"
compare_run -- ./vlib_prog main ./vlib_sib

# The bundle for the sibling only: the first process gets the system's.
run_k23 k23 --policy sib.yaml -- ./vlib_prog main ./vlib_sib
grep -qx "main: zlibVersion $(sed -n 's/^main: zlibVersion //p' native.out)" k23.out &&
	grep -qx "sibling: zlibVersion bundle" k23.out && grep -qx "sibling: maps $B/libz.so.1" k23.out &&
	grep -qx "sibling: maps $B/libbz2.so.1.0" k23.out &&
	ok "a bundle for the sibling: the sibling gets it, its parent the system's" ||
	{ not_ok "a bundle for the sibling only"; show_file out k23.out; show_file err k23.err; }

# k23 prepare --policy: the closure has the bundle's libz (a sidecar of its
# own: the stub's build-id), prepared without --policy it has the system's.
"$K23" prepare --cache "$PWD/plain" --quiet ./vlib_prog > prep1.out 2>&1
"$K23" prepare --cache "$PWD/bundled" --policy libs.yaml --quiet ./vlib_prog > prep2.out 2>&1
if "$K23" sites --cache "$PWD/bundled" bundle/libz.so.1 > /dev/null 2>&1 &&
   ! "$K23" sites --cache "$PWD/plain" bundle/libz.so.1 > /dev/null 2>&1 &&
   "$K23" sites --cache "$PWD/plain" /lib/x86_64-linux-gnu/libz.so.1 > /dev/null 2>&1 &&
   ! "$K23" sites --cache "$PWD/bundled" /lib/x86_64-linux-gnu/libz.so.1 > /dev/null 2>&1; then
	ok "prepare --policy writes the bundle's libz.so.1 a sidecar instead of the system's"
else
	not_ok "prepare --policy prepares the bundle's libz.so.1"
	show_file "prepare" prep1.out; show_file "prepare --policy" prep2.out
fi
if patching_on; then
	# Patched at load: one object fewer without a sidecar (the sibling's
	# libraries are the system's in both runs; vlib_sib is vlib_prog's
	# build-id; libbz2's stub, the same file as libz's, follows it).
	stats_run s1 --cache "$PWD/plain" --policy libs.yaml -- ./vlib_prog main ./vlib_sib || finish
	w1=$ST_OBJ_WITHOUT p1=$ST_SITES_LOAD
	stats_run s2 --cache "$PWD/bundled" --policy libs.yaml -- ./vlib_prog main ./vlib_sib || finish
	w2=$ST_OBJ_WITHOUT p2=$ST_SITES_LOAD
	[ "$w2" -lt "$w1" ] && [ "$p2" -gt "$p1" ] &&
		ok "with the bundle's sidecar: objects without sidecar $w1 -> $w2, sites patched at load $p1 -> $p2" ||
		not_ok "the bundle's library patched at load: objects without sidecar $w1 -> $w2, sites at load $p1 -> $p2"
fi
finish
