# patch_awkward.sh - syscall sites in awkward places behave as natively under patching and are patched where planned: libc's sites spanning two pages (offset 0xfff), a syscall that is a loop head, one followed by a branch target, one in the last bytes of an executable segment.
. "$TESTS/lib.sh"
. "$TESTS/lib_patch.sh"
p="$PROGS/patch_awkward"
seg="$PROGS/patch_segend"
libc=/lib/x86_64-linux-gnu/libc.so.6
k=1000

prepare_into cache "$p" "$seg"
mkdir -p empty
if patching_on; then
	runs=("--cache $PWD/cache" "--cache $PWD/empty" "--cache $PWD/cache --no-lazy" "--cache $PWD/empty --no-lazy")
	page0_ok && runs+=("--cache $PWD/cache --patch=page0" "--cache $PWD/empty --patch=page0")
	runs+=("--no-patch --cache $PWD/cache")
else
	runs=("--cache $PWD/cache" "--cache $PWD/empty")
fi

# --- sites spanning two pages: libc's, at page offset 0xfff ----------------
# A patched site's bytes in memory: the program prints them (peek), natively
# the file's, under k23 the patch, which starts at the plan's first byte.
# Calls that need a kernel frame (rt_sigprocmask, like getcontext's) are
# sent from a patched site back to the catch-all by design
# (online/dispatch/patched_call.c), and such sites are never patched lazily; openat
# (opendir's) is a plain call.
"$K23" sites --cache cache --json "$libc" > libc.json 2> libc.err ||
	{ not_ok "k23 sites $libc"; show_file stderr libc.err; }
/usr/bin/python3 -c 'import json
for s in json.load(open("libc.json"))["sites"]:
    if s["vaddr"] % 4096 == 4095:
        p = s["plan"]
        print(s["vaddr"], p["vaddr"] if p else 0, p["length"] if p else 0)' > spanning 2> /dev/null
[ -s spanning ] || ok "no syscall site of $libc spans two pages: nothing to check there"
checked=0
while read -r va pva plen; do
	fn=$(func_at "$libc" "$va")
	case "$fn" in
	getcontext) a0=(getcontext 0); a1=(getcontext $k); sc=rt_sigprocmask ;;
	__open64_nocancel|__open_nocancel) mkdir -p d; touch d/a d/b d/c
		a0=(opendir 1 d); a1=(opendir $((k / 5 + 1)) d); sc=openat ;;
	*) echo "  libc site $(printf 0x%x "$va") in $fn spans two pages: no way to call it here, not checked"
	   continue ;;
	esac
	checked=$((checked + 1))
	where="libc $(printf 0x%x "$va") in $fn (spans two pages)"
	for r in "${runs[@]}"; do
		compare_run $r -- "$p" "${a1[@]}"
	done
	compare_counts --cache "$PWD/cache" -- "$p" "${a1[@]}"
	if [ "$pva" = 0 ]; then
		not_ok "$where: k23 prepare made no plan for it"
		continue
	fi
	# In memory: the file's bytes natively, the patch under k23.
	run_native peek "$p" peek "$pva" "$plen"
	want=$(vaddr_bytes "$libc" "$pva" "$plen")
	[ "$(cat peek.out)" = "$want" ] && ok "$where: natively the plan's bytes, $want" ||
		not_ok "$where: natively $(cat peek.out), the file has $want"
	if patching_on; then
		run_k23 kpeek --cache "$PWD/cache" --no-lazy -- "$p" peek "$pva" "$plen"
		got=$(cat kpeek.out)
		if [ "$(cat kpeek.rc)" = 0 ] && [ "${got%% *}" = e9 ] && [ "$got" != "$want" ]; then
			ok "$where: patched at load, $got (a jmp) in place of $want"
		else
			not_ok "$where: not patched at load: in memory "$got", the file has $want (status $(cat kpeek.rc))"
		fi
	fi
	run_k23 kpeek --no-patch --cache "$PWD/cache" -- "$p" peek "$pva" "$plen"
	[ "$(cat kpeek.out)" = "$want" ] && ok "$where: left alone under --no-patch" ||
		not_ok "$where: --no-patch, in memory \"$(cat kpeek.out)\", the file has $want"
	patching_on || continue
	# The calls: all through the patched sites but those needing a frame.
	if stats_delta --cache "$PWD/cache" --no-lazy -- "$p" -- "${a0[@]}" -- "${a1[@]}"; then
		ds=$(delta_of $sc)
		if [ $sc = rt_sigprocmask ]; then want_trapped=$ds; else want_trapped=0; fi
		if [ "$ds" -gt 0 ] && [ "$D_TRAPPED" = "$want_trapped" ] && [ $((D_PATCHED + D_TRAPPED)) = "$D_TOTAL" ]; then
			ok "$where: $ds extra $sc; $(delta_line)"
		else
			not_ok "$where, sidecar, --no-lazy: $ds extra $sc, want $want_trapped of the extra calls trapped: $(delta_line)"
		fi
	fi
