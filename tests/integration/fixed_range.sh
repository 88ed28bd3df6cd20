# fixed_range.sh - a program that maps, unmaps, protects, advises and mremaps the range at 0x23000000 (free natively, k23's image under k23) survives every step: each call does what it does natively or fails with the errno docs/differences.md gives for k23's pages, and the parts of a range outside them are acted on.
. "$TESTS/lib.sh"
. "$TESTS/lib_patch.sh"
p="$PROGS/fixed_range"

# What k23 may answer instead of the native result (docs/differences.md,
# "k23's own pages"); a step not listed must be as native.
allowed()
{
	case $1 in
	hint) echo elsewhere ;;
	fixed_noreplace) echo EEXIST ;;
	fixed | fixed_large | mremap_onto) echo ENOMEM ;;
	mprotect | madvise_dontneed) echo ENOMEM ;;
	esac
}

# check_steps WHAT: k23.out against native.out, step by step.
check_steps()
{
	local bad=0 name val nat
	if [ "$(cat k23.rc)" != 0 ] || [ "$(tail -n 1 k23.out)" != alive ]; then
		not_ok "$1: the program did not survive: k23 $(describe_status "$(cat k23.rc)")"
		show_file "k23 stdout" k23.out
		show_file "k23 stderr" k23.err
		return 1
	fi
	if [ "$(cut -d: -f1 native.out)" != "$(cut -d: -f1 k23.out)" ]; then
		not_ok "$1: not the same steps as natively"
		diff native.out k23.out | sed 's/^/  /'
		return 1
	fi
	while IFS=': ' read -r name val; do
		nat=$(sed -n "s/^$name: //p" native.out)
		[ "$val" = "$nat" ] && continue
		[ "$val" = "$(allowed "$name")" ] && continue
		bad=1
		echo "  $name: k23 \"$val\", natively \"$nat\", documented \"$(allowed "$name")\""
	done < k23.out
	cmp -s native.err k23.err || { bad=1; echo "  stderr differs:"; diff native.err k23.err | sed 's/^/  /'; }
	if [ $bad = 0 ]; then
		ok "$1: every step as natively or as documented ($(grep -vc -F -x -f native.out k23.out) differ)"
	else
		not_ok "$1: steps neither native nor documented"
	fi
}

run_native native "$p"
[ "$(cat native.rc)" = 0 ] && grep -qx "fixed: ok" native.out && grep -qx "hint: at hint" native.out &&
	ok "natively the range 0x23000000 is free: $(tr '\n' ' ' < native.out)" ||
	{ not_ok "natively the range 0x23000000 is not free: the test checks nothing"; show_file stdout native.out; }
for ca in seccomp sud; do
	run_k23 k23 --catch-all=$ca -- "$p"
	check_steps "--catch-all=$ca"
	# k23's own pages are the ones refused.
	for s in fixed fixed_noreplace; do
		grep -qx "$s: ok" k23.out && not_ok "--catch-all=$ca: $s over k23's image succeeded"
	done
done
# With --patch=page0, page 0 is k23's too.
if patching_on && page0_ok; then
	run_native native "$p" 0
	run_k23 k23 --patch=page0 -- "$p" 0
	check_steps "--patch=page0, the steps at address 0"
	grep -qx "fixed: ok" k23.out && not_ok "--patch=page0: MAP_FIXED over page 0 succeeded"
fi
finish
