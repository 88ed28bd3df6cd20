# deb.sh - make deb: the package lists k23, k23-core, k23-prepare, the /usr/bin/k23 link and both manual pages; its control fields are k23, VERSION, amd64 and Depends naming the packages of k23-prepare's shared libraries (found with ldd and dpkg -S); apt resolves it here (apt-get install -s); unpacked, its k23 prints what build/k23 prints; really installed with apt-get (where no k23 package is), /usr/bin/k23 prints it too, and apt-get purge leaves nothing behind.
#
# The package is unpacked with dpkg-deb -x into this test's directory and
# its k23 compared with build/k23. Then, where no k23 package is installed,
# it is really installed with apt-get (nothing to download: its
# dependencies are make deps' packages), the installed /usr/bin/k23 is run from outside the
# tree, and the package is purged again: the system is left as it was
# (the trap purges it also when the test stops halfway).
. "$TESTS/lib.sh"
root=$(cd "$TESTS/.." && pwd -P)
build_k23=$root/build/k23

if [ "$K23" != "$build_k23" ]; then
	echo "SKIP: the package is checked in the pass that runs build/k23 itself"
	exit 0
fi
for t in dpkg-deb dpkg-shlibdeps apt-get man; do
	command -v $t > /dev/null || { echo "SKIP: $t is not installed (make deps)"; exit 0; }
done

version=$(cat "$root/VERSION")
deb=$PWD/k23_${version}_amd64.deb
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$root" deb DEB_OUT="$PWD" > make.out 2>&1 &&
	[ -f "$deb" ]; then
	ok "make deb: k23_${version}_amd64.deb"
else
	not_ok "make deb: k23_${version}_amd64.deb"
	show_file make.out make.out
	finish
fi

# Every file and link in the package, as "PATH" or "PATH -> TARGET".
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }' |
	sort > files.act
sort > files.exp <<-EOF
./usr/bin/k23 -> ../lib/k23/k23
./usr/lib/k23/k23
./usr/lib/k23/k23-core
./usr/lib/k23/k23-prepare
./usr/lib/k23/k23-remote
./usr/share/man/man1/k23.1.gz
./usr/share/man/man5/k23-policy.5.gz
EOF
diff_check "dpkg-deb -c lists k23, k23-core, k23-prepare, k23-remote, the link and the manual pages" files.exp files.act

field() { dpkg-deb -f "$deb" "$1"; }
for kv in "Package=k23" "Version=$version" "Architecture=amd64"; do
	v=$(field "${kv%%=*}")
	[ "$v" = "${kv#*=}" ] && ok "control: $kv" || not_ok "control: $kv (is '$v')"
done
for f in Maintainer Description Installed-Size; do
	[ -n "$(field $f)" ] && ok "control: $f set" || not_ok "control: $f set"
done

# Depends names exactly the packages that hold k23-prepare's libraries (k23
# itself is static: no NEEDED entry at all).
if readelf -d "$root/build/k23" "$root/build/k23-core" | grep -q NEEDED; then
	not_ok "build/k23 and build/k23-core need no shared library"
else
	ok "build/k23 and build/k23-core need no shared library"
fi
ldd "$root/build/k23-prepare" "$root/build/k23-remote" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' > libs
# ld.so finds them under /lib, dpkg may know them under /usr/lib (merged /usr):
# both names are asked. A library dpkg -S cannot place is missing here, and
# the diff shows it.
dpkg -S $(sed 'p; s|^|/usr|' libs) 2>/dev/null | sed 's/:.*//' | sort -u > depends.exp
field Depends | tr ',' '\n' | sed 's/^ *//; s/[ (].*//' | sort -u > depends.act
diff_check "Depends: the packages of k23-prepare's and k23-remote's libraries (ldd, dpkg -S)" depends.exp depends.act

# apt accepts it on this machine: its dependencies resolve.
if apt-get install -s "$deb" > apt.out 2>&1 && grep -q "^Inst k23 ($version" apt.out; then
	ok "apt-get install -s ./k23_*.deb: would install k23 $version"
else
	not_ok "apt-get install -s ./k23_*.deb: would install k23 $version"
	show_file apt.out apt.out
fi

# What the package installs works where it lands, beside nothing else.
dpkg-deb -x "$deb" pkg
k23=$PWD/pkg/usr/bin/k23
mkdir -p dir && touch dir/a dir/b
work=$PWD
same()	# WHAT ARGS...: same stdout, stderr and status as build/k23
{
	local what=$1 e=0 a=0
	shift
	"$build_k23" "$@" > "$work/exp.out" 2> "$work/exp.err" || e=$?
	"$k23" "$@" > "$work/act.out" 2> "$work/act.err" || a=$?
	if [ $e -ne $a ]; then
		not_ok "$what: status $a, build/k23's $e"
		show_file stderr "$work/act.err"
	else
		diff_check "$what: stdout as build/k23's" "$work/exp.out" "$work/act.out"
		diff_check "$what: stderr as build/k23's" "$work/exp.err" "$work/act.err"
	fi
}
same "packaged k23 --version" --version
same "packaged k23 doctor" doctor
same "packaged k23 run --tool count -- ls" run --tool count -- ls -la dir
for p in man1/k23.1.gz man5/k23-policy.5.gz; do
	man_renders "man -l $p (packaged)" "pkg/usr/share/man/$p"
done

# apt install ./k23_*.deb for real, then the installed k23 from /usr/bin.
if dpkg-query -W -f '${Status}' k23 2>/dev/null | grep -q ' installed$'; then
	echo "# a k23 package is installed on this machine: the real install is left out, not to touch it"
	finish
fi
purge()	# nothing of k23 left installed
{
	dpkg-query -W k23 > /dev/null 2>&1 || return 0
	apt-get purge -y k23 > purge.out 2>&1
}
trap purge EXIT
if DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb" > install.out 2>&1 &&
	[ -x /usr/bin/k23 ]; then
	ok "apt-get install ./k23_*.deb installs /usr/bin/k23"
	k23=/usr/bin/k23
	# From a directory outside the tree.
	cd dir
	same "installed k23 --version" --version
	same "installed k23 doctor" doctor
	same "installed k23 run --tool count -- ls" run --tool count -- ls -la
	cd ..
	man_renders "man k23 (installed)" /usr/share/man/man1/k23.1.gz
	[ "$(dpkg-query -W -f '${Version}' k23)" = "$version" ] &&
		ok "dpkg knows k23 $version" || not_ok "dpkg knows k23 $version"
else
	not_ok "apt-get install ./k23_*.deb installs /usr/bin/k23"
	show_file install.out install.out
fi
if purge && ! dpkg-query -W k23 > /dev/null 2>&1 &&
	[ ! -e /usr/bin/k23 ] && [ ! -e /usr/lib/k23 ]; then
	ok "apt-get purge k23 removes what it installed"
else
	not_ok "apt-get purge k23 removes what it installed"
	show_file purge.out purge.out
fi
trap - EXIT
finish
