# policy_landlock.sh - file rules enforced by Landlock: /etc/shadow stays closed to root through every path trick; granted files read as natively.
. "$TESTS/policy_lib.sh"
[ "$(id -u)" -eq 0 ] || { not_ok "runs as root (Landlock must bind root too)"; finish; }
abi=$(/usr/bin/python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))')
[ "$abi" -ge 1 ] 2>/dev/null && ok "this kernel has Landlock ABI $abi" || { not_ok "this kernel has Landlock"; finish; }

cat > p.yaml <<'Y'
files:
  - allow: read
    paths: [/usr, /lib, /lib64, /etc/hostname, /etc/ld.so.cache, /dev/null]
Y
"$K23" policy check p.yaml > check.out 2>&1 && ok "check: $(cat check.out)" || { not_ok "check"; show_file out check.out; }

# Natively root reads it: what stops it below is the policy.
cat /etc/shadow > /dev/null && ok "natively root reads /etc/shadow" || not_ok "natively root reads /etc/shadow"
compare_run --policy p.yaml -- cat /etc/hostname

py=/usr/bin/python3	# Debian's, not a PATH shim outside the granted trees
denied() # WHAT CMD...: k23 run --policy p.yaml CMD fails, its one stderr line ending in "Permission denied"
{
	local what=$1; shift
	"$K23" run --policy p.yaml -- "$@" > den.out 2> den.err
	local rc=$?
	if [ $rc -ne 0 ] && [ "$(wc -l < den.err)" -eq 1 ] && grep -q ': Permission denied$' den.err &&
	   [ ! -s den.out ]; then
		ok "$what: refused ($(head -n 1 den.err))"
	else
		not_ok "$what: refused"; echo "  status $rc"; show_file stderr den.err; show_file stdout den.out
	fi
}
denied "cat /etc/shadow" cat /etc/shadow
# Across execve: every image re-executes k23 (granted to itself) and the
# domain is inherited - the exec'd cat reads what is granted, not the rest.
compare_run --policy p.yaml -- sh -c 'cat /etc/hostname'
denied "cat /etc/shadow, exec'd by sh" sh -c 'exec cat /etc/shadow'
# With a tool, the supervisor stays outside the policy: its table reaches a
# file in a directory the policy does not grant.
"$K23" run --policy p.yaml --tool count -o counts.txt -- sh -c 'cat /etc/hostname; cat /etc/shadow' > tool.out 2> tool.err
cmp -s tool.out /etc/hostname && grep -q 'cat: /etc/shadow: Permission denied' tool.err && grep -q ' openat$' counts.txt &&
	ok "--tool count under the policy: program confined, table written" ||
	{ not_ok "--tool count under the policy"; show_file stdout tool.out; show_file stderr tool.err; show_file counts counts.txt; }
denied "cat /etc/../etc/shadow" cat /etc/../etc/shadow
ln -s /etc/shadow link
denied "cat through a symlink in a temp dir" cat ./link
denied "cat /proc/self/root/etc/shadow" cat /proc/self/root/etc/shadow
# openat relative to a descriptor of /etc, inherited from the shell (opened
# before the policy existed) and opened under it with O_PATH.
exec 7< /etc
"$py" -c 'import os; os.open("shadow", os.O_RDONLY, dir_fd=7); print("opened")' | grep -q opened &&
	ok "natively openat(fd of /etc, \"shadow\") works" || not_ok "natively openat(fd of /etc, \"shadow\") works"
denied "openat(inherited fd of /etc, \"shadow\")" "$py" -c '
import os, sys
try: os.open("shadow", os.O_RDONLY, dir_fd=7)
except PermissionError as e: sys.exit("openat shadow: Permission denied")
print("opened: shadow")'
exec 7<&-
denied "openat(O_PATH fd of /etc, \"shadow\")" "$py" -c '
import os, sys
d = os.open("/etc", os.O_PATH)
try: os.open("shadow", os.O_RDONLY, dir_fd=d)
except PermissionError as e: sys.exit("openat shadow: Permission denied")
print("opened: shadow")'
# io_uring: an openat submitted through a ring passes no syscall site, k23's
# dispatcher included; Landlock checks it in the kernel all the same.
"$PROGS/policy_uring" open /etc/shadow > native.out
printf 'files:\n  - allow: read\n    paths: [/usr, /lib, /lib64, /etc/hostname, /etc/ld.so.cache, "%s"]\n' \
	"$(realpath "$PROGS/policy_uring")" > uring.yaml
"$K23" run --policy uring.yaml -- "$PROGS/policy_uring" open /etc/shadow > k23.out 2>&1
echo "io_uring open: Permission denied" > want.out
grep -q '^io_uring open: ok$' native.out && diff_check "io_uring openat of /etc/shadow refused (natively: ok)" want.out k23.out ||
	{ not_ok "natively io_uring openat works"; show_file native native.out; }
"$K23" run --policy uring.yaml -- "$PROGS/policy_uring" open /etc/hostname > k23.out 2>&1
echo "io_uring open: ok" > want.out
diff_check "io_uring openat of a granted file works" want.out k23.out

# The tree below a grant is granted, the rest is not: writing is refused too.
denied "writing into a read grant" sh -c 'echo x > /usr/k23-policy-test'
[ ! -e /usr/k23-policy-test ] && ok "nothing was written" || { rm -f /usr/k23-policy-test; not_ok "nothing was written"; }

# A deny rule inside a granted tree cannot be enforced by Landlock: it is
# the in-process layer's (policy_inprocess.sh), and check and explain say so.
cat > weak.yaml <<'Y'
files:
  - allow: read
    paths: [/usr, /lib, /lib64, /etc]
  - deny: all
    paths: [/etc/shadow]
Y
"$K23" policy check weak.yaml > weak.out 2> weak.err; rc=$?
[ $rc -eq 0 ] && grep -q '1 deny rule inside granted trees (in-process)' weak.out && [ ! -s weak.err ] &&
	ok "check: $(cat weak.out)" || { not_ok "check of a deny inside a grant (status $rc)"; show_file stdout weak.out; show_file stderr weak.err; }
"$K23" policy explain weak.yaml > explain.out 2>&1
grep -q 'line 5: deny /etc/shadow (EACCES): in-process (bypassable by a hostile program) - inside /etc' explain.out &&
	grep -q "k23's own: read /proc" explain.out && grep -q 'k23: deny io_uring_setup with EPERM' explain.out &&
	ok "explain labels the rule in-process, k23's own grants, the refused rings" || { not_ok "explain"; show_file explain explain.out; }
finish
