# prepare_shebang.sh - `k23 prepare SCRIPT` follows #! to the interpreter as `k23 run` (and the kernel) do: the interpreter and its libraries get sidecars; nested #!, a missing interpreter, too deep a chain.
. "$TESTS/lib.sh"

# A copy of sh, so its sidecar can only come from preparing through the script.
cp "$(readlink -f /bin/sh)" ./mysh
printf '#!%s\necho from the script\n' "$PWD/mysh" > script && chmod +x script
if "$K23" prepare --cache c ./script > prep.out 2> prep.err; then
	ok "prepare a #! script: status 0"
else
	not_ok "prepare a #! script"
	show_file stderr prep.err
fi
grep -q "a #! script: preparing its interpreter $PWD/mysh" prep.err &&
	ok "it says it prepares the interpreter" || { not_ok "no word of the interpreter"; show_file stderr prep.err; }
"$K23" sites --cache c ./mysh > /dev/null 2> sites.err &&
	ok "the interpreter has its sidecar" || { not_ok "no sidecar for the interpreter"; show_file err sites.err; }
libc=$(ldd ./mysh | sed -n 's/.*libc\.so\.6 => \([^ ]*\).*/\1/p')
"$K23" sites --cache c "$libc" > /dev/null 2> sites.err &&
	ok "and its libraries ($libc)" || { not_ok "no sidecar for $libc"; show_file err sites.err; }
# Then the script runs patched from these sidecars, with no other prepare.
"$K23" run --prepare=never --cache c --stats -- ./script > run.out 2> run.err
if [ "${TESTS_PATCHING:-on}" = off ] && grep -q "^from the script$" run.out; then
	ok "k23 run of the script (--no-patch: it looks up no sidecar)"
elif grep -q "^from the script$" run.out && grep -q "without sidecar 0" run.err &&
   ! grep -q "with sidecar 0" run.err; then
	ok "k23 run of the script finds every sidecar"
else
	not_ok "k23 run of the script after preparing it"
	show_file stdout run.out
	show_file stderr run.err
fi

# A script interpreting a script (the kernel nests #! up to 5 levels).
printf '#!%s\n' "$PWD/script" > outer && chmod +x outer
"$K23" prepare --quiet --cache c2 ./outer > /dev/null 2> prep2.err &&
	"$K23" sites --cache c2 ./mysh > /dev/null 2>&1 &&
	ok "nested #!: the innermost interpreter is prepared" || { not_ok "nested #!"; show_file stderr prep2.err; }

# Errors are the shell's: 127 for a missing interpreter, 126 for a loop.
printf '#!/nonexistent/interpreter\n' > nointerp && chmod +x nointerp
expect_k23_error 127 "prepare a script whose interpreter is missing" prepare --quiet --cache c3 ./nointerp
printf '#!%s/loop\n' "$PWD" > loop && chmod +x loop
expect_k23_error 126 "prepare a #! loop" prepare --quiet --cache c3 ./loop
grep -q "too many levels of #!" err.err || { not_ok "the loop is named"; show_file stderr err.err; }
finish
