# policy_attacks.sh - attacks on k23 itself do not get past the kernel layers of a policy: jumps into k23's text, k23 unmapped, raw execve, io_uring, a symlink race, ptrace of a sibling, self-installed filters.
#
# Every attack is first made natively (or under k23 without a policy) to
# show it reaches what it is after; then under `k23 run --policy`, where the
# kernel (the policy's seccomp filter, Landlock) refuses it. docs/threat-model.md
# lists each claim with the check here that proves it.
. "$TESTS/policy_lib.sh"
[ "$(id -u)" -eq 0 ] || { not_ok "runs as root (Landlock and seccomp must bind root too)"; finish; }
py=/usr/bin/python3
abi=$("$py" -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))')
[ "$abi" -ge 4 ] 2>/dev/null && ok "this kernel's Landlock (ABI $abi) has file and port rules" ||
	{ not_ok "this kernel has Landlock ABI 4 or later"; finish; }
addr=$(k23_syscall_ret)
[ -n "$addr" ] && ok "a syscall;ret pair in k23's text at 0x$addr" || { not_ok "found a syscall;ret in k23"; finish; }
RAW=$PROGS/policy_attack_raw

# A tree with a granted directory and a secret outside every grant.
mkdir granted secret
echo granted-content > granted/f
echo secret-content > secret/f
cp "$PROGS/policy_attack_raw" secret/prog
printf '#!/bin/sh\necho script ran\n' > secret/script
chmod +x secret/script
here=$PWD

# Two listeners on loopback, outside k23 (as in policy_network.sh).
"$py" -c '
import socket, time
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0)); x.listen(64)
print(*[x.getsockname()[1] for x in s], flush=True)
time.sleep(60)' > ports &
listener=$!
trap 'kill $listener 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s ports ] && break; sleep 0.1; done
read -r good bad < ports
[ -n "$bad" ] || { not_ok "listeners started"; finish; }

cat > calls.yaml <<'Y'
calls:
  - deny: [mkdirat, mkdir]
  - errno: EPERM
    calls: [personality]
    args: [{arg: 0, op: eq, value: 8}]
Y
cat > files.yaml <<Y
files:
  - allow: read
    paths: [/usr, /lib, /lib64, /etc/ld.so.cache, /dev/null, "$(realpath "$PROGS")"]
  - allow: read-write
    paths: ["$here/granted"]
network:
  - allow: connect
    ports: [$good]
Y
cat calls.yaml files.yaml > both.yaml
for p in calls files both; do
	"$K23" policy check $p.yaml > check.out 2>&1 || { not_ok "policy check $p.yaml"; show_file out check.out; finish; }
done

# expect WHAT WANT -- CMD...: CMD's stdout and stderr are exactly WANT (lines).
expect()
{
	local what=$1 want=$2; shift 3
	printf '%s\n' "$want" > want.out
	"$@" > got.out 2>&1
	diff_check "$what" want.out got.out
}
gone() # WHAT PATH: PATH was not created
{
	[ ! -e "$2" ] && ok "$1: $2 was not created" || { not_ok "$1: $2 was not created"; rm -rf "$2"; }
}

# --- 1. A jump into k23's text: the catch-all exempts it, the policy does not.
expect "natively: mkdir, personality(8) and the secret from a raw syscall" \
	"mkdir: ok
personality: ok
open: ok secret-content" -- "$RAW" rwx mkdir n1 personality 8 open secret/f
expect "under k23 without a policy the jump reaches the kernel unchecked" \
	"mkdir: ok
personality: ok
open: ok secret-content" -- "$K23" run -- "$RAW" text:$addr mkdir n2 personality 8 open secret/f
[ -d n1 ] && [ -d n2 ] && ok "both directories exist" || not_ok "both directories exist"
for how in text:$addr rwx libc; do
	expect "calls policy, via $how: mkdir and personality(8) denied by the filter" \
		"mkdir: EPERM
personality: EPERM" -- "$K23" run --policy calls.yaml -- "$RAW" $how mkdir d-$how personality 8
	gone "calls policy, via $how" "d-$how"
	expect "file policy, via $how: the secret refused by Landlock, the granted file read" \
		"open: EACCES
open: ok granted-content
connect: EACCES
connect: ok" -- "$K23" run --policy files.yaml -- "$RAW" $how open secret/f open granted/f connect $bad connect $good
done

# --- 2. k23 unmapped: the program moves a page of its own over the gadget's
# page and unmaps the rest of k23 (policy_attack_unmap.c); then nothing of
# k23's runtime is left in the process. Natively the same calls from a raw page.
UNMAP=$PROGS/policy_attack_unmap
expect "natively: the calls the unmapping program makes" \
	"mkdir: ok
