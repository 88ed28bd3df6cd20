/* test_policy.c - unit tests of the policy compiler: the BPF interpreter agrees with the kernel on a table of calls, and k23's own calls are checked.
 *
 * Each row of the table is a call with arguments. The compiled filter is
 * run through policy/bpf_sim.c (what `check` and `explain` report), then
 * installed in a forked child that makes every call for real (what the
 * kernel does); the two must agree on every row. Calls are chosen so that
 * their own result, when the filter lets them through, differs from the
 * errno the policy would give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <seccomp.h>

#include "policy/policy.h"

static const char policy_text[] =
	"default: allow\n"
	"calls:\n"
	"  - deny: [ptrace]\n"
	"    errno: EACCES\n"
	"  - deny: [close]\n"
	"    errno: EBADMSG\n"
	"    args: [{arg: 0, op: ge, value: 100000}]\n"
	"  - deny: [dup]\n"
	"    errno: EXDEV\n"
	"    args: [{arg: 0, op: eq, value: 12345}]\n"
	"  - deny: [kcmp]\n"
	"    errno: ENOSYS\n"
	"    args: [{arg: 2, op: masked-eq, mask: 0xff, value: 3}]\n"
	"  - deny: [fchdir]\n"
	"    errno: EDOM\n"
	"    args: [{arg: 0, op: lt, value: 5}]\n"
	"  - deny: [getpgid]\n"
	"    errno: ERANGE\n"
	"    args: [{arg: 0, op: gt, value: 4000000000}]\n";

struct row {
	long nr;
	uint64_t a[6];
};

static const struct row rows[] = {
	{ SYS_getppid, { 0 } },
	{ SYS_ptrace, { 99999, 0 } },
	{ SYS_close, { 100000 } },		/* ge: denied */
	{ SYS_close, { 99999 } },		/* native EBADF */
	{ SYS_dup, { 12345 } },		/* eq: denied */
	{ SYS_dup, { 12346 } },
	{ SYS_kcmp, { 1, 1, 0x103 } },		/* masked: 0x03 -> denied */
	{ SYS_kcmp, { 1, 1, 0x104 } },
	{ SYS_fchdir, { 4 } },			/* lt: denied */
	{ SYS_fchdir, { 5555 } },
	{ SYS_getpgid, { 4000000001ULL } },	/* gt: denied */
	{ SYS_getpgid, { 0x7fffffff } },
};
#define NROWS (int)(sizeof(rows) / sizeof(rows[0]))

static long call(const struct row *r)
{
	long v = syscall(r->nr, r->a[0], r->a[1], r->a[2], r->a[3], r->a[4], r->a[5]);

	return v < 0 ? -errno : 0;
}

static int compile(const char *text, struct policy *p, struct pol_compiled *c)
{
	char path[] = "/tmp/k23-test-policy-XXXXXX";
	struct pol_self self = { 0 };
	int fd = mkstemp(path), r;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	r = k23_policy_read(path, p);
	if (!r)
		r = k23_policy_compile(p, &self, 0, c);
	unlink(path);
	return r;
}

