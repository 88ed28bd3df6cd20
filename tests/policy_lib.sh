# tests/policy_lib.sh - helpers for the policy_*.sh tests: the real k23 binary, and policy errors.
. "$TESTS/lib.sh"

# The built binary itself (in the --no-patch pass $K23 is a wrapper script).
K23_BIN="$TESTS/../build/k23-core"	# k23's text and symbols (build/k23 is the launcher cut from it)

# expect_policy_error WHAT STATUS REGEX K23-ARGS...: k23 exits STATUS with
# exactly one stderr line matching REGEX (extended) and nothing on stdout.
expect_policy_error()
{
	local what=$1 want=$2 re=$3; shift 3
	expect_error_line "$want" "$what" "$re" "$@"
}

# k23_syscall_ret: the address of a `syscall; ret` pair in k23's own text.
k23_syscall_ret()
{
	objdump -d --no-show-raw-insn "$K23_BIN" | awk '
		/\tsyscall *$/ { a = $1; next }
		/\tret *$/ && a != "" { sub(":", "", a); print a; exit }
		{ a = "" }'
}