open: ok secret-content" -- "$UNMAP" rwx mkdir n3 open secret/f
for ca in seccomp sud; do
	expect "--catch-all=$ca, no policy: k23 refuses a munmap of its range, the program removes it anyway, and its calls go through" \
		"libc munmap: k23 still mapped
k23 removed: 1 pages left
mkdir: ok
open: ok secret-content" -- "$K23" run --catch-all=$ca -- "$UNMAP" text:$addr mkdir n4-$ca open secret/f
	[ -d n4-$ca ] && ok "--catch-all=$ca: with k23 gone the directory was made" || not_ok "--catch-all=$ca: directory made"
	expect "--catch-all=$ca, calls policy: with k23 removed, mkdir and personality(8) still denied" \
		"libc munmap: k23 still mapped
k23 removed: 1 pages left
mkdir: EPERM
personality: EPERM" -- "$K23" run --catch-all=$ca --policy calls.yaml -- "$UNMAP" text:$addr mkdir d-un-$ca personality 8
	gone "--catch-all=$ca, k23 removed" "d-un-$ca"
	expect "--catch-all=$ca, file policy: with k23 removed, the secret still refused" \
		"libc munmap: k23 still mapped
k23 removed: 1 pages left
open: EACCES
open: ok granted-content" -- "$K23" run --catch-all=$ca --policy files.yaml -- "$UNMAP" text:$addr open secret/f open granted/f
done

# --- 3. execve made directly (from k23's text or a raw page), past k23's own
# exec handling: Landlock's execute right decides.
expect "natively: a raw execve of a binary outside the grants runs it" "k23: absent" -- "$RAW" rwx exec secret/prog libc k23 -
expect "natively: a raw execve of a script outside the grants runs it" "script ran" -- "$RAW" rwx exec secret/script
for how in text:$addr rwx libc; do
	expect "file policy, execve via $how of a binary outside the grants: refused" \
		"exec: EACCES" -- "$K23" run --policy files.yaml -- "$RAW" $how exec secret/prog libc k23 -
	expect "file policy, execve via $how of a script outside the grants: refused" \
		"exec: EACCES" -- "$K23" run --policy files.yaml -- "$RAW" $how exec secret/script
done
# The program named on k23 run's command line is opened before the policy is
# installed: it runs from outside the grants (what it execs must be inside).
expect "file policy: the program itself may lie outside the grants; its directory stays closed" \
	"open: EACCES
k23: mapped" -- "$K23" run --policy files.yaml -- secret/prog libc open secret/f k23 -
# A granted program exec'd from k23's text starts without k23: with SUD as
# the catch-all (reset by execve) it runs with no in-process layer at all,
# and the kernel layers still hold; with a seccomp filter (inherited: the
# default's backstop, --catch-all=seccomp) the first call it traps - for
# this dynamic program its loader's first mmap - has no handler and kills it.
expect "--catch-all=sud: an image exec'd from k23's text runs without k23; its calls stay denied" \
	"k23: absent
mkdir: EPERM
open: EACCES" -- "$K23" run --catch-all=sud --policy both.yaml -- "$RAW" text:$addr exec "$RAW" libc k23 - mkdir granted/d-ex open secret/f
gone "exec'd image" granted/d-ex
for ca in hybrid seccomp; do
	( "$K23" run --catch-all=$ca --policy both.yaml -- "$RAW" text:$addr exec "$RAW" libc k23 - > ex.out 2>&1; echo $? > ex.rc ) 2> /dev/null
	rc=$(cat ex.rc)
	[ $rc -eq 159 ] && [ ! -s ex.out ] && ok "--catch-all=$ca: an image exec'd from k23's text dies before it does anything ($(describe_status $rc))" ||
		{ not_ok "--catch-all=$ca: exec'd image killed: $(describe_status $rc)"; show_file out ex.out; }
done

# --- 4. io_uring set up with raw calls: the ring's openat and connect pass no
# syscall site, k23's io_uring guard included; Landlock checks them.
URING=$PROGS/policy_attack_uring
expect "natively: an io_uring openat of the secret" "io_uring open: ok secret-content" -- "$URING" rwx open secret/f
expect "natively: an io_uring connect to port $bad" "io_uring connect: ok" -- "$URING" rwx connect $bad
for how in text:$addr rwx libc; do
	expect "file policy, ring set up via $how: IORING_OP_OPENAT of the secret refused" \
		"io_uring open: EACCES" -- "$K23" run --policy files.yaml -- "$URING" $how open secret/f
	expect "file policy, ring set up via $how: IORING_OP_OPENAT of a granted file" \
		"io_uring open: ok granted-content" -- "$K23" run --policy files.yaml -- "$URING" $how open granted/f
	expect "file policy, ring set up via $how: IORING_OP_CONNECT to port $bad refused" \
		"io_uring connect: EACCES" -- "$K23" run --policy files.yaml -- "$URING" $how connect $bad
	expect "file policy, ring set up via $how: IORING_OP_CONNECT to port $good" \
		"io_uring connect: ok" -- "$K23" run --policy files.yaml -- "$URING" $how connect $good
