# policy_scope.sh - scope: deny rules that bind only the images of one executable (in-process layer): cat is refused a file bash may read, in enforce and complain mode, with the rule and its line in the audit log; a scoped allow is refused.
. "$TESTS/policy_lib.sh"

echo "the secret line" > secret.txt
echo "another line" > other.txt
cat_exe=$(realpath /usr/bin/cat)
policy() # MODE LOG
{
	cat <<Y
mode: $1
log: $2
files:
  - allow: read
    paths: [/usr, /lib, /lib64, /etc]
  - allow: read-write
    paths: ["\${CWD}", /dev/null]
scope:
  - exe: /usr/bin/cat
    files:
      - deny: all
        paths: ["\${CWD}/secret.txt"]
        errno: EACCES
Y
}
policy enforce enforce.jsonl > enforce.yaml
policy complain complain.jsonl > complain.yaml
line=$(grep -n 'secret.txt' enforce.yaml | cut -d: -f1)

"$K23" policy explain enforce.yaml > explain.out 2>&1
grep -q "line $line: deny .*secret.txt (EACCES) in images of $cat_exe (scope): in-process (bypassable by a hostile program)" explain.out &&
	ok "explain labels the scoped rule in-process (bypassable)" ||
	{ not_ok "explain labels the scoped rule"; show_file explain explain.out; }

# bash itself is not bound: it reads the file as natively.
compare_run --policy enforce.yaml -- bash -c 'read l < secret.txt; echo "$l"'
# Another file: cat reads it as natively.
compare_run --policy enforce.yaml -- bash -c 'cat other.txt'

rm -f enforce.jsonl
"$K23" run --policy enforce.yaml -- bash -c 'cat secret.txt' > cat.out 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q 'Permission denied' cat.out && ! grep -q 'secret line' cat.out &&
	ok "cat is refused the scoped file (status $rc: $(head -n 1 cat.out))" ||
	{ not_ok "cat is refused the scoped file (status $rc)"; show_file out cat.out; }
grep "\"exe\":\"$cat_exe\"" enforce.jsonl | grep -q "\"line\":$line[,}].*\"layer\":\"in-process\"\|\"layer\":\"in-process\".*\"line\":$line[,}]" &&
	grep -q '"verdict":"denied"' enforce.jsonl &&
	ok "the audit log names cat, the rule's line $line and the in-process layer" ||
	{ not_ok "audit line for the scoped rule"; show_file log enforce.jsonl; }

# Complain: cat reads it, and the log says what enforce denies.
rm -f complain.jsonl
compare_run --policy complain.yaml -- bash -c 'cat secret.txt'
"$K23" run --policy complain.yaml -- bash -c 'read l < secret.txt; cat secret.txt other.txt' > /dev/null 2>&1
grep -q '"verdict":"would deny"' complain.jsonl && [ "$(grep -c secret.txt complain.jsonl)" -ge 1 ] &&
	! grep '"exe"' complain.jsonl | grep -v "\"exe\":\"$cat_exe\"" | grep -q . &&
	grep -q "\"layer\":\"in-process\"" complain.jsonl &&
	ok "complain: cat's open logged as would deny (cat only)" ||
	{ not_ok "complain log"; show_file log complain.jsonl; }

# A scope can only tighten: an allow inside it is an error at its line.
cat > allow.yaml <<'Y'
files:
  - allow: read
    paths: [/usr]
scope:
  - exe: /usr/bin/cat
    files:
      - allow: read
        paths: [/etc]
Y
expect_policy_error "a scoped allow" 2 '^allow\.yaml:7:9: allow: inside a scope: a scope can only tighten' policy check allow.yaml
finish
