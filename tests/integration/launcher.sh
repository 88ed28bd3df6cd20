# launcher.sh - build/k23 is a launcher cut out of k23-core (loader/launcher.h): it starts the core beside its own file (also through a symlink from elsewhere), refuses a missing, foreign, damaged or truncated core, or a descriptor table with no room, with one line and exit 127, leaves no mapping of its own file in the program (whose exe link names the program as natively), survives its core being deleted before an execve, and k23-core run by itself still works.
. "$TESTS/lib.sh"
build=$(cd "$TESTS/../build" && pwd)

# run_same WHAT K23BIN CMD...: CMD natively and under K23BIN run: same output and status.
run_same()
{
	local what=$1 k=$2
	shift 2
	"$@" > native.out 2> native.err
	echo $? > native.rc
	"$k" run -- "$@" > k23.out 2> k23.err
	echo $? > k23.rc
	if cmp -s native.out k23.out && cmp -s native.err k23.err && cmp -s native.rc k23.rc; then
		ok "$what"
	else
		not_ok "$what"
		show_file "native out" native.out; show_file "k23 out" k23.out
		show_file "k23 err" k23.err; echo "  status native $(cat native.rc), k23 $(cat k23.rc)"
	fi
}

# refused WHAT DIR MESSAGE [PRLIMIT-ARGS]: DIR/k23 run fails with exit 127 and exactly MESSAGE.
refused()
{
	local rc
	if [ $# -gt 3 ]; then
		prlimit "$4" "$2/k23" run -- /bin/echo hello > out 2> err < /dev/null
	else
		"$2/k23" run -- /bin/echo hello > out 2> err
	fi
	rc=$?
	if [ $rc = 127 ] && [ ! -s out ] && [ "$(cat err)" = "$3" ]; then
		ok "$1: exit 127, \"$3\""
	else
		not_ok "$1: exit 127 and one line"
		echo "  status $rc"; show_file stdout out; show_file stderr err
	fi
}

mkdir inst other lonely foreign damaged short
cp "$build/k23" "$build/k23-core" inst/
run_same "a copy of k23 and k23-core in another directory" "$PWD/inst/k23" /bin/echo hello
ln -s "$PWD/inst/k23" other/k23
run_same "k23 through a symlink from a directory without k23-core" "$PWD/other/k23" /bin/echo hello
run_same "k23-core run by itself" "$build/k23-core" /bin/echo hello

# What the launcher leaves: nothing of its file mapped, the exe link the program's.
prog='readlink /proc/$$/exe; grep -c " '"$PWD"'/inst/k23$" /proc/$$/maps'
run_same "the program's exe link, no mapping of the launcher's file" "$PWD/inst/k23" /bin/sh -c "$prog"
run_same "the same after an execve in the tree (k23-core handed over as a descriptor)" "$PWD/inst/k23" \
	/bin/sh -c "/bin/true; exec /bin/sh -c '$prog'"

refused "no descriptor free for k23-core (ulimit -n 3)" inst \
	"k23: cannot open k23-core: no file descriptor free (RLIMIT_NOFILE)" --nofile=3:3
cp "$build/k23" lonely/
refused "no k23-core beside k23" lonely "k23: cannot open k23-core in the directory of k23's own file"
cp "$build/k23" foreign/ && cp /bin/true foreign/k23-core
refused "k23-core is another program" foreign "k23: k23-core beside k23 is not the core this k23 was built with"
cp "$build/k23" short/ && head -c 3000 "$build/k23-core" > short/k23-core
refused "k23-core cut short" short "k23: k23-core beside k23 is not the core this k23 was built with"
# One byte changed at the launcher's entry, inside the core: the pages the
# launcher would map over itself differ from its own.
cp "$build/k23" "$build/k23-core" damaged/
entry=$(readelf -hW "$build/k23" | awk '/Entry point/ { print $4 }')
off=
while read -r o v f; do
	[ $((entry)) -ge $((v)) ] && [ $((entry)) -lt $((v + f)) ] && off=$((o + entry - v))
done <<-EOF
$(readelf -lW "$build/k23-core" | awk '$1 == "LOAD" && $8 == "E" { print $2, $3, $5 }')
EOF
if [ -n "$off" ]; then
	printf '\314' | dd of=damaged/k23-core bs=1 seek="$off" conv=notrunc status=none
	refused "k23-core with a byte of the launcher's pages changed" damaged \
		"k23: k23-core beside k23 is not the core this k23 was built with"
else
	not_ok "found the launcher's entry in k23-core's executable segment"
fi

# k23-core deleted while the program runs: its next execve rebuilds the core
# from memory (online/process/reexec.c) instead of failing.
mkfifo go
cp "$build/k23" "$build/k23-core" inst/ 2> /dev/null || true
"$PWD/inst/k23" run -- /bin/sh -c 'read x < go; exec /bin/echo after the execve' > gone.out 2> gone.err &
pid=$!
sleep 0.5
rm -f inst/k23-core
echo go > go
wait $pid
rc=$?
if [ $rc = 0 ] && [ "$(cat gone.out)" = "after the execve" ] && [ ! -s gone.err ]; then
	ok "k23-core deleted before an execve in the tree: the program goes on"
else
	not_ok "k23-core deleted before an execve in the tree: the program goes on"
	echo "  status $rc"; show_file stdout gone.out; show_file stderr gone.err
fi
finish
