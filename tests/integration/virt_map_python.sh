# virt_map_python.sh - python3 with its site-packages directory mapped to a bundle imports the bundled module, under the name it expects, and cannot write its bytecode into a read-only map.
. "$TESTS/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || { echo "ok - SKIP: no $PY"; exit 0; }
site=$("$PY" -c 'import site; print(site.getsitepackages()[0])')
mkdir bundle
echo 'WHERE = "the bundle"' > bundle/k23_bundled_mod.py
cat > p.yaml <<Y
map:
  - path: $site
    to: $PWD/bundle
    access: read-only
Y
prog='import k23_bundled_mod as m; print(m.WHERE, m.__file__)'
"$PY" -c "$prog" > native.out 2>&1
grep -q "No module named 'k23_bundled_mod'" native.out &&
	ok "natively the module is not there" || { not_ok "natively the module is not there"; show_file native native.out; }
"$K23" run --policy p.yaml -- "$PY" -c "$prog" > k23.out 2>&1
echo "the bundle $site/k23_bundled_mod.py" > want.out
diff_check "under the map python3 imports the bundled module from its site-packages" want.out k23.out
[ ! -e bundle/__pycache__ ] && ok "no bytecode written into the read-only map" ||
	not_ok "bytecode was written into the read-only map"
finish
