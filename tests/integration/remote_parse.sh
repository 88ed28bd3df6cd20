# remote_parse.sh - `k23 policy check` on bad remote: sections (URLs that do not parse, bad options, trees that overlap a map): one line FILE:LINE:COL: message naming the character at fault, exit 2; explain lists a good one.
. "$TESTS/policy_lib.sh"

# bad NAME REGEX: NAME.yaml (from stdin) fails to check with one line, exit 2.
bad() { cat > "$1.yaml"; expect_policy_error "$1" 2 "$2" policy check "$1.yaml"; }

bad scheme "^scheme\.yaml:2:15: remote: URL 'http://h/x': the scheme is not 9p \(9p://HOST\[:PORT\]/EXPORT\)$" <<'Y'
remote:
  /mnt/data: "http://h/x"
Y
bad no-scheme "^no-scheme\.yaml:2:14: remote: URL '127\.0\.0\.1:564/x': no scheme \(9p://\) " <<'Y'
remote:
  /mnt/data: 127.0.0.1:564/x
Y
# The column names the port's first digit (a quoted scalar starts one before its text).
bad port-zero "^port-zero\.yaml:2:30: remote: URL '9p://127\.0\.0\.1:0/x': the port is not a number 1-65535 " <<'Y'
remote:
  /mnt/data: "9p://127.0.0.1:0/x"
Y
bad port-big "^port-big\.yaml:2:21: remote: URL '9p://a:70000/x': the port is not a number 1-65535 " <<'Y'
remote:
  /mnt/data: 9p://a:70000/x
Y
bad no-export "^no-export\.yaml:2:34: remote: URL '9p://127\.0\.0\.1:5640': no export: " <<'Y'
remote:
  /mnt/data: "9p://127.0.0.1:5640"
Y
bad ipv6 "^ipv6\.yaml:2:21: remote: URL '9p://\[zz\]:1/x': not an IPv6 address " <<'Y'
remote:
  /mnt/data: "9p://[zz]:1/x"
Y
bad bracket "^bracket\.yaml:2:20: remote: URL '9p://\[::1/x': no '\]' after the IPv6 address " <<'Y'
remote:
  /mnt/data: "9p://[::1/x"
Y
bad space "^space\.yaml:2:21: remote: URL '9p://h o/x': unexpected character in the host " <<'Y'
remote:
  /mnt/data: "9p://h o/x"
Y
bad no-host "^no-host\.yaml:2:20: remote: URL '9p:///x': a host name or address was expected here " <<'Y'
remote:
  /mnt/data: "9p:///x"
Y
bad relative "^relative\.yaml:2:3: remote: path 'mnt/data' is not absolute$" <<'Y'
remote:
  mnt/data: "9p://h/x"
Y
bad unreachable "^unreachable\.yaml:4:18: unreachable: 'maybe' \(fail: k23 run exits; start: the program runs and its remote calls fail with EIO\)$" <<'Y'
remote:
  /mnt/data:
    url: "9p://h/x"
    unreachable: maybe
Y
bad timeout "^timeout\.yaml:4:14: timeout: 0 seconds: expected 1-3600$" <<'Y'
remote:
  /mnt/data:
    url: "9p://h/x"
    timeout: 0
Y
bad no-url "^no-url\.yaml:3:5: remote: /mnt/data: no url: \(9p://HOST\[:PORT\]/EXPORT\)$" <<'Y'
remote:
  /mnt/data:
    timeout: 5
Y
bad unknown-key "^unknown-key\.yaml:3:5: remote: unknown key 'urll' \(did you mean 'url'\?\)$" <<'Y'
remote:
  /mnt/data:
    urll: "9p://h/x"
Y
bad nested "^nested\.yaml:3:3: remote: /mnt/data/sub overlaps the remote tree /mnt/data \(line 2\)$" <<'Y'
remote:
  /mnt/data: "9p://h/x"
  /mnt/data/sub: "9p://h/y"
Y
bad map "^map\.yaml:5:3: remote: /etc/myapp/x overlaps the map of /etc/myapp \(line 2\): a name is served by one of them$" <<'Y'
map:
  - path: /etc/myapp
    to: /usr/share
remote:
  /etc/myapp/x: "9p://h/y"
Y
bad not-a-mapping "^not-a-mapping\.yaml:1:9: remote: expected a mapping of paths to URLs " <<'Y'
remote: "9p://h/x"
Y

# The same errors stop `k23 run --policy` before the program starts.
expect_policy_error run-scheme 2 "^scheme\.yaml:2:15: remote: URL 'http://h/x': the scheme is not 9p" \
	run --policy scheme.yaml -- true

# A good remote: section whose server does not answer (nothing listens on
# port 1 of the loopback): k23 run says which, in one line, exit 1
# (remote_run.sh runs programs against a real server).
printf 'remote:\n  /mnt/data: "9p://127.0.0.1:1/srv/export"\n' > run-good.yaml
expect_policy_error run-good 1 "^k23: remote /mnt/data: 9p://127\.0\.0\.1:1/srv/export: Connection refused$" \
	run --policy run-good.yaml -- true

cat > good.yaml <<'Y'
remote:
  /mnt//data/: "9p://127.0.0.1:5640/srv/export"
  /mnt/logs:
    url: "9p://[::1]/logs"
    unreachable: start
    timeout: 3
Y
"$K23" policy check good.yaml > check.out 2>&1 && ok "a good remote: section checks" ||
	{ not_ok "a good remote: section checks"; show_file check check.out; }
"$K23" policy explain good.yaml > explain.out 2>&1
grep -q "^  line 2: /mnt/data from 127\.0\.0\.1 port 5640, export /srv/export; calls wait 10 s, then EIO;$" explain.out &&
	grep -q "^  line 3: /mnt/logs from \[::1\] port 564, export /logs; calls wait 3 s, then EIO;$" explain.out &&
	grep -q "server unreachable at start: the program starts, its remote calls fail with EIO" explain.out &&
	ok "explain lists each remote tree, its path made normal, server, export, timeout" ||
	{ not_ok "explain lists the remote trees"; show_file explain explain.out; }
finish
