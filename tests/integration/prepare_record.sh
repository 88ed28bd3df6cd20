# prepare_record.sh - `k23 prepare --record` runs a program once and every site it executed is in the static list.
. "$TESTS/lib.sh"
cache=$PWD/cache
py=/usr/bin/python3
# Each run: the program's output is its own, the summary names how many sites
# ran, and none of them is missing from what the two decoders found.
check_record()
{
	local what=$1; shift
	( "$K23" prepare --cache "$cache" --quiet --record -- "$@" > rec.out 2> rec.err; echo $? > rec.rc )
	local rc ran missing
	rc=$(cat rec.rc)
	ran=$(sed -n 's/^k23 prepare --record: \([0-9]*\) sites executed.*/\1/p' rec.out)
	missing=$(sed -n 's/.*objects, \([0-9]*\) not found by the static scan.*/\1/p' rec.out)
	if [ "$rc" = 0 ] && [ "${ran:-0}" -gt 20 ] && [ "$missing" = 0 ] && ! grep -q WARNING rec.err; then
		ok "$what: $ran executed sites, all found statically"
	else
		not_ok "$what: status $rc, executed ${ran:-?}, not found statically ${missing:-?}"
		show_file "stdout" rec.out
		show_file "stderr" rec.err
	fi
}
check_record "bash pipeline" /bin/bash -c 'echo hi | cat; ls / > /dev/null'
check_record "python3 with a thread and a subprocess" "$py" -c 'import threading, subprocess
t = threading.Thread(target=lambda: open("/etc/hostname").read()); t.start(); t.join()
subprocess.run(["true"])'
# The sidecar of libc now marks the executed sites as observed.
"$K23" sites --cache "$cache" /lib/x86_64-linux-gnu/libc.so.6 > sites.out 2>&1
obs=$(sed -n 's/.*recorded: \([0-9]*\) observed.*/\1/p' sites.out)
if [ "${obs:-0}" -gt 10 ]; then ok "libc's sidecar records $obs observed sites"
else not_ok "libc's sidecar records no observed sites"; show_file "k23 sites" sites.out; fi
# The program's output is its own under --record.
printf 'hi\n' > want.out
"$K23" prepare --cache "$cache" --quiet --record -- /bin/bash -c 'echo hi' 2> /dev/null | head -1 > got.out
diff_check "program output under --record" want.out got.out
# A bad --record command line is a usage error.
( "$K23" prepare --cache "$cache" --record /bin/true > /dev/null 2> bad.err; echo $? > bad.rc )
if [ "$(cat bad.rc)" = 2 ] && head -1 bad.err | grep -q '^k23: '; then ok "--record without -- is a usage error"
else not_ok "--record without --: status $(cat bad.rc)"; show_file "stderr" bad.err; fi
finish
