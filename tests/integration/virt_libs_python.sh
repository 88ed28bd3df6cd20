# virt_libs_python.sh - libraries: Debian's python3.11 with a bundle of libz (its own DT_NEEDED: zlib is built into it), libbz2 (DT_NEEDED of the _bz2 extension it dlopens) and liblzma (ctypes.CDLL by name): /proc/self/maps shows the bundle's files, as natively with LD_LIBRARY_PATH=BUNDLE, while git, started by it in the same tree, shows the system's libz.
. "$TESTS/real_lib.sh"
py=/usr/bin/python3.11	# Debian's, not whatever a PATH shim picks
need_cmd "$py" python3 || finish
need_cmd git git || finish

# Copies of the system's files: the same code, under the bundle's name.
mkdir bundle
for l in libz.so.1 libbz2.so.1.0 liblzma.so.5; do
	cp -L "/lib/x86_64-linux-gnu/$l" bundle/ || { not_ok "copying $l into the bundle"; finish; }
done
B=$(realpath bundle)
cat > libs.yaml <<Y
libraries:
  - exe: $py
    bundle: $B
Y
cat > maps.py <<'PY'
import bz2, ctypes, os, subprocess, sys, zlib
# zlib is built into Debian's python3.11 (its DT_NEEDED libz); bz2 loads
# the _bz2 extension, whose DT_NEEDED is libbz2; liblzma by name.
ctypes.CDLL("liblzma.so.5")
assert zlib.decompress(zlib.compress(b"k23" * 100)) == b"k23" * 100
assert bz2.decompress(bz2.compress(b"k23" * 100)) == b"k23" * 100

def libs(pid):
    seen = []
    for line in open("/proc/%s/maps" % pid):
        path = line.split()[-1] if "/" in line else ""
        base = os.path.basename(path)
        if base.startswith(("libz.so", "libbz2.so", "liblzma.so")) and path not in seen:
            seen.append(path)
    return sorted(seen)

for p in libs("self"):
    print("python3:", p)
# git in the same tree, without the environment a native run passes python.
env = dict(os.environ)
env.pop("LD_LIBRARY_PATH", None)
git = subprocess.Popen(["git", "hash-object", "--stdin"], stdin=subprocess.PIPE,
                       stdout=subprocess.PIPE, env=env)
# git has loaded its libraries once it waits in read(0, ...) for its input
# (/proc/PID/syscall: the call's number and arguments; ld.so reads
# libraries from higher descriptors, and never waits).
import time
for _ in range(2000):
    try:
        if open("/proc/%d/syscall" % git.pid).read().split()[:2] == ["0", "0x0"]:
            break
    except OSError:
        pass
    time.sleep(0.005)
for p in libs(git.pid):
    print("git:", p)
out, _ = git.communicate(b"k23\n")
print("git hash:", out.decode().strip())
PY

run_native native env LD_LIBRARY_PATH="$B" "$py" maps.py
run_k23 k23 --policy libs.yaml -- "$py" maps.py
if cmp -s native.out k23.out && cmp -s native.rc k23.rc; then
	ok "python3.11 with the bundle: /proc/self/maps and git's as natively with LD_LIBRARY_PATH"
else
	not_ok "python3.11 with the bundle: output differs from the native run"
	diff native.out k23.out | head -20 | sed 's/^/  /'
	show_file "k23 stderr" k23.err
fi
for l in libz.so.1 libbz2.so.1.0 liblzma.so.5; do
	grep -qx "python3: $B/$l" k23.out || not_ok "python3's maps show $B/$l"
done
grep -qx "python3: $B/libz.so.1" k23.out && grep -qx "python3: $B/libbz2.so.1.0" k23.out &&
	grep -qx "python3: $B/liblzma.so.5" k23.out && [ "$(grep -c '^python3:' k23.out)" = 3 ] &&
	ok "python3's maps: libz (DT_NEEDED), libbz2 (an extension's DT_NEEDED), liblzma (dlopen) from the bundle only" ||
	show_file out k23.out
grep -q "^git: /usr/lib/x86_64-linux-gnu/libz\.so" k23.out && ! grep "^git:" k23.out | grep -q "$B" &&
	ok "git, started by python3 in the same tree, maps the system's libz" ||
	{ not_ok "git maps the system's libz"; show_file out k23.out; }
# Without the bundle: as natively without LD_LIBRARY_PATH.
run_native native "$py" maps.py
run_k23 k23 -- "$py" maps.py
cmp -s native.out k23.out && ! grep -q "$B" k23.out &&
	ok "python3.11 without libraries: the system's, as natively" ||
	{ not_ok "python3.11 without libraries:"; diff native.out k23.out | head; }
finish
