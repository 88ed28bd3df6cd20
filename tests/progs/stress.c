/* stress.c - 64 threads each make N getppid calls while another process keeps sending SIGUSR1; prints the totals it made. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define THREADS 64

static long per_thread = 100000;
static atomic_long handled;

/* Each delivery makes exactly one getuid, so k23's getuid count must equal
 * the number of handler runs (and so must rt_sigreturn). */
static void on_usr1(int sig)
{
	(void)sig;
	atomic_fetch_add(&handled, 1);
	syscall(SYS_getuid);
}

static void *worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < per_thread; i++)
		syscall(SYS_getppid);
	return NULL;
}

/* Sends SIGUSR1 to the parent until killed. */
static pid_t start_sender(pid_t target)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec ts = { 0, 200000 };

		for (;;) {
			kill(target, SIGUSR1);
			nanosleep(&ts, NULL);
		}
	}
	return pid;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	pthread_t t[THREADS];
	pid_t sender;

	if (argc > 1)
		per_thread = atol(argv[1]);
	sigaction(SIGUSR1, &sa, NULL);
	sender = start_sender(getpid());
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, NULL) != 0)
			return 1;
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	kill(sender, SIGKILL);
	waitpid(sender, NULL, 0);
	/* Deliveries still pending are handled before this line. */
	printf("getppid %ld\nhandled %ld\n", THREADS * per_thread, atomic_load(&handled));
	return 0;
}
