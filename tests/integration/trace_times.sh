# trace_times.sh - -t, -tt, -ttt and -T put strace's times on each line: the format, and times that are the run's own.
. "$TESTS/lib.sh"
check()
{
	local what=$1 re=$2 n bad
	n=$(grep -c . k23.trace)
	bad=$(grep -Evc "$re" k23.trace)
	if [ "$(cat k23.rc)" = 0 ] && [ "$n" -gt 5 ] && [ "$bad" = 0 ]; then
		ok "$what: all $n lines like /$re/"
	else
		not_ok "$what: lines like /$re/ ($bad of $n are not)"
		grep -Ev "$re" k23.trace | head -n 5 | sed 's/^/  /'
	fi
}
p='^\[pid +[0-9]+\] '
run_k23 k23 -t -e trace=%file -o k23.trace -- cat /etc/hostname
check "-t" "$p[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [a-z]"
run_k23 k23 -tt -e trace=%file -o k23.trace -- cat /etc/hostname
check "-tt" "$p[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{6} [a-z]"
before=$(date +%s)
run_k23 k23 -ttt -T -e trace=%file -o k23.trace -- cat /etc/hostname
after=$(date +%s)
check "-ttt -T" "$p[0-9]{10}\.[0-9]{6} [a-z].* <[0-9]+\.[0-9]{6}>$"
# -ttt's seconds lie within the run, in order; -T's within a second.
if awk -v b="$before" -v a="$((after + 1))" '
	{ t = $3 + 0; if (t < b || t > a || t < last) bad = 1; last = t
	  d = $NF; gsub(/[<>]/, "", d); if (d + 0 > 1) bad = 1 }
	END { exit bad }' k23.trace; then
	ok "-ttt times within the run and in order, -T durations below a second"
else
	not_ok "-ttt times within the run and in order, -T durations below a second"
	head -n 5 k23.trace | sed 's/^/  /'
fi
# -t is local time, as strace's: with TZ set, the hours follow it.
TZ=UTC0 run_k23 utc -t -e trace=openat -o utc.trace -- true
TZ=XXX-5 run_k23 east -t -e trace=openat -o east.trace -- true
h1=$(sed -nE '1s/^\[pid +[0-9]+\] ([0-9]{2}):.*/\1/p' utc.trace)
h2=$(sed -nE '1s/^\[pid +[0-9]+\] ([0-9]{2}):.*/\1/p' east.trace)
if [ -n "$h1" ] && [ -n "$h2" ] && [ $(( (10#$h2 - 10#$h1 + 24) % 24 )) = 5 ]; then
	ok "-t follows TZ (UTC $h1 h, UTC+5 $h2 h)"
else
	not_ok "-t follows TZ (UTC '$h1', UTC+5 '$h2')"
fi
finish
