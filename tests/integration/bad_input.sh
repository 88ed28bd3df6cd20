# bad_input.sh - bad programs and bad command lines: the documented exit status and exactly one "k23: " line on stderr.
. "$TESTS/lib.sh"

# Bad ELFs, made from /bin/true.
cp /bin/true elf64-ok
cp /bin/true trunc-header && truncate -s 40 trunc-header	# inside the ELF header
cp /bin/true trunc-phdrs && truncate -s 100 trunc-phdrs		# header whole, program headers cut
cp /bin/true trunc-body && truncate -s 8192 trunc-body		# segments reach past the end of file
cp /bin/true arm-machine &&	# e_machine = EM_ARM (40)
	printf '\050\000' | dd of=arm-machine bs=1 seek=18 conv=notrunc status=none
# A 32-bit (ELFCLASS32) i386 ET_EXEC header with one program header, padded.
{ printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000'
  printf '\002\000\003\000\001\000\000\000\124\200\004\010\064\000\000\000'
  printf '\000\000\000\000\000\000\000\000\064\000\040\000\001\000\000\000\000\000\000\000'
  head -c 200 /dev/zero; } > elf32
printf 'just some text\nno interpreter line\n' > text
: > empty
mkdir dir
printf '#!/nonexistent-k23/interp\n' > bad-interp.sh
printf '#!%s/dir\n' "$PWD" > dir-interp.sh
cp /bin/true not-exec
chmod +x trunc-header trunc-phdrs trunc-body arm-machine elf32 text empty dir \
	bad-interp.sh dir-interp.sh
chmod 644 not-exec

# Control: the intact copy runs, so failures below come from the damage.
compare_run -- ./elf64-ok

expect_k23_error 127 "missing program (path)" run -- ./no-such-program
expect_k23_error 127 "missing program (PATH lookup)" run -- no-such-program-k23
expect_k23_error 127 "#! interpreter missing" run -- ./bad-interp.sh
expect_k23_error 126 "directory" run -- ./dir
expect_k23_error 126 "text file without #!" run -- ./text
expect_k23_error 126 "empty file" run -- ./empty
expect_k23_error 126 "32-bit ELF" run -- ./elf32
expect_k23_error 126 "ELF for another machine (EM_ARM)" run -- ./arm-machine
expect_k23_error 126 "ELF truncated inside its header" run -- ./trunc-header
expect_k23_error 126 "ELF truncated in its program headers" run -- ./trunc-phdrs
expect_k23_error 126 "ELF truncated inside its segments" run -- ./trunc-body
expect_k23_error 126 "not executable" run -- ./not-exec
expect_k23_error 126 "#! interpreter is a directory" run -- ./dir-interp.sh
expect_k23_error 126 "bad ELF under --tool count" run --tool count -- ./arm-machine

# Bad command lines: usage, exit 2.
expect_k23_error 2 "no --" run /bin/true
# `k23` itself with a bad command prints its usage after the one-line error.
expect_k23_usage "no subcommand"
expect_k23_usage "unknown subcommand" frobnicate
expect_k23_usage "unknown option" --frobnicate
expect_k23_error 2 "unknown run option" run --frobnicate -- /bin/true
expect_k23_error 2 "unknown tool" run --tool nosuchtool -- /bin/true
expect_k23_error 2 "unknown --catch-all value" run --catch-all=nonsense -- /bin/true
expect_k23_error 2 "--tool without its value" run --tool
# Nothing after --: the contract does not say whether that is a usage error or
# a missing program, so either status is accepted.
expect_k23_error "2|127" "no program after --" run --
finish
