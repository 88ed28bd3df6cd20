# tests/virt_lib.sh - helpers for the virt_map*.sh tests: a tree, its map, and runs compared with native runs on the real tree.
. "$TESTS/lib.sh"

# The tree: real/app. The name the program uses: virt/app ("real" and
# "virt" have one length, so names and their lengths read the same in both
# runs). virt/ holds a hard link of real/'s sibling file, so that ".." out
# of the tree finds the same file, inode included, as natively; virt/app/x
# exists on the host and is hidden by the map.
mkdir -p real/app/sub virt/app
echo hello > real/app/x
echo deep > real/app/sub/y
echo "the parent's file" > real/sibling
ln real/sibling virt/sibling
echo "what the host has" > virt/app/x
R=$PWD/real V=$PWD/virt
cat > rw.yaml <<Y
map:
  - path: $V/app
    to: $R/app
    access: read-write
Y
C=$PROGS/virt_calls

# vcompare WHAT POLICY REAL VIRT CMD...: CMD run natively with @ standing
# for REAL, and under k23 with POLICY and @ standing for VIRT; the native
# run's output, with REAL's names written as VIRT's, must be the same.
# VRESET, if set, is run before each of the two runs; VSED, if set, is a
# sed -E script applied to both outputs (what differs between two trees).
vcompare()
{
	local what=$1 pol=$2 real=$3 virt=$4 x nat=() vir=(); shift 4
	for x in "$@"; do nat+=("${x//@/$real}"); vir+=("${x//@/$virt}"); done
	[ -n "${VRESET:-}" ] && $VRESET
	run_native native "${nat[@]}"
	[ -n "${VRESET:-}" ] && $VRESET
	run_k23 k23 --policy "$pol" -- "${vir[@]}"
	sed -i "s|$real|$virt|g; s|$R|$V|g" native.out native.err
	[ -n "${VSED:-}" ] && sed -i -E "$VSED" native.out k23.out
	if cmp -s native.out k23.out && cmp -s native.err k23.err && cmp -s native.rc k23.rc; then
		ok "$what: as natively"
	else
		not_ok "$what: as natively"
		diff native.out k23.out | head -n 30 | sed 's/^/  /'
		diff native.err k23.err | head -n 10 | sed 's/^/  /'
		echo "  status: native $(cat native.rc), k23 $(cat k23.rc)"
	fi
}
