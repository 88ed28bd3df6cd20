/* exec_pending.c - a blocked SIGSYS sent by the program itself is still pending after execve.
 *
 *   exec_pending kill|tgkill|sigqueue|none   blocks SIGSYS, sends one to itself
 *                                            that way (or none), executes itself
 *   exec_pending check                       (the new image) whether SIGSYS is
 *                                            pending, then installs a handler and
 *                                            unblocks it: whether it arrived, and
 *                                            its si_code, sender and value
 *
 * Natively a pending signal survives execve, and the mask with it; a handler
 * does not (the new image installs its own).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

extern char **environ;

static volatile int arrived, code, from_self, value;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	arrived++;
	code = si->si_code;
	from_self = si->si_pid == getpid();
	value = si->si_value.sival_int;
}

static int check(void)
{
	struct sigaction sa;
	sigset_t set, pend;

	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	sigprocmask(SIG_BLOCK, NULL, &pend);
	printf("SIGSYS blocked at start: %s\n", sigismember(&pend, SIGSYS) ? "yes" : "no");
	sigpending(&pend);
	printf("SIGSYS pending at start: %s\n", sigismember(&pend, SIGSYS) ? "yes" : "no");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, 0);
	sigprocmask(SIG_UNBLOCK, &set, 0);
	printf("arrived after unblocking: %d", arrived);
	if (arrived)
		printf(", si_code %d, from %s, value %d", code, from_self ? "itself" : "another", value);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	char *again[] = { argv[0], "check", NULL };
	sigset_t set;

	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "check"))
		return check();
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	sigprocmask(SIG_BLOCK, &set, 0);
	if (!strcmp(argv[1], "kill"))
		kill(getpid(), SIGSYS);
	else if (!strcmp(argv[1], "tgkill"))
		syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGSYS);
	else if (!strcmp(argv[1], "sigqueue"))
		sigqueue(getpid(), SIGSYS, (union sigval){ .sival_int = 23 });
	else if (strcmp(argv[1], "none"))
		return 2;
	execve(argv[0], again, environ);
	perror("execve");
	return 1;
}