done < spanning
[ -s spanning ] && [ $checked -eq 0 ] && not_ok "libc has page-spanning sites, none in a function patch_awkward calls"

# --- sites spanning two pages: the program's own -----------------------------
# spanning: mov $39,%eax at 0xffa, syscall at 0xfff (patched lazily too);
# spanning2: the syscall a branch target, only the bytes from it on can go.
for mode in spanning spanning2; do
	va=$(objdump -d --no-show-raw-insn "$p" | awk -v f="<$mode>:" '
		$2 == f { inside = 1; next } inside && NF == 0 { exit }
		inside && $2 == "syscall" { a = $1; sub(/:$/, "", a); print a; exit }')
	case "$va" in
	*fff) ok "$mode: syscall at 0x$va" ;;
	*) not_ok "$mode: syscall at 0x$va, not at page offset 0xfff: the test checks nothing"; continue ;;
	esac
	for r in "${runs[@]}"; do
		compare_run $r -- "$p" $mode $k
	done
	compare_counts --cache "$PWD/cache" -- "$p" $mode $k
	patching_on || continue
	if stats_delta --cache "$PWD/cache" --no-lazy -- "$p" -- $mode 0 -- $mode $k; then
		[ "$(delta_of getpid)" = $k ] && [ "$D_PATCHED" = $k ] && [ "$D_TRAPPED" = 0 ] &&
			ok "$mode, sidecar: all $k extra getpid patched; $(delta_line)" ||
			not_ok "$mode, sidecar, --no-lazy: want $k extra getpid, all patched: $(delta_of getpid) getpid, $(delta_line)"
	fi
	if lazy_shaped "$p" $((0x$va)) && stats_delta --cache "$PWD/empty" -- "$p" -- $mode 0 -- $mode $k; then
		[ "$(delta_of getpid)" = $k ] && [ "$D_LAZY" = 1 ] && [ "$D_TRAPPED" -le 1 ] && [ "$D_PATCHED" -ge $((k - 1)) ] &&
			ok "$mode, no sidecar: patched lazily at its first trap; $(delta_line)" ||
			not_ok "$mode, no sidecar, lazy: want the site patched lazily at its first trap, $((k - 1)) or more extra getpid patched: $(delta_line)"
	fi
done

# --- a syscall that is the loop head; one right before a branch target -----
"$K23" sites --cache cache --json "$p" > prog.json 2> prog.err
for mode in loophead beforetarget; do
	va=$(objdump -d --no-show-raw-insn "$p" | awk -v f="<$mode>:" '
		$2 == f { inside = 1; next } inside && NF == 0 { exit }
		inside && $2 == "syscall" { a = $1; sub(/:$/, "", a); print a; exit }')
	if [ -z "$va" ]; then
		not_ok "$mode: no syscall found in $p by objdump"
		continue
	fi
	plan=$(/usr/bin/python3 -c 'import json, sys
for s in json.load(open("prog.json"))["sites"]:
    if s["vaddr"] == int(sys.argv[1], 16):
        print("planned" if s["plan"] else "catch-all only:", "" if s["plan"] else s["reason"])
        break
else: print("missing")' "$va" 2> /dev/null)
	case "$plan" in
	missing|"") not_ok "$mode: site 0x$va not in k23 sites of $p" ;;
	*) ok "$mode: site 0x$va found by k23 prepare, $plan" ;;
	esac
	for r in "${runs[@]}"; do
		compare_run $r -- "$p" $mode $k
	done
	compare_counts --cache "$PWD/cache" -- "$p" $mode $k
	patching_on || continue
	for c in cache empty; do
		stats_delta --cache "$PWD/$c" -- "$p" -- $mode 0 -- $mode $k || continue
		if [ "$(delta_of getpid)" -gt 0 ] && [ $((D_PATCHED + D_TRAPPED)) = "$D_TOTAL" ]; then
			ok "$mode, cache $c: $(delta_line)"
		else
			not_ok "$mode, cache $c: $(delta_of getpid) extra getpid; patched + trapped != the count table's extra calls: $(delta_line)"
		fi
	done
