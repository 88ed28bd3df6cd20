# trace_uring.sh - --tool trace (and --json) shows what a program submits through io_uring: each SQE an io_uring_enter consumed and each CQE that appeared, as the program itself saw them; a program without io_uring traces as before.
. "$TESTS/lib.sh"
. "$TESTS/lib_strace.sh"
P=$PROGS/uring_ops

# The source file: read through the ring, written back through it.
{ echo "k23 io_uring trace test"; head -c 600 /etc/services; } > src.txt

# uring_lines FILE: the "sqe:"/"cqe:" lines of a text trace, prefix taken off.
uring_lines()
{
	sed -nE 's/^\[pid +[0-9]+\]   ((sqe|cqe): .*)$/\1/p' "$1"
}

# json_lines FILE: the same lines made from --json's "sqes" and "cqes".
json_lines()
{
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    for s in o.get("sqes", []):
        s = dict(s)
        op = s.pop("op", "opcode=%s" % s.pop("opcode", "?"))
        if s.get("fd") == -100:
            s["fd"] = "AT_FDCWD"
        print("sqe: " + " ".join([op] + ["%s=%s" % kv for kv in s.items()]))
    for c in o.get("cqes", []):
        print("cqe: " + " ".join("%s=%s" % kv for kv in c.items()))
' "$1"
}

# same_view WHAT PROGRAM-LINES TRACE-LINES: each line the program printed
# has its trace line, in the same order: same kind, same opcode, and every
# key=value the program printed has the same value in the trace.
same_view()
{
	if python3 -c '
import sys
def parse(line):
    kind, rest = line.split(": ", 1)
    words = rest.split(" ")
    op = words[0] if kind == "sqe" else ""
    kv = dict(w.split("=", 1) for w in words[(1 if op else 0):] if "=" in w)
    return kind, op, kv
prog = [parse(l.rstrip("\n")) for l in open(sys.argv[1]) if l.startswith(("sqe: ", "cqe: "))]
trace = [parse(l.rstrip("\n")) for l in open(sys.argv[2])]
bad = 0
if len(prog) != len(trace):
    print("  %d lines from the program, %d in the trace" % (len(prog), len(trace)))
    bad = 1
for i, (p, t) in enumerate(zip(prog, trace)):
    if p[0] != t[0] or p[1] != t[1] or any(t[2].get(k) != v for k, v in p[2].items()):
        print("  line %d: program %r, trace %r" % (i + 1, p, t))
        bad = 1
if not prog:
    print("  the program printed nothing")
    bad = 1
sys.exit(bad)
' "$2" "$3" > view.cmp; then
		ok "$1 ($(grep -c '' "$3") SQE and CQE lines)"
	else
		not_ok "$1"
		sed 's/^/  /' view.cmp | head -n 20
		show_file "trace lines" "$3"
	fi
}

"$P" plain src.txt out.txt > native.out 2>&1
[ $? = 77 ] && skip "io_uring refused here ($(cat native.out))"

for mode in plain big nommap; do
	rm -f out.txt
	"$P" $mode src.txt out.txt > native.out 2>&1
	rc=$?
	if [ $rc = 77 ]; then
		echo "# $mode ring refused by this kernel ($(cat native.out)): not tested" # NO_MMAP: Linux 6.5
		continue
	fi
	if [ $rc != 0 ] || ! cmp -s src.txt out.txt; then
		not_ok "$mode: natively the program copies its file through the ring (status $rc)"
		continue
	fi
	rm -f out.txt
	run_k23 k23 --tool trace -o k23.trace -- "$P" $mode src.txt out.txt
	diff_check "$mode: the program's output under --tool trace is its native one" native.out k23.out
	diff_check "$mode: the file read through the ring under k23 equals a native read" src.txt out.txt
	uring_lines k23.trace > trace.lines
	same_view "$mode: the trace's SQEs and CQEs are what the program submitted and reaped" \
		k23.out trace.lines

	rm -f out.txt
	run_k23 k23 --json -o k23.json -- "$P" $mode src.txt out.txt
	if json_lines k23.json > json.lines 2> json.err; then
		same_view "$mode: --json's sqes and cqes are what the program submitted and reaped" \
			k23.out json.lines
	else
		not_ok "$mode: --json parses"
		show_file "python" json.err
	fi
done

# Lines that name one thread's ring go to that thread's -ff file.
run_k23 k23 --tool trace -ff -o ff -- "$P" plain src.txt out.txt
if [ "$(cat k23.rc)" = 0 ] && [ "$(ls ff.* 2> /dev/null | wc -l)" = 1 ] &&
	grep -q '^  sqe: IORING_OP_OPENAT fd=AT_FDCWD path="src.txt"' ff.*; then
	ok "-ff: the SQE and CQE lines are in the thread's file, without the prefix"
else
	not_ok "-ff: the SQE and CQE lines are in the thread's file, without the prefix"
	for f in ff.*; do [ -f "$f" ] && show_file "$f" "$f"; done
fi

# With io_uring_enter filtered out, nothing of the ring shows.
run_k23 k23 -e trace=openat,read -o k23.trace -- "$P" plain src.txt out.txt
if [ "$(cat k23.rc)" = 0 ] && ! grep -qE '^\[pid +[0-9]+\]   ' k23.trace; then
	ok "-e trace= without io_uring_enter: no SQE or CQE lines"
else
	not_ok "-e trace= without io_uring_enter: no SQE or CQE lines"
	show_file "trace" k23.trace
fi

# A program that uses no ring traces line for line as under strace.
compare_strace_lines -e trace=%file,%desc -y -s 64 -- cat src.txt
finish
