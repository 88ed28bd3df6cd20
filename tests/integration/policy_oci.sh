# policy_oci.sh - Podman's default seccomp profile, unchanged: real programs run as natively; denied calls get the profile's errno, also from k23's own text.
. "$TESTS/policy_lib.sh"
P=/usr/share/containers/seccomp.json
[ -r "$P" ] || { not_ok "$P exists (Debian package golang-github-containers-common)"; finish; }
need() { command -v "$1" > /dev/null || { not_ok "$1 is installed"; finish; }; }
need git; need /usr/bin/python3

expect_ok() { if "$K23" policy check "$P" > check.out 2>&1; then ok "policy check: $(cat check.out)";
	else not_ok "policy check of Podman's profile"; show_file out check.out; fi; }
expect_ok

# Real programs: output and status as natively.
compare_run --policy "$P" -- bash -c 'echo "$BASH_VERSION" | cut -d. -f1; ls /usr/share/doc/bash | head -3; exit 4'
compare_run --policy "$P" -- ls -l /usr/share/doc/bash
compare_run --policy "$P" -- /usr/bin/python3 -B -c 'import os, subprocess; print(sorted(os.listdir("/usr/share/doc/bash"))[:3]); print(subprocess.run(["true"]).returncode)'
compare_run --policy "$P" -- git --version
# git init in a fresh directory: the same files appear (templates, HEAD...).
mkdir native-repo k23-repo
( cd native-repo && git init -q . && find . | sort > ../native-repo.list )
( cd k23-repo && "$K23" run --policy "$P" -- git init -q . && find . | sort > ../k23-repo.list )
diff_check "git init under the profile creates the same files" native-repo.list k23-repo.list

# Calls the profile denies. Natively (as root) they succeed; under the
# profile, its errnos: userfaultfd and vmsplice EPERM (listed), io_uring_setup
# ENOSYS (not listed: defaultErrnoRet 38).
"$PROGS/policy_calls" > native.out
grep -q '^userfaultfd: ok$' native.out && grep -q '^io_uring_setup: ok$' native.out &&
	ok "natively userfaultfd and io_uring_setup succeed" ||
	{ not_ok "natively userfaultfd and io_uring_setup succeed"; show_file native native.out; }
addr=$(k23_syscall_ret)
[ -n "$addr" ] && ok "a syscall;ret pair in k23's text at 0x$addr" || not_ok "found a syscall;ret in k23"
printf '%s\n' "getppid: ok" "userfaultfd: EPERM" "io_uring_setup: ENOSYS" "vmsplice: EPERM" > want.out
"$K23" run --policy "$P" -- "$PROGS/policy_calls" > k23.out 2>&1
diff_check "denied calls get the profile's errnos" want.out k23.out
"$K23" run --catch-all=sud --policy "$P" -- "$PROGS/policy_calls" > k23.out 2>&1
diff_check "the same with --catch-all=sud" want.out k23.out
# The attack: the same calls made from k23's own text. Without a policy the
# catch-all exempts k23's text, so the jump gets the call through unseen...
"$K23" run -- "$PROGS/policy_calls" "$addr" > k23.out 2>&1
grep -q "^userfaultfd via k23's text: ok$" k23.out && ok "without a policy a jump into k23's text makes userfaultfd" ||
	{ not_ok "without a policy a jump into k23's text makes userfaultfd"; show_file out k23.out; }
# ...with the policy the kernel filter, which has no such exemption, denies it.
sed 's/^\([a-z_]*\): \(.*\)/&\n\1 via k23'"'"'s text: \2/' want.out > want-via.out
"$K23" run --policy "$P" -- "$PROGS/policy_calls" "$addr" > k23.out 2>&1
diff_check "the policy holds for calls made from k23's own text" want-via.out k23.out

# Architectures: Podman's profile lists x32, so an x32 call fares as natively;
# a k23 policy covers x86-64 alone, and a call of another ABI kills the
# process (libseccomp's architecture test) rather than slipping past the rules.
compare_run --policy "$P" -- "$PROGS/policy_calls" x32
printf 'calls:\n  - deny: [ptrace]\n' > k23form.yaml
"$K23" run --policy k23form.yaml -- "$PROGS/policy_calls" x32 > x32.out 2>&1; rc=$?
[ $rc -eq 159 ] && [ ! -s x32.out ] && ok "an x32 call under a k23 policy: $(describe_status $rc)" ||
	{ not_ok "an x32 call under a k23 policy is killed: $(describe_status $rc)"; show_file out x32.out; }
finish
