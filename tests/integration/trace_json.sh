# trace_json.sh - k23 run --json: every call of `ls -la /usr/lib` and of a threaded python program is one object python's json module reads.
. "$TESTS/lib.sh"
json_run()
{
	local what=$1; shift
	run_k23 k23 --json "$@"
	if [ "$(cat k23.rc)" = 0 ] && "$TESTS/json_check.py" k23.json ${TIMED:+timed} > json.cmp; then
		ok "--json $what: $(cat json.cmp)"
	else
		not_ok "--json $what (k23 $(describe_status "$(cat k23.rc)"))"
		sed 's/^/  /' json.cmp
		show_file "k23 stderr" k23.err
	fi
}
json_run "ls -la /usr/lib" -o k23.json -- ls -la /usr/lib
# Every call of the threads, with -y, -tt and -T (their fields), and -s 64.
cat > threads.py << 'PY'
import threading, os
def work(i):
    with open("/etc/hostname") as f:
        f.read()
    os.stat("/nonexistent-k23-%d" % i) if i % 2 else os.getpid()
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print("done")
PY
TIMED=1 json_run "-y -tt -T -s 64 python3 threads.py" -y -tt -T -s 64 -o k23.json -- \
	/usr/bin/python3 -c 'import sys; sys.argv = ["threads.py"]; exec(open("threads.py").read())' 2> /dev/null
grep -q '"errno":"ENOENT"' k23.json && grep -q '"call":"clone3"' k23.json &&
	ok "--json: the threads' clone3 and a failed stat's errno are there" ||
	not_ok "--json: the threads' clone3 and a failed stat's errno are there"
# The JSON of each call says what its text line says: same calls, same
# results, in the same order (one run each, of a program without threads).
run_k23 k23 -e trace=%file -y -o k23.trace -- cat /etc/hostname
run_k23 k23 --json -e trace=%file -y -o k23.json -- cat /etc/hostname
sed -E 's/^\[pid +[0-9]+\] //; s/\) += (.*)$/) = \1/' k23.trace > text.lines
python3 -c '
import json, sys
for line in open("k23.json"):
    o = json.loads(line)
    print("%s(%s) = %s" % (o["call"], ", ".join(o["args"]), o["result"]))
' > json.lines
diff_check "--json objects say what the text lines say (cat)" text.lines json.lines
# -c --json: one object per counted call, the counts of the text table.
mkdir fx && fixture_tree "$PWD/fx"
run_k23 k23 -c -o k23.table -- ls -la fx/tree
run_k23 k23 -c --json -o k23.cjson -- ls -la fx/tree
parse_k23_counts k23.table > text.counts
python3 -c '
import json
for line in open("k23.cjson"):
    o = json.loads(line)
    print(o["syscall"], o["calls"], o["errors"])
' | LC_ALL=C sort > json.counts
if [ -s json.counts ]; then
	diff_check "-c --json: one object per call, the text table's counts" text.counts json.counts
else
	not_ok "-c --json: one object per call, the text table's counts (none)"
fi
finish
