# virt_synth.sh - synthesize: a file the policy gives is a regular read-only file to the program: open, read, pread, readv, lseek, fstat/stat, mmap, getdents64, readlink of its descriptor; the same as natively for a real file of mode 0444 with that content.
. "$TESTS/policy_lib.sh"

content='# myapp
port=5432
name=k23 synthesized
'
cat > p.yaml <<'Y'
synthesize:
  - path: /etc/myapp.conf
    text: "# myapp\nport=5432\nname=k23 synthesized\n"
Y
"$K23" policy check p.yaml > check.out 2>&1 && ok "check: $(cat check.out)" ||
	{ not_ok "policy check"; show_file out check.out; }

# The native reference: the same file, mode 0444, in /etc, seen through a
# read-only overlay in a mount namespace of its own (a read-only file
# system, as k23 shows the synthesized one).
mkdir -p upper
printf '%s' "$content" > upper/myapp.conf
chmod 0444 upper/myapp.conf
native_ok=0
if [ "$(id -u)" -eq 0 ] &&
   unshare -m sh -c "mount -t overlay overlay -o lowerdir=$PWD/upper:/etc /etc" 2> /dev/null; then
	native_ok=1
else
	echo "# skip: the native reference needs root, mount namespaces and overlayfs"
fi
[ -e /etc/myapp.conf ] && { not_ok "/etc/myapp.conf must not exist on disk"; finish; }

# same WHAT CMD...: CMD's stdout, stderr and status natively with the file
# on disk and under k23 with it synthesized are identical.
same()
{
	local what=$1; shift
	[ $native_ok = 1 ] || return 0
	( unshare -m sh -c 'mount -t overlay overlay -o lowerdir="$0":/etc /etc && exec "$@"' \
		"$PWD/upper" "$@" < /dev/null > native.out 2> native.err; echo $? > native.rc ) 2> /dev/null
	run_k23 k23 --policy p.yaml -- "$@"
	if cmp -s native.out k23.out && cmp -s native.err k23.err && cmp -s native.rc k23.rc; then
		ok "$what: the same as a real file ($(head -c 60 k23.out | tr '\n' ' '))"
	else
		not_ok "$what: differs from a real file"
		diff native.out k23.out | head -n 20 | sed 's/^/  /'
		diff native.err k23.err | head -n 5 | sed 's/^/  /'
		echo "  status native $(cat native.rc), k23 $(cat k23.rc)"
	fi
}

same "a program written against /etc/myapp.conf" "$PROGS/virt_synth_app"
same "cat" cat /etc/myapp.conf
same "ls -l" ls -l --time-style=+ /etc/myapp.conf
same "stat" stat -c '%s %a %F %h %U %G %b' /etc/myapp.conf
same "stat -L, lstat" sh -c 'stat -L -c "%s %a %F" /etc/myapp.conf; stat -c "%s %a %F" /etc/myapp.conf'
same "ls lists it in its directory, once" sh -c 'ls /etc | grep -c "^myapp.conf$"'
same "ls -l of the directory" sh -c 'ls -l --time-style=+ /etc | grep myapp'
same "python3 open+mmap" python3 -c '
import mmap, os
p = "/etc/myapp.conf"
with open(p, "rb") as f:
    m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    print(repr(m[:]), len(m), oct(os.fstat(f.fileno()).st_mode), os.fstat(f.fileno()).st_size)
    print(repr(f.read()))
print(oct(os.stat(p).st_mode), os.stat(p).st_size, "myapp.conf" in os.listdir("/etc"))
try:
    open(p, "a")
except OSError as e:
    print("append:", e)
'
# k23 keeps a sealed memfd per synthesized file in each process, guarded
# like its other descriptors: the program sees exactly its own (fstat of
# every number), and closing every descriptor does not break the next open.
same "k23's kept descriptor is invisible; close_range then open" python3 -c '
import os, resource
p = "/etc/myapp.conf"
fd = os.open(p, os.O_RDONLY)
os.close(fd)
hard = min(resource.getrlimit(resource.RLIMIT_NOFILE)[1], 70000)
def mine():
    n = []
    for i in range(hard):
        try:
            os.fstat(i)
            n.append(i)
        except OSError:
            pass
    return n
print("open descriptors:", mine())
os.closerange(3, hard)
print(open(p).read(), end="")
print("open descriptors:", mine())
'
same "relative names, .. and a dirfd" sh -c 'cd /etc && cat myapp.conf ./myapp.conf ../etc/myapp.conf && cd /usr && cat ../etc//myapp.conf'
same "a child shell sees it (fork and exec)" sh -c 'sh -c "cat /etc/myapp.conf; wc -c < /etc/myapp.conf"'
same "test -r, test -w" sh -c 'test -r /etc/myapp.conf && echo readable; test -f /etc/myapp.conf && echo regular'

# Under k23, without a native counterpart: readlink of its descriptor names
# it; an rm fails as on a read-only file system; the file is still absent
# from the disk.
"$K23" run --policy p.yaml -- sh -c 'readlink /proc/self/fd/3 3< /etc/myapp.conf' > rl.out 2>&1
[ "$(cat rl.out)" = /etc/myapp.conf ] && ok "readlink /proc/self/fd/N: $(cat rl.out)" ||
	{ not_ok "readlink /proc/self/fd/N names the synthesized path"; show_file out rl.out; }
"$K23" run --policy p.yaml -- rm -f /etc/myapp.conf > rm.out 2>&1
grep -q 'Read-only file system' rm.out && ok "rm: $(cat rm.out)" || { not_ok "rm refused with EROFS"; show_file out rm.out; }
[ -e /etc/myapp.conf ] && not_ok "nothing written to the disk" || ok "/etc/myapp.conf is still absent from the disk"

# A file that also exists on disk: the synthesized content, listed once.
mkdir -p d
echo "on disk" > d/both.conf
cat > q.yaml <<Y
synthesize:
  - path: $PWD/d/both.conf
    text: "synthesized\n"
  - path: $PWD/d/new.conf
    text: ""
Y
"$K23" run --policy q.yaml -- sh -c 'cat d/both.conf; ls d; ls -l --time-style=+ d/new.conf' > both.out 2>&1
printf 'synthesized\nboth.conf\nnew.conf\n-r--r--r-- 1 root root 0  d/new.conf\n' > both.want
cmp -s both.out both.want && ok "a file on disk is shadowed and listed once; an empty one has size 0" ||
	{ not_ok "shadowed file"; diff both.want both.out | sed 's/^/  /'; }
finish
