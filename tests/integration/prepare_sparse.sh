# prepare_sparse.sh - a 1 GB sparse ELF: `k23 prepare` memory does not grow with the file, and `k23 run` does not read it whole at start.
#
# The program is a small static one with a 1 GiB hole appended (no disk
# space used). k23 prepare hashes it through a small buffer and maps it
# instead of reading it into memory, and records the hash it checked
# (<build-id>.seen), so no `k23 run` hashes it again while it is unchanged.
. "$TESTS/lib.sh"

[ -x /usr/bin/time ] || { echo "SKIP: /usr/bin/time (Debian package time) is missing"; exit 0; }
cp "$PROGS/static_hello" big && truncate -s +1G big || { not_ok "make a sparse 1 GiB ELF"; finish; }

/usr/bin/time -f %M -o prepare.rss "$K23" prepare --quiet --cache cache ./big > /dev/null 2> err
rc=$?
rss=$(tail -n 1 prepare.rss)
if [ $rc -eq 0 ] && [ "$rss" -lt 102400 ]; then
	ok "k23 prepare of a 1 GiB sparse ELF: max RSS $rss KiB (under 100 MiB)"
else
	not_ok "k23 prepare of a 1 GiB sparse ELF: status $rc, max RSS $rss KiB (limit 100 MiB)"
	show_file stderr err
fi

# bytes_read TAG: what every pread64/read of a `k23 run` of big returned, summed.
bytes_read()
{
	strace -f -qq -e trace=read,pread64 -o "$1.strace" "$K23" run --cache cache -- ./big \
		> "$1.out" 2> "$1.err"
	awk '{ n = $NF } n ~ /^[0-9]+$/ { s += n } END { print s + 0 }' "$1.strace"
}
for run in first second; do
	n=$(bytes_read $run)
	if [ "$n" -lt 10485760 ]; then
		ok "$run k23 run after prepare reads $n bytes (under 10 MiB) of a 1 GiB file"
	else
		not_ok "$run k23 run after prepare reads $n bytes (the file is hashed again)"
	fi
done
compare_run --cache cache -- ./big
finish
