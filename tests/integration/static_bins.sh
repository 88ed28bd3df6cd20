# static_bins.sh - static (ET_EXEC) and static-pie programs run under k23 as natively, every syscall seen.
. "$TESTS/lib.sh"
GUARD_MAPPED=1	# compare_run: no file the run maps may change (tests/lib.sh)
s="$PROGS/static_hello" sp="$PROGS/static_hello_pie"
# Make sure the binaries are what this test claims to test.
if [ "$(elf_type "$s")" = EXEC ] && ! elf_has_interp "$s"; then ok "static_hello is static ET_EXEC"
else not_ok "static_hello is static ET_EXEC (type $(elf_type "$s"))"; fi
if [ "$(elf_type "$sp")" = DYN ] && ! elf_has_interp "$sp"; then ok "static_hello_pie is static-pie ET_DYN"
else not_ok "static_hello_pie is static-pie ET_DYN (type $(elf_type "$sp"))"; fi
for p in "$s" "$sp"; do
	compare_run -- "$p" a b
	compare_counts -- "$p" a b
	compare_names -- "$p" a b
done
finish
