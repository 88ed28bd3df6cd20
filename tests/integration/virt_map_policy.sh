# virt_map_policy.sh - a path map with a policy: the policy's rules see the real name (the map's target), as Landlock does in the kernel: a deny rule on the target refuses the mapped name, one on the mapped name refuses nothing.
. "$TESTS/virt_lib.sh"

echo secret > real/app/secret
cat > both.yaml <<Y
files:
  - allow: read-write
    paths: [/]
  - deny: all
    paths: ["$R/app/secret", "$V/app/x"]
map:
  - path: $V/app
    to: $R/app
Y
"$K23" run --policy both.yaml -- $C open:$R/app/secret open:$V/app/secret open:$V/app/x \
	stat:$V/app/secret > pol.out 2>&1
cat > pol.want <<W
open:$R/app/secret: EACCES
open:$V/app/secret: EACCES
open:$V/app/x: read "hello"
W
# stat is not refused by an in-process deny rule... unless it is: take the
# real name's answer as the expectation for the mapped one.
"$K23" run --policy both.yaml -- $C stat:$R/app/secret | sed "s|$R|$V|" >> pol.want
diff_check "a deny rule on the target refuses the mapped name; one on the mapped name does not apply" \
	pol.want pol.out
finish
