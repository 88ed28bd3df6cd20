# output_errors.sh - a tool output (-o FILE) that cannot be written is reported, and the run does not pass for a success.
#
# /dev/full fails every write with ENOSPC. The program's own stdout is
# still the native one; k23 prints one line naming the file and exits with
# the program's status when that is a failure, else 1 (docs/differences.md).
. "$TESTS/lib.sh"

[ -c /dev/full ] || { echo "SKIP: no /dev/full"; exit 0; }

for tool in count trace record; do
	for code in 0 3; do
		what="--tool $tool -o /dev/full, program exits $code"
		run_native native sh -c "echo out; exit $code"
		run_k23 k23 --tool "$tool" -o /dev/full -- sh -c "echo out; exit $code"
		want=$(cat native.rc)
		[ "$want" -ne 0 ] || want=1
		lines=$(grep -c '/dev/full' k23.err)
		if cmp -s native.out k23.out && [ "$(cat k23.rc)" -eq "$want" ] && [ "$lines" -eq 1 ] &&
			[ "$(wc -l < k23.err)" -eq 1 ]; then
			ok "$what: program's output, status $want, one line on stderr"
		else
			not_ok "$what: expected the program's output, status $want, one line on stderr"
			echo "  k23 $(describe_status "$(cat k23.rc)")"
			show_file "k23 stdout" k23.out
			show_file "k23 stderr" k23.err
		fi
	done
done

# strace's options: the JSON trace and the count table sorted by name
# (-o /dev/full), and -ff's per-process files in a directory that does not
# exist (the process that writes them reports it).
for opts in "--json -e trace=%file -o /dev/full" "-c -S name -o /dev/full" \
	"-ff -e trace=%file -o $PWD/no-such-dir/trace"; do
	for code in 0 3; do
		what="$opts, program exits $code"
		run_native native sh -c "echo out; exit $code"
		# shellcheck disable=SC2086
		run_k23 k23 $opts -- sh -c "echo out; exit $code"
		want=$(cat native.rc)
		[ "$want" -ne 0 ] || want=1
		if cmp -s native.out k23.out && [ "$(cat k23.rc)" -eq "$want" ] &&
			[ "$(wc -l < k23.err)" -eq 1 ] && grep -Eq '/dev/full|no-such-dir' k23.err; then
			ok "$what: program's output, status $want, one line on stderr"
		else
			not_ok "$what: expected the program's output, status $want, one line on stderr"
			echo "  k23 $(describe_status "$(cat k23.rc)")"
			show_file "k23 stderr" k23.err
		fi
	done
done

# A writable output stays silent and keeps the status.
run_k23 k23 --tool trace -o /dev/null -- sh -c 'exit 0'
if [ "$(cat k23.rc)" -eq 0 ] && [ ! -s k23.err ]; then
	ok "--tool trace -o /dev/null: status 0, nothing on stderr"
else
	not_ok "--tool trace -o /dev/null: status 0, nothing on stderr"
	show_file "k23 stderr" k23.err
fi
finish
