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

# same_view WHAT PROGRAM-LINES TRACE-LINES [sqe|cqe]: each SQE and each CQE
# line the program printed has its trace line, SQEs in the same order, CQEs
# in the same order: same opcode, and every key=value the program printed
# has the same value in the trace. (The two orders are compared apart: a
# CQE the kernel posted after an io_uring_enter returned shows after the
# ring's next one, which may submit more.) With a kind, only those lines.
same_view()
{
	if KINDS=${4:-sqe cqe} python3 -c '
import os, sys
def parse(line):
    kind, rest = line.split(": ", 1)
    words = rest.split(" ")
    op = words[0] if kind == "sqe" else ""
    kv = dict(w.split("=", 1) for w in words[(1 if op else 0):] if "=" in w)
    return kind, op, kv
kinds = tuple(k + ": " for k in os.environ["KINDS"].split())
prog = [parse(l.rstrip("\n")) for l in open(sys.argv[1]) if l.startswith(kinds)]
trace = [parse(l.rstrip("\n")) for l in open(sys.argv[2]) if l.startswith(kinds)]
prog = [p for p in prog if p[0] == "sqe"] + [p for p in prog if p[0] == "cqe"]
trace = [t for t in trace if t[0] == "sqe"] + [t for t in trace if t[0] == "cqe"]
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
		ok "$1 ($(grep -cE "^(${4:-sqe|cqe}): " "$3") lines)"
	else
		not_ok "$1"
		sed 's/^/  /' view.cmp | head -n 20
		show_file "trace lines" "$3"
	fi
}

"$P" plain src.txt out.txt > native.out 2>&1
[ $? = 77 ] && skip "io_uring refused here ($(cat native.out))"

for mode in plain big nommap registered async; do
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

# A ring polled by a kernel thread: its CQEs, and a note instead of SQEs.
run_k23 k23 --tool trace -o k23.trace -- "$P" sqpoll src.txt out.txt
if [ "$(cat k23.rc)" = 0 ]; then
	uring_lines k23.trace > trace.lines
	same_view "sqpoll: the trace's CQEs are what the program reaped" k23.out trace.lines cqe
	if ! grep -q '^sqe: ' trace.lines &&
		grep -qE '^\[pid +[0-9]+\]   io_uring: IORING_SETUP_SQPOLL: ' k23.trace; then
		ok "sqpoll: no SQE lines, a note saying why"
	else
		not_ok "sqpoll: no SQE lines, a note saying why"
		show_file "trace" k23.trace
	fi
elif grep -q '^ring: ' k23.out; then
	echo "# sqpoll ring refused here: $(cat k23.out)"
else
	not_ok "sqpoll: the program runs under k23 ($(describe_status "$(cat k23.rc)"))"
fi

# A ring entered through a descriptor k23 did not see io_uring_setup return.
run_k23 k23 --tool trace -o k23.trace -- "$P" dup src.txt out.txt
enters=$(grep -cE '^\[pid +[0-9]+\] io_uring_enter\(' k23.trace)
notes=$(grep -cE '^\[pid +[0-9]+\]   io_uring: ring not set up under k23' k23.trace)
if [ "$(cat k23.rc)" = 0 ] && [ "$enters" -gt 0 ] && [ "$notes" = "$enters" ] &&
	! grep -qE '^\[pid +[0-9]+\]   (sqe|cqe):' k23.trace; then
	ok "dup: each io_uring_enter says its ring is unknown, no SQE or CQE lines"
else
	not_ok "dup: each io_uring_enter says its ring is unknown, no SQE or CQE lines ($enters, $notes)"
	show_file "trace" k23.trace
fi

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
