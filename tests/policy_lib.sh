# tests/policy_lib.sh - helpers for the policy_*.sh tests: the real k23 binary, and policy errors.
. "$TESTS/lib.sh"

# The built binary itself (in the --no-patch pass $K23 is a wrapper script).
K23_BIN="$TESTS/../build/k23"

# expect_policy_error WHAT STATUS REGEX K23-ARGS...: k23 exits STATUS with
# exactly one stderr line matching REGEX (extended) and nothing on stdout.
expect_policy_error()
{
	local what=$1 want=$2 re=$3; shift 3
	( "$K23" "$@" < /dev/null > perr.out 2> perr.err; echo $? > perr.rc ) 2> /dev/null
	local rc bad=""
	rc=$(cat perr.rc)
	[ "$rc" = "$want" ] || bad="$bad status $rc, want $want;"
	[ "$(wc -l < perr.err)" -eq 1 ] || bad="$bad $(wc -l < perr.err) stderr lines, want 1;"
	grep -Eq -- "$re" perr.err || bad="$bad stderr does not match /$re/;"
	[ -s perr.out ] && bad="$bad output on stdout;"
	if [ -z "$bad" ]; then
		ok "$what: status $rc, \"$(head -n 1 perr.err)\""
		return 0
	fi
	not_ok "$what:$bad"
	echo "  command: k23 $*"
	show_file "stderr" perr.err
	[ -s perr.out ] && show_file "stdout" perr.out
	return 1
}

# k23_syscall_ret: the address of a `syscall; ret` pair in k23's own text.
k23_syscall_ret()
{
	objdump -d --no-show-raw-insn "$K23_BIN" | awk '
		/\tsyscall *$/ { a = $1; next }
		/\tret *$/ && a != "" { sub(":", "", a); print a; exit }
		{ a = "" }'
}
