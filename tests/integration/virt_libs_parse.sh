# virt_libs_parse.sh - libraries: in `k23 policy check`: a missing or non-directory bundle, a missing, relative or #! exe, an exe named twice, a bundle a files: policy does not grant: one line FILE:LINE:COL, exit 2; a good one is explained with the bundle's shared objects.
. "$TESTS/policy_lib.sh"

mkdir -p bundle sub
: > bundle/libz.so.1
: > bundle/libfoo.so
: > bundle/README
ln -s libz.so.1 bundle/libz.so
echo 'not a directory' > plain
printf '#!/bin/sh\necho hi\n' > script.sh
chmod +x script.sh
cp "$(realpath /usr/bin/true)" prog
ln prog prog-link
ln -s "$PWD/prog" sub/prog-sym
here=$PWD

# bad NAME REGEX: NAME.yaml (from stdin) fails `policy check` with one line, exit 2.
bad() { cat > "$1.yaml"; expect_policy_error "$1" 2 "$2" policy check "$1.yaml"; }

bad missing-bundle "^missing-bundle\.yaml:3:13: bundle: '$here/nothing': No such file or directory\$" <<Y
libraries:
  - exe: $here/prog
    bundle: $here/nothing
Y
bad bundle-file "^bundle-file\.yaml:3:13: bundle: '$here/plain' is not a directory\$" <<Y
libraries:
  - exe: $here/prog
    bundle: $here/plain
Y
bad missing-exe "^missing-exe\.yaml:2:10: exe: '$here/no-such-prog': No such file or directory\$" <<Y
libraries:
  - exe: $here/no-such-prog
    bundle: $here/bundle
Y
bad relative-exe "^relative-exe\.yaml:2:10: exe: 'prog' is not absolute\$" <<Y
libraries:
  - exe: prog
    bundle: $here/bundle
Y
bad script-exe "^script-exe\.yaml:2:10: exe: '$here/script.sh' is a #! script" <<Y
libraries:
  - exe: $here/script.sh
    bundle: $here/bundle
Y
# Named twice: by the same real path (through a symlink), or as the same
# file under another name (a hard link), as an image is matched.
bad twice-symlink "^twice-symlink\.yaml:4:10: exe: $here/prog is named twice \(line 2\): one bundle per executable\$" <<Y
libraries:
  - exe: $here/prog
    bundle: $here/bundle
  - exe: $here/sub/prog-sym
    bundle: $here/bundle
Y
bad twice-hardlink "^twice-hardlink\.yaml:6:10: exe: $here/prog-link is named twice \(line 3\): one bundle per executable\$" <<Y
libraries:
  - bundle: $here/bundle
    exe: $here/prog
  - bundle: $here/bundle
    comment: the same file under another name
    exe: $here/prog-link
Y
bad no-bundle "^no-bundle\.yaml:2:5: libraries: no bundle: \(the directory of its libraries\)\$" <<Y
libraries:
  - exe: $here/prog
Y
bad unknown-key "^unknown-key\.yaml:3:5: libraries: unknown key 'bundel' \(did you mean 'bundle'\?\)\$" <<Y
libraries:
  - exe: $here/prog
    bundel: $here/bundle
Y
bad not-a-list "^not-a-list\.yaml:2:3: libraries: expected a list" <<Y
libraries:
  exe: $here/prog
Y
bad not-granted "^not-granted\.yaml:7:13: bundle: '$here/bundle' is not readable under files: \(grant it: - allow: read, paths: \[$here/bundle\]\)\$" <<Y
files:
  - allow: read
    paths: [/usr, /lib, /etc]
libraries:
  - exe: $here/prog
    comment: the bundle is not granted
    bundle: $here/bundle
Y

# A good one: checked, and explained with the bundle's shared objects (the
# README is not one; a symlink to one is).
cat > good.yaml <<Y
files:
  - allow: read
    paths: [/usr, /lib, /etc, "\${CWD}"]
libraries:
  - exe: $here/sub/prog-sym
    bundle: $here/bundle
Y
"$K23" policy check good.yaml > check.out 2>&1 && ok "a good libraries: policy checks" ||
	{ not_ok "a good libraries: policy checks"; show_file out check.out; }
"$K23" policy explain good.yaml > explain.out 2>&1
grep -q "^  line 5: images of $here/prog: 3 from $here/bundle (libfoo.so, libz.so, libz.so.1)\$" explain.out &&
	grep -q "directories ld.so searches" explain.out &&
	ok "explain names the executable (real path), the bundle and its 3 shared objects" ||
	{ not_ok "explain of libraries:"; show_file explain explain.out; }
finish
