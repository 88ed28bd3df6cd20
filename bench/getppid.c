/* getppid.c - ns per raw getppid(): native, with SUD and/or a seccomp filter armed, or under k23.
 *
 *   getppid [-c] [-n iterations] [-r repetitions] mode...
 *
 * -c times with the thread's CPU clock instead of CLOCK_MONOTONIC.
 *
 * Modes:
 *   native         nothing armed
 *   sud-allow      SUD armed, the loop's syscall inside the exempt range: the
 *                  tax every syscall pays once SUD is on (the kernel takes its
 *                  slow entry path even for calls it lets through)
 *   seccomp-allow  a filter that checks the instruction pointer and allows the
 *                  loop's syscall: the tax of running the filter
 *   both-allow     both armed, the call allowed by both
 *   backstop-allow k23's default filter alone (online/catchall/seccomp_filter.c,
 *                  by number, the loop's range as k23's text): getppid is
 *                  allowed on its number, which the kernel answers from its
 *                  action cache without running the filter: the filter's
 *                  own cost in the default mode
 *   hybrid-allow   SUD armed and that filter: the default mode's tax
 *   nocache-allow  the same filter but reading the instruction pointer
 *                  first (an always-true test), so the kernel cannot cache
 *                  anything: with backstop-allow, shows that the cache is
 *                  what makes the difference
 *   padded-cached  backstop-allow's filter behind 2000 tests of the number
 *                  that never jump: still cacheable, so as cheap if the
 *   padded-nocache cache applies; the same behind the IP load as well:
 *                  2000 instructions run on every call (a check that the
 *                  kernel's cache is in use, whatever the noise)
 *   plain          nothing armed; meant for `k23 run --catch-all=X -- getppid
 *                  plain`, where every call takes k23's trap path
 *
 * Prints one line per mode: `mode=native ns=230.1 min=228.0 n=200000 reps=7`,
 * or `mode=X unavailable="reason"`. The result is the median over repetitions
 * of ns per call. Armed modes run in a forked child each, because a seccomp
 * filter cannot be removed and would tax every mode measured after it; plain
 * runs in-process so that, under k23, it measures exactly the program k23 runs.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "k23/compat.h"
#define K23_SYSCALL_INLINE /* the loop's syscall must sit in its own section */
#include "arch/x86_64/syscall.h"
#include "online/catchall/seccomp_filter.h"
#include "bench/timing.h"

#define MAX_REPS 101

/* The measured loop, alone in its own section so SUD's exempt range and the
 * filter's address check can name it, as k23 names its own text. */
__attribute__((noinline, noclone, used, section("k23_bench_loop")))
static void spin(long n)
{
	for (long i = 0; i < n; i++)
		k23_syscall0(SYS_getppid);
}

extern const char __start_k23_bench_loop[], __stop_k23_bench_loop[];

#define LOOP_START ((unsigned long)__start_k23_bench_loop)
#define LOOP_END ((unsigned long)__stop_k23_bench_loop)

/* Stays ALLOW: the loop passes SUD by the exempt range, which the kernel tests
 * before it reads the selector, and everything else (printf) passes by it. */
static volatile char sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;

static char why[160];	/* reason a mode is unavailable */

static int failed(const char *what)
{
	snprintf(why, sizeof(why), "%s: %s", what, strerror(errno));
	return -1;
}

static int arm_sud(void)
{
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, LOOP_START,
		  LOOP_END - LOOP_START, (unsigned long)&sud_selector))
		return failed("prctl(PR_SET_SYSCALL_USER_DISPATCH)");
	return 0;
}

static int install(struct sock_filter *f, int len)
{
	struct sock_fprog prog = { .len = (unsigned short)len, .filter = f };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	/* Without CAP_SYS_ADMIN the kernel insists on no_new_privs. */
	if (errno != EACCES)
		return failed("seccomp(SECCOMP_SET_MODE_FILTER)");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return failed("prctl(PR_SET_NO_NEW_PRIVS)");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return failed("seccomp(SECCOMP_SET_MODE_FILTER)");
	return 0;
}

/* Allows calls from the loop by address, as k23's filter allows its own; from
 * elsewhere it traps getppid (which nothing else here issues) and allows the
 * rest, so the loop's result depends on the address test actually passing. */
static int arm_seccomp(void)
{
	unsigned long lo = LOOP_START, hi = LOOP_END;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 8),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)(lo >> 32), 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (unsigned)lo, 0, 1),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (unsigned)hi, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	if (lo >> 32 != (hi - 1) >> 32) {
		snprintf(why, sizeof(why), "loop straddles a 4 GiB boundary");
		return -1;
	}
	return install(f, sizeof(f) / sizeof(f[0]));
}

#define PAD 2000

