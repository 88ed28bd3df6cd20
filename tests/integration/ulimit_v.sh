# ulimit_v.sh - under `ulimit -v` just large enough for the program natively, the program runs under k23 as natively once given k23's documented allowance (docs/architecture.md, "Address space": K23_AS_ALLOWANCE_KIB below), static, static-pie and dynamic, with and without a tool.
. "$TESTS/lib.sh"
. "$TESTS/lib_patch.sh"
# The figure docs/architecture.md states: what k23 may add to a
# single-threaded program's address space, in KiB (measured: 824-920
# KiB; the margin is small so that growth fails this test).
K23_AS_ALLOWANCE_KIB=1024

# The --no-patch pass's K23 is a perl wrapper, which could not start
# under these limits itself: run k23 directly, with the option it adds.
k23=$K23 mode=()
if [ "$(head -c 4 "$K23")" != $'\177ELF' ]; then
	k23="$TESTS/../build/k23"
	patching_on || mode=(--no-patch)
fi

# The limit is set by prlimit for the command it executes, never by
# `ulimit -v` in a subshell: bash itself already maps more than these
# limits, so a subshell that needs one more page dies before it runs the
# command (xrealloc: cannot allocate), leaving the files of an earlier run.
if ! command -v prlimit > /dev/null; then
	echo "SKIP: prlimit (util-linux) is not installed"
	exit 0
fi

# under KIB TAG CMD...: CMD under an address-space limit of KIB KiB; leaves
# TAG.out, TAG.err, TAG.rc (fresh: a run that never started leaves no .rc).
under()
{
	local kib=$1 tag=$2; shift 2
	rm -f "$tag.out" "$tag.err" "$tag.rc"
	( prlimit --as=$((kib * 1024)) -- "$@" < /dev/null > "$tag.out" 2> "$tag.err"; echo $? > "$tag.rc" ) 2> /dev/null
}

# min_as CMD...: the smallest limit (KiB, to 8 KiB) under which CMD still
# prints and exits as without one; echoes it.
min_as()
{
	under 1048576 free "$@"
	local lo=0 hi=1048576 mid
	while [ $((hi - lo)) -gt 8 ]; do
		mid=$(((lo + hi) / 2))
		under $mid lim "$@"
		if cmp -s lim.out free.out && cmp -s lim.rc free.rc; then hi=$mid; else lo=$mid; fi
	done
	echo $hi
}

for prog in "$PROGS/static_hello" "$PROGS/static_hello_pie" "/bin/echo hello" "$PROGS/print_args a b"; do
	set -- $prog
	n=$(min_as "$@")
	if [ "$n" -ge 1048576 ]; then
		not_ok "$*: no limit under 1 GiB found natively"
		continue
	fi
	lim=$((n + K23_AS_ALLOWANCE_KIB))
	run_native native "$@"
	for opts in "" "--tool count -o count.out"; do
		under $lim k23 "$k23" run "${mode[@]}" $opts -- "$@"
		if [ ! -s k23.rc ]; then
			not_ok "${opts:+$opts: }$*: k23 did not run under prlimit --as"
		elif cmp -s native.out k23.out && cmp -s native.rc k23.rc && cmp -s native.err k23.err; then
			ok "${opts:+$opts: }$*: natively needs ulimit -v $n, runs as natively under k23 with $lim (+$K23_AS_ALLOWANCE_KIB KiB)"
		else
			not_ok "${opts:+$opts: }$*: natively needs ulimit -v $n; under k23 with $lim: $(describe_status "$(cat k23.rc)"), native $(describe_status "$(cat native.rc)")"
			show_file "k23 stdout" k23.out
			show_file "native stdout" native.out
			show_file "k23 stderr" k23.err
		fi
	done
	# What k23 actually needed, for the record (and the docs' figures).
	for opts in "" "--tool count -o count.out"; do
		k=$(min_as "$k23" run "${mode[@]}" $opts -- "$@")
		echo "  $*: k23 run ${mode[*]} ${opts:+$opts }needs ulimit -v $k, natively $n: $((k - n)) KiB more"
	done
done
finish
