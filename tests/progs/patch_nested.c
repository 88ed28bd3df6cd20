/* patch_nested.c - signal handlers on an alternate stack make calls while the call they interrupted sleeps.
 *
 *   patch_nested N
 *
 * The main thread sleeps in read() on a pipe; SIGALRM arrives every
 * 200 us, and its handler (SA_ONSTACK, on an alternate stack) makes 50
 * getppid() calls and checks them. After N handler runs a second thread
 * writes to the pipe and the read returns. Under k23 with a tool, both the
 * sleeping read and the handler's calls take the patched full path on the
 * thread's private stack: the handler's must not overwrite the read's.
 * Prints the number of handler runs and calls, which must match native.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/time.h>

static volatile long runs, calls, wrong;
static long want;
static pid_t parent;
static int p[2];

static void on_alarm(int sig)
{
	(void)sig;
	if (runs >= want)
		return;
	for (int i = 0; i < 50; i++) {
		if (getppid() != parent)
			wrong++;
		calls++;
	}
	runs++;
}

static void *finisher(void *arg)
{
	(void)arg;
	while (runs < want)
		usleep(1000);
	if (write(p[1], "x", 1) != 1)
		abort();
	return NULL;
}

int main(int argc, char **argv)
{
	static char altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	pthread_t t;
	char c;
	ssize_t n;

	want = argc > 1 ? atol(argv[1]) : 200;
	parent = getppid();
	if (pipe(p) || sigaltstack(&ss, NULL))
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_ONSTACK | SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	/* Only the main thread takes the signal. */
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	pthread_create(&t, NULL, finisher, NULL);
	pthread_sigmask(SIG_UNBLOCK, &block, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	do
		n = read(p[0], &c, 1);
	while (n < 0);
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	pthread_join(t, NULL);
	printf("read %zd, handler runs %ld, calls %ld, wrong %ld\n", n, runs, calls, wrong);
	return wrong != 0;
}
