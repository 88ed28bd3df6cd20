# virt_net_parse.sh - `k23 policy check` on bad identity: sections (hosts:, rewrite:): FILE:LINE:COL: message, exit 2; explain lists a good one.
. "$TESTS/policy_lib.sh"

# bad NAME REGEX: NAME.yaml (from stdin) fails to check with one line, exit 2.
bad() { cat > "$1.yaml"; expect_policy_error "$1" 2 "$2" policy check "$1.yaml"; }

bad bad-address "^bad-address\.yaml:2:24: destination '10\.77\.0\.300': '10\.77\.0\.300' is not an IPv4 address$" <<'Y'
identity:
  hosts: {db.internal: 10.77.0.300}
Y
bad host-network "^host-network\.yaml:2:24: hosts: '10\.77\.0\.0/16' is a network: name one address$" <<'Y'
identity:
  hosts: {db.internal: 10.77.0.0/16}
Y
bad host-port "^host-port\.yaml:2:24: hosts: db\.internal: '10\.77\.0\.5:5432': write the address alone, without a port$" <<'Y'
identity:
  hosts: {db.internal: "10.77.0.5:5432"}
Y
bad host-name "^host-name\.yaml:2:11: hosts: 'db internal' is not a host name" <<'Y'
identity:
  hosts: {"db internal": 10.77.0.5}
Y
bad host-is-address "^host-is-address\.yaml:2:11: hosts: '10\.0\.0\.1' is an address, not a name$" <<'Y'
identity:
  hosts: {10.0.0.1: 10.77.0.5}
Y
bad host-twice "^host-twice\.yaml:3:5: hosts: 'DB.internal' given twice \(line 2\)$" <<'Y'
identity:
  hosts: {db.internal: 10.77.0.5,
    DB.internal: 10.77.0.6}
Y
bad unknown-host "^unknown-host\.yaml:5:13: from: 'db\.internl' is neither a name of hosts: nor an address \(did you mean 'db\.internal'\?\)$" <<'Y'
identity:
  hosts: {db.internal: 10.77.0.5}
  rewrite:
    - to: "127.0.0.1:15432"
      from: "db.internl:5432"
Y
bad no-hosts "^no-hosts\.yaml:3:13: from: 'db\.internal' is neither a name of hosts: nor an address$" <<'Y'
identity:
  rewrite:
    - from: "db.internal:5432"
      to: "127.0.0.1:15432"
Y
bad missing-port "^missing-port\.yaml:5:11: to: '127\.0\.0\.1': no port \(write 127\.0\.0\.1:PORT\)$" <<'Y'
identity:
  hosts: {db.internal: 10.77.0.5}
  rewrite:
    - from: "db.internal:5432"
      to: "127.0.0.1"
Y
bad missing-port6 "^missing-port6\.yaml:3:13: from: '\[fd00::5\]': no port \(write \[ADDRESS\]:PORT\)$" <<'Y'
identity:
  rewrite:
    - from: "[fd00::5]"
      to: "[::1]:15432"
Y
bad bad-port "^bad-port\.yaml:3:13: from: '10\.0\.0\.1:99999': port '99999': expected a number 1-65535$" <<'Y'
identity:
  rewrite:
    - from: "10.0.0.1:99999"
      to: "127.0.0.1:15432"
Y
bad v6-brackets "^v6-brackets\.yaml:3:13: from: 'fd00::5:5432': an IPv6 address goes in brackets before its port" <<'Y'
identity:
  rewrite:
    - from: "fd00::5:5432"
      to: "[::1]:15432"
Y
bad to-name "^to-name\.yaml:5:11: to: 'localhost' is not an address" <<'Y'
identity:
  hosts: {db.internal: 10.77.0.5}
  rewrite:
    - from: "db.internal:5432"
      to: "localhost:15432"
Y
bad to-v6-from-v4 "^to-v6-from-v4\.yaml:4:11: to: '\[::1\]:15432': an IPv6 destination for an IPv4 one" <<'Y'
identity:
  rewrite:
    - from: "10.0.0.1:5432"
      to: "[::1]:15432"
Y
bad from-twice "^from-twice\.yaml:6:13: from: 'db\.internal:5432' is rewritten twice \(line 4\)$" <<'Y'
identity:
  hosts: {db.internal: 10.77.0.5}
  rewrite:
    - from: "10.77.0.5:5432"
      to: "127.0.0.1:15432"
    - from: "db.internal:5432"
      to: "127.0.0.1:15433"
Y
bad to-twice "^to-twice\.yaml:6:11: to: '127\.0\.0\.1:15432' is also where line 3 goes" <<'Y'
identity:
  rewrite:
    - from: "10.77.0.5:5432"
      to: "127.0.0.1:15432"
    - from: "10.77.0.6:5432"
      to: "127.0.0.1:15432"
Y
bad no-to "^no-to\.yaml:3:7: rewrite: write from: \(HOST:PORT the program names\) and to: " <<'Y'
identity:
  rewrite:
    - from: "10.77.0.5:5432"
Y
bad unknown-key "^unknown-key\.yaml:2:3: identity: unknown key 'host' \(did you mean 'hosts'\?\)$" <<'Y'
identity:
  host: {db.internal: 10.77.0.5}
Y

# A good one: explain lists each host and rewrite with its line.
cat > good.yaml <<'Y'
identity:
  hosts: {db.internal: 10.77.0.5, db6.internal: "fd00::5"}
  rewrite:
    - from: "db.internal:5432"
      to: "127.0.0.1:15432"
    - from: "[fd00::5]:5432"
      to: "[::1]:15432"
Y
"$K23" policy explain good.yaml > explain.out 2>&1
grep -q '^  line 2: host db.internal is 10.77.0.5$' explain.out &&
	grep -q '^  line 2: host db6.internal is fd00::5$' explain.out &&
	grep -q '^  line 4: rewrite db.internal:5432 (10.77.0.5:5432) to 127.0.0.1:15432$' explain.out &&
	grep -q '^  line 6: rewrite \[fd00::5\]:5432 to \[::1\]:15432$' explain.out &&
	ok "explain lists the hosts and the rewrites" || { not_ok "explain"; show_file out explain.out; }

finish
