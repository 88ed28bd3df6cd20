#!/usr/bin/python3
# tests/strace_lines.py - compares the -ff files of a strace run with those of a k23 run (tests/lib_strace.sh).
#
#   strace_lines.py STRACE-PREFIX K23-PREFIX
#
# Each file holds one process's (thread's) lines. The files of each side are
# normalised and compared as a multiset: process ids and the order in which
# processes start differ between runs. Normalising, and nothing else:
#  - strace's first line, the execve that starts the program (in the file
#    of the lowest process id): k23 starts it with its own loader;
#  - addresses (0x...): where the kernel puts stacks and mappings varies,
#    and with them the padding before " = " after a line's address;
#  - inode numbers of pipes and sockets ("pipe:[1234]"): new ones each run;
#  - process ids in /proc paths (/proc/self/maps is /proc/PID/maps to -y).
# Exit 0 when equal; else 1 and a diff on stdout.
import difflib
import glob
import re
import sys


def norm(line):
    line = re.sub(r"0x[0-9a-f]+", "0xADDR", line)
    line = re.sub(r"(pipe|socket|anon_inode):\[[0-9]+\]", r"\1:[INODE]", line)
    line = re.sub(r"/proc/[0-9]+/", "/proc/PID/", line)
    return re.sub(r"\) +=( |$)", r") =\1", line)


def blocks(prefix, drop_start):
    files = sorted(glob.glob(prefix + ".*"), key=lambda f: int(f.rsplit(".", 1)[1]))
    out = []
    for i, f in enumerate(files):
        with open(f, errors="replace") as fh:
            lines = fh.read().splitlines()
        if drop_start and i == 0 and lines and lines[0].startswith("execve("):
            lines = lines[1:]
        if lines:
            out.append("\n".join(norm(l) for l in lines))
    return sorted(out)


s = blocks(sys.argv[1], True)
k = blocks(sys.argv[2], False)
nlines = sum(b.count("\n") + 1 for b in k)
if s == k and k:
    print(f"{nlines} lines, {len(k)} processes")
    sys.exit(0)
a = "\n----\n".join(s).splitlines()
b = "\n----\n".join(k).splitlines()
for d in list(difflib.unified_diff(a, b, "strace", "k23", lineterm="", n=1))[:60]:
    print(d)
sys.exit(1)
