# proc_self.sh - a program under k23 sees itself as natively: argv[0], /proc/self/exe, cmdline, comm, AT_EXECFN.
. "$TESTS/lib.sh"
compare_run -- bash -c 'echo $0; echo "$BASH"'
# What another process reads at /proc/PID/exe is compared in exec_self.sh.
compare_run -- bash -c 'cat /proc/$$/comm'
compare_run -- readlink /proc/self/exe
# k23 leaves no descriptor of its own behind (without a tool it keeps none).
compare_run -- ls /proc/self/fd
compare_run -- cat /proc/self/comm
compare_run -- "$PROGS/print_args" one 'two words' ''
mkdir sub && cp "$PROGS/print_args" sub/
cd sub && { compare_run -- ./print_args relative; cd ..; }
ln -s "$PROGS/print_args" link-to-print-args
compare_run -- ./link-to-print-args via-symlink
PATH="$PROGS:$PATH" compare_run -- print_args via-path
finish