done

# --- a syscall in the last bytes of an executable segment -------------------
rva=$(nm "$seg" | awk '$3 == "restorer" { print $1 }')
send=$(exec_segment_end "$seg" $((0x$rva)))
if [ -n "$rva" ] && [ "$send" = $((0x$rva + 7)) ] && [ "$(vaddr_bytes "$seg" $((0x$rva)) 7)" = "b8 0f 00 00 00 0f 05" ]; then
	ok "patch_segend: mov \$15,%eax; syscall at 0x$rva ends its executable segment ($(printf 0x%x "$send"))"
else
	not_ok "patch_segend: the restorer (0x$rva) does not end the executable segment (${send:-?}): the test checks nothing"
fi
real_sites "$seg" > seg.real
k23_sites cache "$seg" > seg.k23 2> /dev/null
diff_check "patch_segend: k23 sites lists objdump's syscall instructions" seg.real seg.k23
"$K23" sites --cache cache --json "$seg" | /usr/bin/python3 -c 'import json, sys
end = int(sys.argv[1])
for s in json.load(sys.stdin)["sites"]:
    p = s["plan"]
    if p and p["vaddr"] + p["length"] > end:
        print("0x%x: plan 0x%x+%d past the segment end 0x%x" % (s["vaddr"], p["vaddr"], p["length"], end))
' "$send" > past
[ -s past ] && { not_ok "patch_segend: a plan reaches past its segment"; show_file plans past; } ||
	ok "patch_segend: no plan reaches past the segment end"
for r in "${runs[@]}"; do
	compare_run $r -- "$seg" 300
done
compare_counts --cache "$PWD/cache" -- "$seg" 300
# The program writes the restorer's bytes as they are in memory to fd 3.
want=$(vaddr_bytes "$seg" $((0x$rva)) 7)
( "$seg" 3 3> mem.native > /dev/null 2>&1 )
[ "$(od -An -v -tx1 mem.native | xargs)" = "$want" ] && ok "patch_segend: natively the restorer is $want in memory" ||
	not_ok "patch_segend: natively the restorer reads $(od -An -v -tx1 mem.native | xargs), the file has $want"
if patching_on; then
	for m in $(patch_modes); do
		( "$K23" run --cache "$PWD/cache" --no-lazy --patch=$m -- "$seg" 3 3> mem.k23 > /dev/null 2> mem.err; echo $? > mem.rc ) 2> /dev/null
		got=$(od -An -v -tx1 mem.k23 | xargs)
		if [ "$(cat mem.rc)" = 0 ] && [ -n "$got" ] && [ "$got" != "$want" ]; then
			ok "patch_segend --patch=$m: the site ending the segment is patched at load: $got"
		else
			not_ok "patch_segend --patch=$m: restorer in memory \"$got\" (file: $want), $(describe_status "$(cat mem.rc)")"
		fi
	done
fi
( "$K23" run --no-patch --cache "$PWD/cache" -- "$seg" 3 3> mem.k23 > /dev/null 2>&1 )
[ "$(od -An -v -tx1 mem.k23 | xargs)" = "$want" ] && ok "patch_segend --no-patch: restorer left alone" ||
	not_ok "patch_segend --no-patch: restorer in memory $(od -An -v -tx1 mem.k23 | xargs), the file has $want"
# rt_sigreturn and tgkill need a kernel frame: from a patched site they go
# to the catch-all (online/dispatch/patched_call.c), and are never patched lazily.
if patching_on; then
	for c in cache empty; do
		stats_delta --cache "$PWD/$c" -- "$seg" -- 0 -- 300 || continue
		if [ "$(delta_of rt_sigreturn)" = 300 ] && [ $((D_PATCHED + D_TRAPPED)) = "$D_TOTAL" ]; then
			ok "patch_segend, cache $c: $(delta_line)"
		else
			not_ok "patch_segend, cache $c: $(delta_of rt_sigreturn) extra rt_sigreturn, want 300; $(delta_line)"
		fi
	done
fi
finish
