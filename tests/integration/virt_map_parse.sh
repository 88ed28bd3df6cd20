# virt_map_parse.sh - `k23 policy check` on bad map: sections (a missing target, maps that loop or chain, names that are not absolute, ...): FILE:LINE:COL: message, exit 2; explain lists a good one.
. "$TESTS/policy_lib.sh"

# bad NAME REGEX: NAME.yaml (from stdin) fails to check with one line, exit 2.
bad() { cat > "$1.yaml"; expect_policy_error "$1" 2 "$2" policy check "$1.yaml"; }

bad missing-target "^missing-target\.yaml:3:9: to '/nonexistent/k23-bundle': No such file or directory \(a map's target must exist\)$" <<'Y'
map:
  - path: /etc/myapp
    to: /nonexistent/k23-bundle
Y
bad loop "^loop\.yaml:3:9: maps loop: /usr/share -> /usr/lib, and /usr/lib -> /usr/share \(line 4\)$" <<'Y'
map:
  - path: /usr/share
    to: /usr/lib
  - path: /usr/lib
    to: /usr/share
Y
bad chain "^chain\.yaml:3:9: map: the target /usr/lib lies inside /usr/lib, mapped at line 4: maps do not chain \(write the final target\)$" <<'Y'
map:
  - path: /opt/k23-app
    to: /usr/lib
  - path: /usr/lib
    to: /usr/share
Y
bad own "^own\.yaml:3:9: map: the target /usr/lib lies inside its own path /usr: the map would loop$" <<'Y'
map:
  - path: /usr
    to: /usr/lib
Y
bad relative-path "^relative-path\.yaml:2:11: path 'etc/myapp' is not absolute$" <<'Y'
map:
  - path: etc/myapp
    to: /usr/share
Y
bad relative-to "^relative-to\.yaml:3:9: to 'usr/share' is not absolute$" <<'Y'
map:
  - path: /etc/myapp
    to: usr/share
Y
bad dotdot "^dotdot\.yaml:2:11: path '/etc/\.\./myapp' has a '\.\.' component \(write the path it names\)$" <<'Y'
map:
  - path: /etc/../myapp
    to: /usr/share
Y
bad root "^root\.yaml:2:11: path '/' is the root \(map trees below /\)$" <<'Y'
map:
  - path: /
    to: /usr/share
Y
bad twice "^twice\.yaml:3:12: path '/etc//myapp/' is mapped twice \(also at line 2\)$" <<'Y'
map:
  - {path: /etc/myapp, to: /usr/share}
  - {path: /etc//myapp/, to: /usr/lib}
Y
bad access "^access\.yaml:4:13: access: 'write' \(read-only or read-write\)$" <<'Y'
map:
  - path: /etc/myapp
    to: /usr/share
    access: write
Y
bad no-to "^no-to\.yaml:2:5: map: no to: \(the tree that serves it\)$" <<'Y'
map:
  - path: /etc/myapp
Y
bad unknown-key "^unknown-key\.yaml:3:5: map: unknown key 'too' \(did you mean 'to'\?\)$" <<'Y'
map:
  - path: /etc/myapp
    too: /usr/share
Y
bad not-a-list "^not-a-list\.yaml:1:6: map: expected a list of maps \(- path: \.\.\., to: \.\.\.\)$" <<'Y'
map: /etc/myapp
Y

# The same errors stop `k23 run --policy` before the program starts.
expect_policy_error run-loop 2 "^loop\.yaml:3:9: maps loop: " run --policy loop.yaml -- true

cat > good.yaml <<'Y'
map:
  - {path: /etc/./myapp/, to: /usr/share, access: read-write}
  - {path: /etc/other, to: /usr/lib}
Y
"$K23" policy check good.yaml > check.out 2>&1 && ok "a good map checks" ||
	{ not_ok "a good map checks"; show_file check check.out; }
"$K23" policy explain good.yaml > explain.out 2>&1
grep -q "^  line 2: /etc/myapp -> /usr/share (read-write)$" explain.out &&
	grep -q "^  line 3: /etc/other -> /usr/lib (read-only)$" explain.out &&
	ok "explain lists each map, its path made normal, and its access" ||
	{ not_ok "explain lists the maps"; show_file explain explain.out; }
finish
