# prepare_closure.sh - the objects `k23 prepare` covers are ld.so's: python3's closure against ldd, $ORIGIN rpaths, LD_LIBRARY_PATH, a missing library.
. "$TESTS/lib.sh"

build_id() { readelf -n "$1" | sed -n 's/.*Build ID: *//p'; }

# ldd_objects PROG: the real paths of what ldd lists (vDSO aside) and PROG.
ldd_objects()
{
	{ readlink -f "$1"
	  ldd "$1" | awk '/linux-vdso/ { next } /=>/ { print $3; next } { print $1 }' |
		xargs -n 1 readlink -f
	} | sort -u
}

# prepared_objects OUT: the real paths of what prepare wrote sidecars for,
# read back through `k23 sites` of each candidate named by ldd.
check_closure()
{
	local what=$1 prog=$2 cache=$3; shift 3
	ldd_objects "$prog" > want
	: > got
	while read -r f; do
		id=$(build_id "$f")
		[ -n "$id" ] && [ -f "$cache/$id.k23" ] && echo "$f" >> got
	done < want
	n=$(ls "$cache" | grep -c '\.k23$')
	if cmp -s want got && [ "$n" -eq "$(wc -l < want)" ]; then
		ok "$what: $n objects, as ldd lists them"
	else
		not_ok "$what: sidecars differ from ldd ($n files in the cache)"
		diff want got | sed 's/^/  /'
		ls "$cache" | sed 's/^/  cache: /'
	fi
}

"$K23" prepare --quiet --cache c1 /usr/bin/python3 > out 2> err
rc=$?
[ $rc -eq 0 ] && ok "prepare python3: $(cat out)" || { not_ok "prepare python3: status $rc"; show_file stderr err; }
check_closure "python3 closure" /usr/bin/python3 c1

# A program found through $PATH: python3 by name.
PATH=/usr/bin:/bin "$K23" prepare --quiet --cache c2 python3 > /dev/null 2> err &&
	check_closure "python3 found through PATH" /usr/bin/python3 c2 ||
	{ not_ok "prepare python3 through PATH"; show_file stderr err; }

if ! command -v gcc > /dev/null; then
	echo "gcc missing: \$ORIGIN and LD_LIBRARY_PATH cases not run"
	finish
fi

# $ORIGIN in a DT_RUNPATH, and in an old-style DT_RPATH of a library that
# needs a second one next to it.
mkdir -p app/lib other
cat > a.c <<'EOF'
int a(void) { return 1; }
EOF
cat > b.c <<'EOF'
int a(void);
int b(void) { return a() + 1; }
EOF
cat > main.c <<'EOF'
int b(void);
int main(void) { return b() == 2 ? 0 : 1; }
EOF
gcc -shared -fPIC -o app/lib/liba.so a.c &&
gcc -shared -fPIC -o app/lib/libb.so b.c -Lapp/lib -la -Wl,--disable-new-dtags,-rpath,'$ORIGIN' &&
gcc -o app/main main.c -Lapp/lib -lb -Wl,-rpath,'$ORIGIN/lib' || { not_ok "building the \$ORIGIN case"; finish; }
./app/main && ok "the \$ORIGIN program runs natively" || not_ok "the \$ORIGIN program does not run"
"$K23" prepare --quiet --cache c3 ./app/main > out 2> err
rc=$?
[ $rc -eq 0 ] && check_closure "\$ORIGIN runpath and rpath" ./app/main c3 ||
	{ not_ok "prepare ./app/main: status $rc"; show_file stderr err; }

# LD_LIBRARY_PATH: a program without any rpath.
gcc -o plain main.c -Lapp/lib -lb -Wl,-rpath-link,app/lib || not_ok "building the plain program"
LD_LIBRARY_PATH=$PWD/app/lib "$K23" prepare --quiet --cache c4 ./plain > out 2> err
rc=$?
[ $rc -eq 0 ] && LD_LIBRARY_PATH=$PWD/app/lib check_closure "LD_LIBRARY_PATH" ./plain c4 ||
	{ not_ok "prepare with LD_LIBRARY_PATH: status $rc"; show_file stderr err; }

# Without it libb.so is missing: named in one error, the rest still prepared.
env -u LD_LIBRARY_PATH "$K23" prepare --quiet --cache c5 ./plain > out 2> err
rc=$?
if [ $rc -eq 1 ] && grep -q '^k23: libb.so (needed by \./plain): not found$' err &&
   [ "$(wc -l < err)" -eq 1 ] && [ "$(ls c5 | grep -c '\.k23$')" -eq 3 ]; then
	ok "missing library: status 1, \"$(cat err)\", 3 others prepared"
else
	not_ok "missing library: status $rc"
	show_file stderr err
	show_file stdout out
	ls c5 | sed 's/^/  cache: /'
fi
finish
