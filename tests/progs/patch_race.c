/* patch_race.c - 8 threads released at once spin through the same syscall sites, so a lazy patch happens while the others execute them.
 *
 *   patch_race [N]        each thread makes N rounds (default 5000)
 *
 * Each round makes two getppid calls: one through the program's own site,
 * `mov $__NR_getppid,%eax; syscall` (the shape k23 patches lazily at its first
 * trap), and one through libc's getppid(). The threads wait at a spinning
 * barrier (no futex, no syscall) so that all of them reach the sites in the
 * same few hundred cycles, then each counts its calls and checks every
 * result against the parent pid read before the threads started.
 *
 * Output (depends only on N): one line per thread, then the total. Exit
 * status 0 when every call returned the right pid.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 8

static long rounds = 5000;
static pid_t want_ppid;
static atomic_int arrived;
static atomic_int go;

struct result { long raw, libc, wrong; };
static struct result results[THREADS];

/* The program's own site, inside a function (.eh_frame covers it). */
static __attribute__((noinline)) long raw_getppid(void)
{
	long r;
	__asm__ volatile("mov $" "110" ", %%eax\n\t"	/* __NR_getppid */
			 "syscall"
			 : "=a"(r) : : "rcx", "r11", "memory");
	return r;
}

static void *worker(void *arg)
{
	struct result *res = arg;

	atomic_fetch_add(&arrived, 1);
	while (!atomic_load_explicit(&go, memory_order_acquire))
		__builtin_ia32_pause();
	for (long i = 0; i < rounds; i++) {
		if (raw_getppid() == want_ppid)
			res->raw++;
		else
			res->wrong++;
		if (getppid() == want_ppid)
			res->libc++;
		else
			res->wrong++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];
	long total = 0, wrong = 0;

	if (argc > 1)
		rounds = atol(argv[1]);
	want_ppid = getppid();
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, &results[i]) != 0) {
			perror("pthread_create");
			return 2;
		}
	while (atomic_load(&arrived) < THREADS)
		__builtin_ia32_pause();
	atomic_store_explicit(&go, 1, memory_order_release);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++) {
		printf("thread %d: raw %ld, libc %ld, wrong %ld\n", i,
		       results[i].raw, results[i].libc, results[i].wrong);
		total += results[i].raw + results[i].libc;
		wrong += results[i].wrong;
	}
	printf("getppid calls %ld, wrong results %ld\n", total, wrong);
	return wrong == 0 ? 0 : 1;
}
