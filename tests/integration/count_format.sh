# count_format.sh - the --tool count table's layout: header, rules, rows sorted by calls then name, a total that adds up.
. "$TESTS/lib.sh"

check_table()
{
	local file=$1 what=$2
	if awk '
	function fail(msg) { print "  line " NR ": " msg ": \"" $0 "\""; bad = 1 }
	NR == 1 { if ($0 != "    calls    errors syscall") fail("header"); next }
	/^-/ {
		if ($0 != "--------- --------- ----------------") fail("rule")
		rules++; next
	}
	rules == 1 {
		if ($0 !~ /^ *[0-9]+ +[0-9]+ [a-z_0-9?]+$/ || length($0) < 21 ||
		    substr($0, 10, 1) != " " || substr($0, 20, 1) != " ")
			fail("row not \"%9u %9u name\"")
		if (rows && ($1 > pc || ($1 == pc && $3 < pn))) fail("row out of order")
		pc = $1; pn = $3; rows++; calls += $1; errors += $2; next
	}
	rules == 2 && !total {
		total = 1
		if ($3 != "total" || $1 != calls || $2 != errors)
			fail("total is not " calls " " errors)
		next
	}
	{ fail("unexpected line") }
	END {
		if (rules != 2 || !total || rows == 0) { print "  incomplete table"; bad = 1 }
		exit bad
	}' "$file" > format.problems; then
		ok "table layout: $what"
	else
		not_ok "table layout: $what"
		cat format.problems
		show_file "table" "$file"
	fi
}

# To a file with -o, for a program with errors (ls of a missing path).
run_k23 k23 --tool count -o table.txt -- ls /nonexistent-k23
[ -f table.txt ] || : > table.txt
check_table table.txt "-o FILE, ls /nonexistent-k23"
# Without -o the table goes to stderr after the program's own stderr.
run_k23 k23 --tool count -- ls /nonexistent-k23
run_native native ls /nonexistent-k23
head -n "$(wc -l < native.err)" k23.err > k23.prog.err
diff_check "program's stderr comes first, unchanged" native.err k23.prog.err
tail -n +"$(($(wc -l < native.err) + 1))" k23.err > stderr-table.txt
check_table stderr-table.txt "on stderr, ls /nonexistent-k23"
diff_check "program's stdout unchanged" native.out k23.out
diff_check "program's exit status unchanged" native.rc k23.rc
finish
