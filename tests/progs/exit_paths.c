/* exit_paths.c - ways a process ends: exit_group from a non-main thread while others block, the main thread exiting first, death by SIGKILL, SIGSEGV, SIGABRT.
 *
 *   exit_paths CASE    CASE: group-from-thread main-exits-first sigkill sigkill-thread
 *                            sigsegv sigsegv-thread abort
 *
 * Prints what happens up to the end (the last line comes right before it),
 * then ends the way the case says. Threads that must block are given 100 ms
 * to get there (the outcome is the same if they have not yet).
 */
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int pfd[2];
static int futex_word;
static int blockers_ready;	/* blockers past their thread start-up */

static void *block_in_read(void *arg)
{
	char c;

	(void)arg;
	__atomic_add_fetch(&blockers_ready, 1, __ATOMIC_SEQ_CST);
	if (read(pfd[0], &c, 1) >= 0)
		printf("read returned (not expected)\n");
	return NULL;
}

static void *block_in_futex(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&blockers_ready, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, NULL, NULL, 0);
	printf("futex returned (not expected)\n");
	return NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void start_blockers(void)
{
	pthread_t t;

	if (pipe(pfd))
		perror("pipe");
	pthread_create(&t, NULL, block_in_read, NULL);
	pthread_create(&t, NULL, block_in_futex, NULL);
	/* Each blocker's start-up calls (rseq, set_robust_list, ...) must be
	 * made before the process ends, or strace and k23 count different
	 * sets on a busy machine. Spin without system calls: waiting with one
	 * would add a call the count depends on. */
	while (__atomic_load_n(&blockers_ready, __ATOMIC_SEQ_CST) < 2)
		__builtin_ia32_pause();
	printf("two threads started, blocking in read and futex\n");
}

static void *exit_group_later(void *arg)
{
	(void)arg;
	sleep_ms(100);
	printf("thread: calling exit_group(5)\n");
	syscall(SYS_exit_group, 5);
	return NULL;
}

static void *exit_later(void *arg)
{
	(void)arg;
	sleep_ms(100);
	printf("thread: main thread gone, calling exit(4)\n");
	exit(4);
}

static void *kill_later(void *arg)
{
	(void)arg;
	sleep_ms(100);
	printf("thread: sending SIGKILL to the process\n");
	kill(getpid(), SIGKILL);
	return NULL;
}

static void *segv_later(void *arg)
{
	(void)arg;
	sleep_ms(100);
	printf("thread: writing to address 0\n");
	*(volatile int *)0 = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	pthread_t t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(c, "group-from-thread")) {
		start_blockers();
		pthread_create(&t, NULL, exit_group_later, NULL);
		pthread_join(t, NULL);		/* blocks in futex until the end */
		printf("main: join returned (not expected)\n");
	} else if (!strcmp(c, "main-exits-first")) {
		start_blockers();
		pthread_create(&t, NULL, exit_later, NULL);
		printf("main: leaving with exit(0) of the main thread only\n");
		syscall(SYS_exit, 0);
	} else if (!strcmp(c, "sigkill")) {
		printf("main: sending SIGKILL to itself\n");
		kill(getpid(), SIGKILL);
	} else if (!strcmp(c, "sigkill-thread")) {
		start_blockers();
		pthread_create(&t, NULL, kill_later, NULL);
		pthread_join(t, NULL);
	} else if (!strcmp(c, "sigsegv")) {
		printf("main: writing to address 0\n");
		*(volatile int *)0 = 1;
	} else if (!strcmp(c, "sigsegv-thread")) {
		start_blockers();
		pthread_create(&t, NULL, segv_later, NULL);
		pthread_join(t, NULL);
	} else if (!strcmp(c, "abort")) {
		printf("main: abort()\n");
		abort();
	} else {
		fprintf(stderr, "usage: exit_paths CASE\n");
		return 2;
	}
	printf("%s: still running (not expected)\n", c);
	return 0;
}
