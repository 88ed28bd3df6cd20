# exec_script.sh - #! scripts run under k23 as the kernel runs them: interpreter, optional argument, script path, args.
. "$TESTS/lib.sh"
pa="$PROGS/print_args"
printf '#!%s\n' "$pa" > plain.sh
printf '#!%s one-arg\n' "$pa" > witharg.sh
printf '#! %s  spaced   arg  \n' "$pa" > spaced.sh
printf '#!/bin/sh\necho "sh script: $0 $# $*"\nexit 9\n' > shell.sh
printf '#!%s/plain.sh\n' "$PWD" > nested.sh	# a script as interpreter (Linux allows nesting)
chmod +x plain.sh witharg.sh spaced.sh shell.sh nested.sh
compare_run -- ./plain.sh a 'b c'
compare_run -- ./witharg.sh a b
compare_run -- ./spaced.sh x
compare_run -- "$PWD/shell.sh" 1 2 3
compare_run -- ./nested.sh n
# Found through PATH, like execvp.
mkdir bin && cp shell.sh plain.sh bin/
PATH="$PWD/bin:$PATH" compare_run -- shell.sh via path
PATH="$PWD/bin:$PATH" compare_run -- plain.sh via path
# And the syscalls of a script run are those strace sees.
compare_counts -- ./shell.sh a b
finish