done

# --- 5. A symlink flipped between the granted file and the secret by another
# thread while the main thread opens it 10000 times.
RACE=$PROGS/policy_attack_race
race() # WHAT CMD...: checks the counts line
{
	local what=$1 native=$2; shift 2
	"$@" > race.out 2>&1
	read -r _ n _ g _ s _ d _ o < race.out
	if [ "$native" = native ] && [ "${s:-0}" -gt 0 ] && [ "${g:-0}" -gt 0 ] && [ "$o" = 0 ]; then
		ok "$what: $(cat race.out)"
	elif [ "$native" != native ] && [ "$s" = 0 ] && [ "${g:-0}" -gt 0 ] && [ "${d:-0}" -gt 0 ] && [ "$o" = 0 ]; then
		ok "$what: $(cat race.out)"
	else
		not_ok "$what"; show_file out race.out
	fi
}
race "natively the race reads the secret" native "$RACE" libc "$here/granted" "$here/granted/f" "$here/secret/f" 10000
for how in libc text:$addr; do
	race "file policy, opens via $how: the secret is never read" policy \
		"$K23" run --policy files.yaml -- "$RACE" $how "$here/granted" "$here/granted/f" "$here/secret/f" 10000
done

# --- 6. ptrace and process_vm_writev of another process of the tree.
SIB=$PROGS/policy_attack_sibling
expect "natively an unconfined parent suspends its child's own filter" \
	"ptrace suspend-seccomp: ok
process_vm_writev: ok
child: Seccomp 2, Seccomp_filters 1, PR_GET_SECCOMP 2
child mkdir: ok" -- "$SIB" libc n5 own-filter
[ -d n5 ] && ok "natively the child's mkdir made n5" || not_ok "natively the child's mkdir made n5"
# The child's filters: the policy's, and k23's own unless the catch-all is
# SUD alone (run-integration --catch-all=sud).
nfilters=2
[ "${TESTS_CATCH_ALL:-}" = sud ] && nfilters=1
for how in libc text:$addr; do
	expect "calls policy, via $how: suspending the sibling's filters refused, its memory written, its mkdir still denied" \
		"ptrace suspend-seccomp: EPERM
process_vm_writev: ok
child: Seccomp 2, Seccomp_filters $nfilters, PR_GET_SECCOMP 2
child mkdir: EPERM" -- "$K23" run --policy calls.yaml -- "$SIB" $how d-sib
	gone "sibling via $how" d-sib
done

# --- 7. A child installs an allow-everything filter and a Landlock domain
# granting / itself: nothing is loosened.
LOOSE=$PROGS/policy_attack_loosen
steps="no_new_privs: ok
seccomp allow-all: ok
seccomp allow-all tsync: ok
landlock grant /: ok"
expect "natively the child's own filter and ruleset allow everything" "$steps
mkdir: ok
open: ok secret-content" -- "$LOOSE" libc n6 secret/f
for how in libc text:$addr; do
	expect "calls+file policy, via $how: the child's own filter and domain loosen nothing" "$steps
mkdir: EPERM
open: EACCES" -- "$K23" run --policy both.yaml -- "$LOOSE" $how granted/d-lo secret/f
	gone "loosening child via $how" granted/d-lo
done

# --- 8. Processes outside the tree. k23 needs process_vm_readv/writev (on
# itself), so no call rule may deny them; Landlock's domain keeps them (and
# ptrace) to processes inside it. Signals and /proc files readable without
# ptrace access are not scoped (documented limits, shown here).
sleep 60 &
outside=$!
trap 'kill $listener $outside 2>/dev/null' EXIT
stack=$(awk '/\[stack\]/ { split($1, a, "-"); print a[1]; exit }' /proc/$outside/maps)
expect "natively another process's memory, a signal to it, its environment" \
	"peek: ok
signal: ok
open: ok" -- sh -c "\"$RAW\" libc peek $outside:$stack signal $outside open /proc/$outside/environ | sed 's/^open: ok .*/open: ok/'"
for how in libc text:$addr; do
	expect "calls policy, via $how: process_vm_readv of a process outside the tree works (no Landlock domain)" \
		"peek: ok" -- "$K23" run --policy calls.yaml -- "$RAW" $how peek $outside:$stack
	expect "file policy, via $how: process_vm_readv of a process outside the domain refused; kill(0) and its environ still reach it" \
		"peek: EPERM
signal: ok
open: ok" -- sh -c "\"$K23\" run --policy files.yaml -- \"$RAW\" $how peek $outside:$stack signal $outside open /proc/$outside/environ | sed 's/^open: ok .*/open: ok/'"
done
kill $outside
finish