/* k23's by-number filter with the loop as k23's text (nocache: preceded by
 * a load of the instruction pointer and a test that always passes; pad:
 * by PAD tests of the number that never jump). */
static int arm_backstop(int nocache, int pad)
{
	static struct sock_filter f[K23_FILTER_MAX + 3 + PAD];
	int n, off = (nocache ? 2 : 0) + (pad ? PAD + 1 : 0);

	n = k23_seccomp_program(f + off, LOOP_START, LOOP_END - 1, LOOP_START, 1);
	if (n < 0) {
		snprintf(why, sizeof(why), "loop straddles a 4 GiB boundary");
		return -1;
	}
	if (nocache) {
		f[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						    offsetof(struct seccomp_data, instruction_pointer));
		f[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0, 0, 0);
	}
	if (pad) {
		int at = nocache ? 2 : 0;

		f[at++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						       offsetof(struct seccomp_data, nr));
		for (int i = 0; i < PAD; i++)
			f[at++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							       0xffffffffU, 0, 0);
	}
	return install(f, n + off);
}

/* -c: the thread's CPU time instead of wall time, so that time spent
 * descheduled on a busy machine is not counted (bench/run-policy). */

static void measure(const char *mode, long n, int reps)
{
	double ns[MAX_REPS];

	spin(n / 10 + 1);	/* warm caches and the branch predictor */
	for (int r = 0; r < reps; r++) {
		double t0 = now_ns();

		spin(n);
		ns[r] = (now_ns() - t0) / n;
	}
	qsort(ns, reps, sizeof(ns[0]), cmp_double);
	printf("mode=%s ns=%.1f min=%.1f n=%ld reps=%d\n", mode, ns[reps / 2], ns[0], n, reps);
	fflush(stdout);
}

struct mode {
	const char *name;
	int sud, seccomp, in_process;	/* seccomp: 1 by address, 2 by number, 3 uncached,
					 * 4 and 5: padded, 2 and 3 */
};

static const struct mode modes[] = {
	{ "native", 0, 0, 0 },
	{ "sud-allow", 1, 0, 0 },
	{ "seccomp-allow", 0, 1, 0 },
	{ "both-allow", 1, 1, 0 },
	{ "backstop-allow", 0, 2, 0 },
	{ "hybrid-allow", 1, 2, 0 },
	{ "nocache-allow", 0, 3, 0 },
	{ "padded-cached", 0, 4, 0 },
	{ "padded-nocache", 0, 5, 0 },
	{ "plain", 0, 0, 1 },
};

/* In the child: arm what the mode asks for, measure. */
static int run_armed(const struct mode *m, long n, int reps)
{
	/* SUD first: the by-number filter traps a prctl from outside "k23's
	 * text" (the loop). */
	if ((m->sud && arm_sud()) ||
	    (m->seccomp == 1 ? arm_seccomp() :
	     m->seccomp ? arm_backstop(m->seccomp == 3 || m->seccomp == 5, m->seccomp >= 4) : 0)) {
		printf("mode=%s unavailable=\"%s\"\n", m->name, why);
		return 1;
	}
	measure(m->name, n, reps);
	return 0;
}

static int run_mode(const struct mode *m, long n, int reps)
{
	int status;
	pid_t pid;

	if (m->in_process) {
		measure(m->name, n, reps);
		return 0;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("mode=%s unavailable=\"fork: %s\"\n", m->name, strerror(errno));
		return 1;
	}
	if (pid == 0)
		_exit(run_armed(m, n, reps));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFSIGNALED(status)) {
		printf("mode=%s unavailable=\"killed by signal %d\"\n", m->name, WTERMSIG(status));
		fflush(stdout);
	}
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int usage(void)
{
	fprintf(stderr, "usage: getppid [-c] [-n iterations] [-r repetitions] "
			"native|sud-allow|seccomp-allow|both-allow|backstop-allow|hybrid-allow|\n"
			"nocache-allow|padded-cached|padded-nocache|plain...\n");
	return 2;
}

int main(int argc, char **argv)
{
	long n = 200000;
	int reps = 7, opt, rc = 0;

	while ((opt = getopt(argc, argv, "cn:r:")) != -1) {
		if (!timing_option(opt, optarg, &n, &reps))
			return usage();
	}
	if (optind == argc || n < 1 || reps < 1 || reps > MAX_REPS)
		return usage();
	for (int i = optind; i < argc; i++) {
		const struct mode *m = NULL;

		for (size_t j = 0; j < sizeof(modes) / sizeof(modes[0]); j++)
			if (!strcmp(argv[i], modes[j].name))
				m = &modes[j];
		if (!m)
			return usage();
		rc |= run_mode(m, n, reps);
	}
	return rc;
}
