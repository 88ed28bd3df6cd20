# env_same.sh - the program gets exactly the environment k23 was given: nothing added (no LD_PRELOAD, no K23_*), nothing lost.
. "$TESTS/lib.sh"
# env -i on both sides: otherwise bash's own $_ (the path it executed) differs.
compare_run -- env -i A=1 'B=two words' PATH=/usr/bin:/bin /usr/bin/env
compare_run -- env -i /usr/bin/env
compare_run -- env -i X=y /bin/sh -c 'env | sort'
# The k23 side: env -i ... k23 run -- env (env -i here runs k23 itself).
run_native native env -i A=1 PATH=/usr/bin:/bin /usr/bin/env
rc=0; env -i A=1 PATH=/usr/bin:/bin "$K23" run -- /usr/bin/env > k23.out 2> k23.err || rc=$?
diff_check "environment passed through k23 unchanged (status $rc)" native.out k23.out
finish
