/* sigmask.c - blocks SIGCHLD and SIGUSR1 with sigprocmask, checks the block holds (pending, not delivered) until unblocked. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld, usr1;

static void on_chld(int sig) { (void)sig; chld++; }
static void on_usr1(int sig) { (void)sig; usr1++; }

int main(void)
{
	sigset_t set, cur, pend;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGUSR1);
	signal(SIGCHLD, on_chld);
	signal(SIGUSR1, on_usr1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("after SIG_BLOCK: SIGCHLD blocked %d, SIGUSR1 blocked %d\n",
	       sigismember(&cur, SIGCHLD), sigismember(&cur, SIGUSR1));
	for (int i = 0; i < 2; i++)
		if (fork() == 0)
			_exit(0);
	while (wait(NULL) > 0)
		;
	kill(getpid(), SIGUSR1);
	sigpending(&pend);
	printf("while blocked: handler runs chld %d usr1 %d, pending chld %d usr1 %d\n",
	       (int)chld, (int)usr1, sigismember(&pend, SIGCHLD), sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("after unblock: handler runs chld %d usr1 %d\n", (int)chld, (int)usr1);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("after SIG_SETMASK: SIGUSR1 blocked %d\n", sigismember(&cur, SIGUSR1));
	return 0;
}
