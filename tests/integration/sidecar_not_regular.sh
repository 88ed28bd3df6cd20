# sidecar_not_regular.sh - a sidecar or stamp that is a FIFO, a directory or a link to a device neither hangs nor feeds `k23 run`, and `k23 sites` reports it.
#
# Every sidecar (.k23) and stamp (.seen) in a private cache is replaced by
# one kind of non-regular file; the program must still run as natively
# (catch-all and lazy patching only), and `k23 sites` must name the damage.
# A timeout turns a hang into a failure of this check, not of the suite.
. "$TESTS/lib.sh"

prog=/bin/echo
"$K23" prepare --quiet --cache good "$prog" > /dev/null 2> err || { not_ok "prepare $prog"; show_file stderr err; }
"$K23" run --cache good -- "$prog" warm > /dev/null 2>&1	# writes the .seen stamps
run_native native "$prog" hello
mkfifo fifo_elsewhere

for kind in fifo directory devzero fifolink; do
	rm -rf cache && mkdir cache
	for f in good/*; do
		n=cache/${f#good/}
		case $kind in
		fifo) mkfifo "$n" ;;
		directory) mkdir "$n" ;;
		devzero) ln -s /dev/zero "$n" ;;
		fifolink) ln -s "$PWD/fifo_elsewhere" "$n" ;;
		esac
	done
	( timeout 20 "$K23" run --cache cache -- "$prog" hello > k23.out 2> k23.err; echo $? > k23.rc ) 2> /dev/null
	if cmp -s native.out k23.out && cmp -s native.err k23.err && cmp -s native.rc k23.rc; then
		ok "$kind sidecars: k23 run gives the native output and status"
	else
		not_ok "$kind sidecars: k23 run $(describe_status "$(cat k23.rc)") (124: hung)"
		show_file "k23 stdout" k23.out
		show_file "k23 stderr" k23.err
	fi
	( timeout 20 "$K23" sites --cache cache "$prog" > out 2> err; echo $? > rc ) 2> /dev/null
	if [ "$(cat rc)" -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q "corrupt sidecar (.*not a regular file)" err; then
		ok "$kind sidecars: k23 sites reports \"$(cat err)\""
	else
		not_ok "$kind sidecars: k23 sites status $(cat rc) (124: hung)"
		show_file stderr err
	fi
done
finish
