# remote_proxy.sh - the remote-call proxy (k23-remote) serves every operation of the channel against a real diod: each result, and the exported tree afterwards, equal the same operations done natively on a copy of the tree.
#
# The program build/tests/progs/remote_chan starts the proxy with
# k23_remote_start and sends its calls through the channel (no k23 run: this
# is the proxy's half; the program side has its own tests). The native run
# does the same commands with openat & co. on a directory of the same
# content. Locks are compared with open-description locks (the owner of a
# lock through 9P is the open file, see docs/remote.md).
. "$TESTS/lib.sh"
. "$TESTS/remote_lib.sh"

if [ "${TESTS_PATCHING-on}" != on ] || [ -n "${TESTS_CATCH_ALL-}" ]; then
	skip "the proxy runs outside k23 run; checked in the default pass"
fi
diod_need

mkdir exp nat
for d in exp nat; do
	echo hello > $d/a.txt
	mkdir -p $d/tree/sub
	for i in $(seq 30); do echo "file $i" > $d/tree/f$i; done
	printf 'x%.0s' $(seq 5000) > $d/tree/sub/big
done
exp=$(cd exp && pwd -P)
diod_start "$exp" || { not_ok "diod started"; finish; }

cat > cmds <<'CMDS'
stat a.txt
stat .
stat missing
stat a.txt/x
open 1 a.txt r 0
read 1 0 100
fstat 1
open 2 tree ,dir 0
ls 2 65536
ls 2 100
ls 2 400
stat tree/../tree/./sub//big
mkdir d 755
mkdir d 755
mkdir nope/d 755
open 3 d/f w,creat,trunc 644
write 3 0 700000 3
write 3 699990 20 9
fstat 3
close 3
open 4 d/f r 0
read 4 0 700010
read 4 123457 300001
read 4 699995 100
read 4 700010 10
rename d/f d/g
stat d/f
stat d/g
rename d/g tree/sub/moved
rename tree/sub/moved d/g
truncate d/g 1000
stat d/g
symlink g d/l
symlink ../a.txt d/up
readlink d/l
readlink d/g
stat d/l
stat d/l nofollow
stat d/up
chmod d/g 600
stat d/g
open 5 d/g rw 0
ftruncate 5 500
fsync 5
fstat 5
open 6 d/g rw 0
lock 5 set wr 0 10
lock 6 set wr 0 10
lock 6 get wr 0 10
lock 5 set un 0 10
lock 6 set wr 0 10
lock 6 get wr 0 10
open 7 d/g w,creat,excl 644
open 7 d/g w,append 0
write 7 0 10 1
fstat 7
open 8 d/new rw,creat,excl 640
write 8 5 5 2
read 8 0 100
open 9 d ,dir 0
ls 9 4096
unlink d
rmdir d
rmdir a.txt
open 10 nope r 0
open 10 d/g/x r 0
open 10 d w 0
open 10 a.txt r,dir 0
unlink d/g
unlink d/l
unlink d/up
unlink d/new
unlink d/new
close 5
close 6
close 7
close 8
close 4
rmdir d
stat d
open 11 tree/sub/big r 0
read 11 0 10000
readcur 11 1000
readcur 11 1000
seek 11 10 set
readcur 11 100
seek 11 -100 end
readcur 11 1000
readcur 11 1000
seek 11 -5 cur
seek 11 -50000 cur
open 12 tree ,dir 0
openat 13 12 sub/big r 0
readcur 13 3000
statat 12 sub/big
statat 12 ../a.txt
statat 12 nope
openat 14 12 ../made rw,creat,excl 600
writecur 14 100 1
writecur 14 100 2
seek 14 0 set
readcur 14 1000
open 15 made w,append 0
writecur 15 10 3
seek 15 0 cur
fstat 14
close 13
close 14
close 15
unlink made
CMDS

"$PROGS/remote_chan" native nat < cmds > native.out 2> native.err
timeout 60 "$PROGS/remote_chan" remote "$K23-remote" "$DIOD_URL" < cmds > remote.out 2> remote.err
rc=$?
if [ $rc -eq 0 ] && diff native.out remote.out > diff.out; then
	ok "$(wc -l < cmds) operations through the proxy give the native results"
else
	not_ok "operations through the proxy give the native results (exit $rc)"
	show_file "diff native remote" diff.out
	show_file "proxy stderr" remote.err
fi
grep -q "write 3 0 700000 3: 700000" remote.out && grep -q "ls 2 100: 33 " remote.out &&
	ok "the run covered writes larger than a slot and listings in pieces" ||
	not_ok "the run covered writes larger than a slot and listings in pieces"

# The exported tree ends as the native one does (names, types, sizes, modes, contents).
tree_state() { (cd "$1" && find . -printf '%p %y %s %m\n' | sort && find . -type f -exec sha256sum {} + | sort -k2); }
tree_state exp > exp.state
tree_state nat > nat.state
if diff nat.state exp.state > state.diff; then
	ok "the exported tree afterwards equals the native one"
else
	not_ok "the exported tree afterwards equals the native one"
	show_file "diff" state.diff
fi

# The placeholder: once the program closed its last copy, the proxy closed
# the handle (its descriptor saw EOF); a copy kept elsewhere keeps it open.
printf 'open 1 a.txt r 0\nclose 1\ngone 1\n' |
	timeout 30 "$PROGS/remote_chan" remote "$K23-remote" "$DIOD_URL" > gone.out 2>&1
if grep -qx "gone 1: yes" gone.out; then
	ok "closing the placeholder's last copy closes the handle in the proxy"
else
	not_ok "closing the placeholder's last copy closes the handle in the proxy"
	show_file output gone.out
fi

# The proxy leaves with the program (the life pipe's last copy closed).
sleep 0.5
if pgrep -f "^k23-remote 3 4 5" > pids.out; then
	not_ok "the proxy exits with its tree"; show_file pids pids.out
else
	ok "the proxy exits with its tree"
fi
finish
