# exec_shebang.sh - #! lines read as the kernel reads them: a 256-byte buffer, arguments cut at its end, ENOEXEC for an interpreter name that may be cut, blanks, NULs, nesting depth.
. "$TESTS/lib.sh"
ee="$PROGS/exec_errors"
interp="$PROGS/print_args"
head_len=$((3 + ${#interp}))	# "#!" interp " "
rep() { head -c "$1" /dev/zero | tr '\0' "$2"; }

# script NAME CONTENT (printf format, no arguments): an executable file.
script() { printf "$2" > "$1"; chmod +x "$1"; }

script arg_long "#!$interp $(rep 300 a)\n"				# no newline in the buffer
script nl_at_255 "#!$interp $(rep $((255 - head_len)) b)\n"		# newline is the buffer's last byte
script nl_at_256 "#!$interp $(rep $((256 - head_len)) c)\n"		# newline just past it
script blank_at_255 "#!$interp $(rep $((254 - head_len)) d) x\n"	# a blank as the last byte
script interp_long "#!/$(rep 300 e)\n"					# the name runs past the buffer
script interp_fills "#!/$(rep 252 f) \n"				# the name ends just inside
script blank_end "#!$interp "						# short, no newline: empty argument
script tabs "#!\t$interp\t-x \t\n"
script nul_in_line "#!$interp a\\0b\n"
script nul_after_name "#!$interp\\0 x\n"
script only_blanks "#!  \t \n"
for s in arg_long nl_at_255 nl_at_256 blank_at_255 interp_long interp_fills blank_end tabs \
	nul_in_line nul_after_name only_blanks; do
	compare_run -- "$ee" path "./$s"	# the program's execve (k23's runtime)
done
# k23 run's own start (its loader) of the scripts the kernel runs (a shell
# runs the others itself, or words its own message).
for s in arg_long nl_at_255 nl_at_256 blank_at_255 blank_end tabs nul_in_line nul_after_name; do
	compare_run -- "./$s" one
done
# Nesting: the kernel follows 5 levels of #! interpreters and refuses a 6th.
script s0 "#!$interp\n"
for i in 1 2 3 4 5; do script "s$i" "#!$PWD/s$((i - 1))\n"; done
compare_run -- "$ee" path ./s4
compare_run -- "$ee" path ./s5
compare_run -- ./s4 x
finish
