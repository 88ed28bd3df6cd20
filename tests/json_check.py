#!/usr/bin/python3
# tests/json_check.py - checks a `k23 run --json` trace: every line one JSON object with the documented fields (docs/strace-compat.md, "JSON").
#
#   json_check.py FILE [timed]     prints "N objects, M threads" or the first bad line; exit 0/1
import json
import sys

path = sys.argv[1]
timed = len(sys.argv) > 2
n = 0
tids = set()
with open(path, encoding="ascii") as f:
    for lineno, line in enumerate(f, 1):
        try:
            o = json.loads(line)
            assert isinstance(o, dict), "not an object"
            for key, kind in (("pid", int), ("tid", int), ("call", str), ("args", list), ("result", str)):
                assert isinstance(o.get(key), kind), f"{key} missing or not {kind.__name__}"
            assert all(isinstance(a, str) for a in o["args"]), "an argument is not a string"
            ret = o.get("ret", "missing")
            assert ret is None or isinstance(ret, int), "ret neither a number nor null"
            assert ("errno" in o) == (ret == -1), "errno present without ret -1, or missing"
            if ret is None:
                assert o["result"] == "?", "null ret with a result"
            if timed:
                assert isinstance(o.get("time"), float), "time missing"
                if ret is not None:
                    assert isinstance(o.get("duration"), float), "duration missing"
            n += 1
            tids.add(o["tid"])
        except (ValueError, AssertionError) as e:
            print(f"line {lineno}: {e}: {line[:300]!r}")
            sys.exit(1)
print(f"{n} objects, {len(tids)} threads")
sys.exit(0 if n else 1)
