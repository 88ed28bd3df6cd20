/* ptrace_sud.c - a tracer sets its tracee's Syscall User Dispatch with PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG.
 *
 *   ptrace_sud MODE    MODE: off, on (exclusive, no exempt range), inclusive
 *                      (dispatch only from [4096, 8192): nothing blocked), or
 *                      own-then-on (the child first turns its own SUD on and off
 *                      with prctl, then the parent sets on)
 *
 * The child stops itself; the parent sets the child's configuration, reads
 * it back (PTRACE_GET_...), and lets it go on. The child then makes calls
 * with its selector at BLOCK and at ALLOW: its SIGSYS handler records the
 * calls the kernel (or k23) dispatched to it. It makes three getppid(7)
 * calls with the selector at ALLOW, which a tool must see. Everything
 * printed is the same for every run of the same kernel.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define SET_SUD 0x4210
#define GET_SUD 0x4211
#ifndef PR_SYS_DISPATCH_INCLUSIVE_ON
#define PR_SYS_DISPATCH_INCLUSIVE_ON 2
#endif
#define ALLOW 0
#define BLOCK 1

struct sud_config { uint64_t mode, selector, offset, len; };

static volatile char sel = ALLOW;
static volatile int dispatched, last_nr, last_code;

static void show(const char *what, pid_t pid)
{
	struct sud_config got;
	long r;

	memset(&got, 0xff, sizeof(got));
	r = ptrace(GET_SUD, pid, sizeof(got), &got);
	if (r)
		printf("parent: get %s: %s\n", what, strerror(errno));
	else
		printf("parent: get %s: mode %lu, selector %s, offset %#lx, len %#lx\n", what,
		       (unsigned long)got.mode,
		       got.selector == (uintptr_t)&sel ? "the child's" : got.selector ? "other" : "none",
		       (unsigned long)got.offset, (unsigned long)got.len);
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	sel = ALLOW; /* before anything of its own makes a call */
	dispatched++;
	last_nr = si->si_syscall;
	last_code = si->si_code;
}

static int child(int own)
{
	struct sigaction sa;
	long r;

	if (own) {
		printf("child: own on: %d\n", prctl(PR_SET_SYSCALL_USER_DISPATCH, 1, 0, 0, &sel));
		printf("child: own off: %d\n", prctl(PR_SET_SYSCALL_USER_DISPATCH, 0, 0, 0, 0));
		fflush(stdout);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, 0);
	raise(SIGSTOP); /* the parent configures SUD meanwhile */
	sel = BLOCK;
	r = syscall(SYS_getppid, 1);
	sel = ALLOW;
	printf("child: selector BLOCK: %d dispatched (syscall %d, si_code %d), result %s\n",
	       dispatched, dispatched ? last_nr : -1, dispatched ? last_code : -1,
	       r == SYS_getppid ? "the number" : "a pid");
	dispatched = 0;
	for (int i = 0; i < 3; i++)
		syscall(SYS_getppid, 7);
	printf("child: selector ALLOW: %d dispatched\n", dispatched);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct sud_config cfg = { 0, 0, 0, 0 };
	int st, own = 0;
	pid_t pid;
	long r;

	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "on") || (own = !strcmp(argv[1], "own-then-on")))
		cfg = (struct sud_config){ 1, (uintptr_t)&sel, 0, 0 };
	else if (!strcmp(argv[1], "inclusive"))
		cfg = (struct sud_config){ PR_SYS_DISPATCH_INCLUSIVE_ON, (uintptr_t)&sel, 4096, 4096 };
	else if (strcmp(argv[1], "off"))
		return 2;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(3);
		_exit(child(own));
	}
	if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
		return 4;
	printf("parent: child stopped by signal %d\n", WSTOPSIG(st));
	show("before", pid);
	r = ptrace(SET_SUD, pid, 16, &cfg);
	printf("parent: set with a wrong size: %s\n", r ? strerror(errno) : "ok");
	r = ptrace(SET_SUD, pid, sizeof(cfg), &cfg);
	printf("parent: set mode %lu: %s\n", (unsigned long)cfg.mode, r ? strerror(errno) : "ok");
	show("after", pid);
	fflush(stdout);
	ptrace(PTRACE_CONT, pid, 0, 0);
	while (waitpid(pid, &st, 0) == pid && WIFSTOPPED(st))
		ptrace(PTRACE_CONT, pid, 0, WSTOPSIG(st) == SIGSYS ? SIGSYS : 0);
	printf("parent: child %s %d\n", WIFEXITED(st) ? "exited" : "killed by",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}
