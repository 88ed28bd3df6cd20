# install.sh - make install DESTDIR=... PREFIX=/usr/local: the installed k23 (--version, doctor, run --tool count, prepare) prints what build/k23 prints and opens nothing under the build tree (strace -f -e trace=%file); man -l renders k23(1) and k23-policy(5) without warnings.
. "$TESTS/lib.sh"
root=$(cd "$TESTS/.." && pwd -P)
build_k23=$root/build/k23

# It runs the build's own k23 beside the installed one: the --no-patch (and
# other) passes, whose K23 is a wrapper, would only repeat it.
if [ "$K23" != "$build_k23" ]; then
	echo "SKIP: install is checked in the pass that runs build/k23 itself"
	exit 0
fi
for t in strace man; do
	command -v $t > /dev/null || { echo "SKIP: $t is not installed (make deps)"; exit 0; }
done

dest=$PWD/dest
# A make of its own, not a job of the make that runs the tests.
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$root" install DESTDIR="$dest" \
	PREFIX=/usr/local > make.out 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr/local"
else
	not_ok "make install DESTDIR=... PREFIX=/usr/local"
	show_file make.out make.out
	finish
fi
k23=$dest/usr/local/bin/k23
for f in usr/local/bin/k23 usr/local/lib/k23/k23 usr/local/lib/k23/k23-core usr/local/lib/k23/k23-prepare usr/local/lib/k23/k23-remote \
	usr/local/share/man/man1/k23.1 usr/local/share/man/man5/k23-policy.5; do
	[ -e "$dest/$f" ] && ok "installed $f" || not_ok "installed $f"
done

# The cwd is the test's own directory, outside the build tree. Each command
# runs twice: from the build tree (expected output) and installed, under
# strace, which lists every file the whole tree of processes opens or runs.
mkdir -p dir && touch dir/a dir/b && ln -s a dir/c
opens=$PWD/opens
same()	# WHAT ARGS...: same stdout, stderr and status; nothing opened in the build tree
{
	local what=$1 e=0 a=0
	shift
	rm -rf prep	# prepare's cache: each run prepares afresh
	"$build_k23" "$@" > exp.out 2> exp.err || e=$?
	rm -rf prep
	strace -f -qq -e trace=%file -o strace.out "$k23" "$@" > act.out 2> act.err || a=$?
	if [ $e -ne $a ]; then
		not_ok "$what: status $a, build/k23's $e"
		show_file stderr act.err
	else
		diff_check "$what: stdout as build/k23's" exp.out act.out
		diff_check "$what: stderr as build/k23's" exp.err act.err
	fi
	if grep -F "\"$root/" strace.out > build-paths; then
		not_ok "$what: opens files in the build tree $root"
		show_file "strace -e trace=%file" build-paths
	else
		ok "$what: no file under $root opened ($(wc -l < strace.out) file calls)"
	fi
	cat strace.out >> "$opens"
}
same "k23 --version" --version
grep -qx "k23 $(cat "$root/VERSION")" act.out && ok "--version prints VERSION" ||
	{ not_ok "--version prints VERSION"; show_file out act.out; }
same "k23 doctor" doctor
same "k23 run --tool count -- ls" run --tool count -- ls -la dir
# prepare runs k23-prepare: the installed one, found beside the installed k23.
same "k23 prepare" prepare --cache prep --quiet ls
if grep -q "execve(\"$dest/usr/local/lib/k23/k23-prepare\"" "$opens"; then
	ok "k23 prepare runs the installed k23-prepare"
else
	not_ok "k23 prepare runs the installed k23-prepare"
	grep execve "$opens" | head -n 20 | sed 's/^/  | /'
fi

# The installed pages render without a warning from man or groff.
for p in man1/k23.1 man5/k23-policy.5; do
	man_renders "man -l $p" "$dest/usr/local/share/man/$p"
done
finish
