# policy_complain.sh - complain mode: the program runs as natively, and the audit log lists exactly the calls that enforce mode denies (every layer: seccomp, Landlock, in-process).
. "$TESTS/policy_lib.sh"
[ "$(id -u)" -eq 0 ] || { not_ok "runs as root (natively root reads /etc/shadow)"; finish; }

progs=$(realpath "$PROGS")
policy() # MODE LOG
{
	cat <<Y
mode: $1
log: $2
calls:
  - deny: [vmsplice]
files:
  - allow: read
    paths: [/usr, /lib, /lib64, /etc, "$progs"]
  - allow: read-write
    paths: ["\${CWD}", /dev/null]
  - deny: all
    paths: [/etc/shadow]
Y
}
policy enforce enforce.jsonl > enforce.yaml
policy complain complain.jsonl > complain.yaml
"$K23" policy check complain.yaml > check.out 2>&1 && grep -q 'mode: complain' check.out &&
	ok "check: $(cat check.out)" || { not_ok "check"; show_file out check.out; }
"$K23" policy explain complain.yaml > explain.out 2>&1
grep -q '^mode: complain - NOTHING IS ENFORCED' explain.out && grep -q '^  mode: complain - no kernel layer is installed' explain.out &&
	ok "explain says nothing is enforced" || { not_ok "explain says nothing is enforced"; show_file explain explain.out; }

# A denial of each layer: the filter (vmsplice; io_uring_setup, which k23's
# filter refuses under in-process file rules), Landlock (/var/log is not
# granted) and the in-process layer (/etc/shadow inside the /etc grant).
script='cat /etc/hostname; cat /etc/shadow | wc -c; ls /var/log | wc -l; '"$PROGS"'/policy_calls; '"$PROGS"'/policy_uring open /etc/hostname; true'

# Complain mode changes nothing the program sees.
compare_run --policy complain.yaml -- sh -c "$script"
rm -f complain.jsonl
"$K23" run --policy complain.yaml -- sh -c "$script" > /dev/null 2>&1
"$K23" run --policy enforce.yaml -- sh -c "$script" > enforce.out 2>&1

# key: the executable, the call as decoded (numbers masked: addresses and
# the garbage of unused argument registers differ from run to run), the layer.
keys() { sed -E 's/^.*"exe":("[^"]*").*"call":("([^"\\]|\\.)*").*"layer":("[^"]*").*$/\1 \2 \4/; s/0x[0-9a-f]+/ADDR/g; s/[0-9]+/N/g' "$1" | sort; }
keys enforce.jsonl > enforce.keys
keys complain.jsonl > complain.keys
for layer in in-process "kernel: seccomp" "kernel: Landlock"; do
	grep -q "\"$layer\"\$" enforce.keys && ok "enforce logged a denial by $layer: $(grep "\"$layer\"\$" enforce.keys | head -n 1)" ||
		{ not_ok "enforce logged a denial by $layer"; show_file keys enforce.keys; }
done
diff_check "the complain log lists exactly what enforce denies ($(wc -l < enforce.keys) calls)" enforce.keys complain.keys
# Each line enforce logged is a call that failed: what is logged is what the
# kernel or k23 refused, not a guess.
! grep -v '"result":"-1 E' enforce.jsonl | grep -q . && ok "every call enforce logged failed" ||
	{ not_ok "every call enforce logged failed"; grep -v '"result":"-1 E' enforce.jsonl | head -n 5; }
grep -q '"verdict":"would deny"' complain.jsonl && ! grep -q '"verdict":"denied"' complain.jsonl &&
	grep -q '"mode":"complain"' complain.jsonl && ok "complain lines say 'would deny'" ||
	{ not_ok "complain verdicts"; show_file log complain.jsonl; }
# Enforced, the program does see the denials.
grep -q 'vmsplice: EPERM' enforce.out && grep -q 'Permission denied' enforce.out &&
	grep -q 'io_uring_setup: Operation not permitted' enforce.out && ok "enforced, the program sees the denials" ||
	{ not_ok "enforced, the program sees the denials"; show_file out enforce.out; }
finish
