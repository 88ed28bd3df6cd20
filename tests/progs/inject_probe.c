/* inject_probe.c - makes calls and prints what each returned, for -e inject= comparisons with strace.
 *
 * The main thread, a thread and a fork child each make getppid 4 times,
 * getpid twice, openat of /dev/null 3 times and write to stdout 3 times;
 * each result is printed as "who call: ok" or "who call: -1 ENAME". Exit
 * status: the number of calls that failed. What a call returns for real
 * (a pid, a descriptor) is not printed, only whether it failed, and how.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;

static void report(const char *who, const char *call, long r, int err)
{
	char line[128];
	int n;

	if (r < 0) {
		failed++;
		n = snprintf(line, sizeof(line), "%s %s: -1 %s\n", who, call, strerrorname_np(err));
	} else if (!strcmp(call, "getppid") && r == 42) {
		n = snprintf(line, sizeof(line), "%s %s: 42\n", who, call);
	} else {
		n = snprintf(line, sizeof(line), "%s %s: ok\n", who, call);
	}
	/* the line itself goes out with one write that nothing injects into
	 * (pwrite on a pipe or tty fails, so only a file: see the test) */
	if (syscall(SYS_write, 2, line, (size_t)n) < 0)
		failed++;
}

static void calls(const char *who)
{
	long r;

	for (int i = 0; i < 4; i++) {
		r = syscall(SYS_getppid);
		report(who, "getppid", r, errno);
	}
	for (int i = 0; i < 2; i++) {
		r = syscall(SYS_getpid);
		report(who, "getpid", r, errno);
	}
	for (int i = 0; i < 3; i++) {
		r = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
		report(who, "openat", r, errno);
		if (r >= 0)
			close((int)r);
	}
	for (int i = 0; i < 3; i++) {
		r = syscall(SYS_write, 1, "x", 1);
		report(who, "write", r, errno);
	}
}

static void *thread(void *arg)
{
	calls(arg);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pid_t p;
	int st;

	calls("main");
	if (pthread_create(&t, NULL, thread, "thread") == 0)
		pthread_join(t, NULL);
	p = fork();
	if (p == 0) {
		calls("child");
		_exit(failed);
	}
	if (p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st))
		failed += WEXITSTATUS(st);
	calls("main-again");
	return failed & 0xff;
}
