# virt_synth_parse.sh - `k23 policy check` on bad synthesize: and identity: hostname: input: one FILE:LINE:COL: message line, exit 2; and `k23 run` refuses the same before the program starts.
. "$TESTS/policy_lib.sh"

# bad NAME REGEX: NAME.yaml (from stdin) fails to check with that line.
bad() { cat > "$1.yaml"; expect_policy_error "$1" 2 "$2" policy check "$1.yaml"; }

unset K23_SURELY_UNSET_VARIABLE
bad unknown-var '^unknown-var\.yaml:3:15: template: unknown variable \$\{K23_SURELY_UNSET_VARIABLE\}: not one of k23.s \(HOSTNAME, K23_TREE_ID\) and not set in the environment$' <<'Y'
synthesize:
  - path: /etc/x.conf
    template: "a=${K23_SURELY_UNSET_VARIABLE}\n"
Y
bad open-var "^open-var\.yaml:3:15: template: '\\$\\{' without its '\\}'" <<'Y'
synthesize:
  - path: /etc/x.conf
    template: "a=${HOME\n"
Y
bad bad-var "^bad-var\.yaml:3:15: template: '\\$\\{1X\\}' is not a variable name" <<'Y'
synthesize:
  - path: /etc/x.conf
    template: "a=${1X}"
Y
bad relative "^relative\.yaml:2:11: synthesize: path 'etc/x\.conf' is not absolute$" <<'Y'
synthesize:
  - path: etc/x.conf
    text: ""
Y
bad dotdot "^dotdot\.yaml:2:11: synthesize: path '/etc/\.\./x': write it without empty, '\.' or '\.\.' components$" <<'Y'
synthesize:
  - path: /etc/../x
    text: ""
Y
bad twice "^twice\.yaml:4:11: synthesize: path '/etc/x\.conf' is given twice \(first at line 2\)$" <<'Y'
synthesize:
  - path: /etc/x.conf
    text: "a"
  - path: /etc/x.conf
    text: "b"
Y
bad no-dir "^no-dir\.yaml:2:11: synthesize: path '/k23-no-such-dir/x': its directory /k23-no-such-dir does not exist" <<'Y'
synthesize:
  - path: /k23-no-such-dir/x
    text: ""
Y
bad both "^both\.yaml:2:5: synthesize: /etc/x: write either text: or template:$" <<'Y'
synthesize:
  - path: /etc/x
    text: "a"
    template: "b"
Y
bad unknown-key "^unknown-key\.yaml:3:5: synthesize: unknown key 'txt' \(did you mean 'text'\?\)$" <<'Y'
synthesize:
  - path: /etc/x
    txt: "a"
Y
# Over the limit of 1 MiB per file: inline text, and a template that grows
# past it from a variable.
{ printf 'synthesize:\n  - path: /etc/big\n    text: "'; head -c 1048577 /dev/zero | tr '\0' a; printf '"\n'; } > big.yaml
expect_policy_error big 2 '^big\.yaml:2:11: synthesize: /etc/big: more than 1048576 bytes \(the limit per file\)$' policy check big.yaml
{ printf 'synthesize:\n  - path: /etc/big\n    template: "'; for i in $(seq 1100); do printf '${K23_BIG}'; done; printf '"\n'; } > big-tpl.yaml
K23_BIG=$(head -c 1000 /dev/zero | tr '\0' b) expect_policy_error big-tpl 2 \
	'^big-tpl\.yaml:2:11: synthesize: /etc/big: more than 1048576 bytes' policy check big-tpl.yaml
# Exactly at the limit is fine.
{ printf 'synthesize:\n  - path: /etc/big\n    text: "'; head -c 1048576 /dev/zero | tr '\0' a; printf '"\n'; } > limit.yaml
"$K23" policy check limit.yaml > limit.out 2>&1 && ok "1048576 bytes: $(cat limit.out)" || { not_ok "at the limit"; show_file out limit.out; }

bad hostname-bad "^hostname-bad\.yaml:2:13: hostname: 'a b': letters, digits, '-', '\.' and '_' only$" <<'Y'
identity:
  hostname: "a b"
Y
bad hostname-long "^hostname-long\.yaml:2:13: hostname: '[a]+': expected 1 to 64 characters$" <<Y
identity:
  hostname: $(head -c 65 /dev/zero | tr '\0' a)
Y
bad identity-key "^identity-key\.yaml:2:3: identity: unknown key 'hostnme' \(did you mean 'hostname'\?\)$" <<'Y'
identity:
  hostnme: x
Y
# A policy that denies what k23 needs to synthesize a file.
bad needs-fchmod "^k23: needs-fchmod\.yaml:3:5: the policy denies fchmod, which k23 itself needs \(it gives a synthesized file its mode 0444\)$" <<'Y'
calls:
  - deny: [chmod]
  - deny: [fchmod]
synthesize:
  - path: /etc/x
    text: "a"
Y
# k23 run refuses it the same way, before the program starts.
expect_policy_error run-unknown-var 2 '^unknown-var\.yaml:3:15: template: unknown variable' \
	run --policy unknown-var.yaml -- true
finish