/* The kernel's answers: each row's result, from a child with the filter. */
static void kernel_results(const struct pol_compiled *c, long *out)
{
	struct sock_fprog prog = { (unsigned short)c->bpf_len, c->bpf };
	int pfd[2], st;
	pid_t pid;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	if (pid == 0) {
		long res[NROWS];

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
			_exit(3);
		for (int i = 0; i < NROWS; i++)
			res[i] = call(&rows[i]);
		_exit(write(pfd[1], res, sizeof(res)) == sizeof(res) ? 0 : 4);
	}
	close(pfd[1]);
	assert_int_equal(read(pfd[0], out, NROWS * sizeof(long)), (ssize_t)(NROWS * sizeof(long)));
	close(pfd[0]);
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_simulator_agrees_with_kernel(void **state)
{
	struct pol_compiled c;
	struct policy p;
	long kernel[NROWS];
	int denied = 0;

	(void)state;
	assert_int_equal(compile(policy_text, &p, &c), 0);
	kernel_results(&c, kernel);
	for (int i = 0; i < NROWS; i++) {
		uint32_t v = k23_bpf_run(c.bpf, c.bpf_len, AUDIT_ARCH_X86_64, (int)rows[i].nr, 0, rows[i].a);
		long native = call(&rows[i]);

		if ((v & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO) {
			/* the filter's errno, and not what the call itself says */
			assert_int_equal(kernel[i], -(long)(v & SECCOMP_RET_DATA));
			assert_int_not_equal(native, kernel[i]);
			denied++;
		} else {
			assert_int_equal(v, SECCOMP_RET_ALLOW);
			assert_int_equal(kernel[i], native);
		}
	}
	assert_int_equal(denied, 6);
	/* Another architecture: libseccomp's test, answered with kill. */
	assert_int_equal(k23_bpf_run(c.bpf, c.bpf_len, AUDIT_ARCH_I386, 20, 0, rows[0].a),
			 SECCOMP_RET_KILL_PROCESS);
	free(c.bpf);
	k23_policy_free(&p);
}

static void test_needs(void **state)
{
	struct pol_compiled c;
	struct policy p;
	FILE *devnull = fopen("/dev/null", "w");

	(void)state;
	assert_int_equal(compile(policy_text, &p, &c), 0);
	assert_int_equal(k23_policy_check_needs(&p, &c, devnull, ""), 0);
	free(c.bpf);
	k23_policy_free(&p);
	assert_int_equal(compile("calls:\n  - deny: [execveat, rt_sigreturn]\n", &p, &c), 0);
	assert_int_equal(k23_policy_check_needs(&p, &c, devnull, ""), 2);
	free(c.bpf);
	k23_policy_free(&p);
	/* prctl: only the options k23 uses matter */
	assert_int_equal(compile("calls:\n  - deny: [prctl]\n    args: [{arg: 0, op: eq, value: 4}]\n",
				 &p, &c), 0);
	assert_int_equal(k23_policy_check_needs(&p, &c, devnull, ""), 0);
	free(c.bpf);
	k23_policy_free(&p);
	assert_int_equal(compile("calls:\n  - deny: [prctl]\n    args: [{arg: 0, op: eq, value: 59}]\n",
				 &p, &c), 0);
	assert_int_equal(k23_policy_check_needs(&p, &c, devnull, ""), 1);
	free(c.bpf);
	k23_policy_free(&p);
	fclose(devnull);
}

/* 200 rules (160 calls denied by name, 40 argument conditions): a call
 * the policy does not name, which is most of what a program makes, passes
 * the filter in a few instructions (a binary tree over call numbers), not
 * one test per named call (libseccomp's default, 170 here). */
static void test_large_policy_cost(void **state)
{
	static char text[16384];
	size_t n = 0;
	int named = 0;
	uint64_t a[6] = { 0 };
	struct pol_compiled c;
	struct policy p;
	unsigned steps = 0;

	(void)state;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "calls:\n");
	for (int nr = 0; nr < 450 && named < 160; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);

		if (name && nr != SYS_getppid && nr != SYS_personality) {
			n += (size_t)snprintf(text + n, sizeof(text) - n, "  - deny: [%s]\n", name);
			named++;
		}
		free(name);
	}
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "  - deny: [personality]\n    args: [{arg: 0, op: eq, value: %d}]\n", 4096 + i);
	assert_int_equal(named, 160);
	assert_int_equal(compile(text, &p, &c), 0);
	assert_int_equal(k23_bpf_run_steps(c.bpf, c.bpf_len, AUDIT_ARCH_X86_64, SYS_getppid, 0, a, &steps),
			 SECCOMP_RET_ALLOW);
	print_message("getppid under 200 rules: %u of %u instructions\n", steps, c.bpf_len);
	assert_true(steps <= 24);
	a[0] = 4096 + 39;
	assert_int_equal(k23_bpf_run(c.bpf, c.bpf_len, AUDIT_ARCH_X86_64, SYS_personality, 0, a),
			 SECCOMP_RET_ERRNO | EPERM);
	a[0] = 0;
	assert_int_equal(k23_bpf_run(c.bpf, c.bpf_len, AUDIT_ARCH_X86_64, SYS_personality, 0, a),
			 SECCOMP_RET_ALLOW);
	assert_int_equal(k23_bpf_run(c.bpf, c.bpf_len, AUDIT_ARCH_X86_64, SYS_read, 0, a),
			 SECCOMP_RET_ERRNO | EPERM);
	free(c.bpf);
	k23_policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simulator_agrees_with_kernel),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_large_policy_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
