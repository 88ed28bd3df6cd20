/* patch_dlopen.c - dlopen a prepared shared object while 8 threads spin on libc syscalls; the object's syscalls and the threads' all counted exactly.
 *
 *   patch_dlopen LIB COUNTS-FILE [M]
 *
 * 8 threads call libc's getppid() in a loop until told to stop. Once every
 * thread has made some calls, the main thread dlopens LIB (libpatch_dl.so),
 * calls its patch_dl_run(M) - M getpgrp and M getpgid(0) through LIB's own
 * syscall instructions (default M 1000) - then stops the threads.
 *
 * stdout depends only on M. How many getppid calls the threads made depends
 * on timing, so that number (with the main thread's one) goes to
 * COUNTS-FILE as "getppid N", for the test to compare with k23's count.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define THREADS 8

static pid_t want_ppid;
static atomic_int stop;
static atomic_long calls[THREADS];
static atomic_long wrong;

static void *worker(void *arg)
{
	atomic_long *mine = arg;

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		if (getppid() != want_ppid)
			atomic_fetch_add(&wrong, 1);
		atomic_fetch_add_explicit(mine, 1, memory_order_relaxed);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];
	long m = 1000, total = 1;	/* 1: the main thread's getppid below */

	if (argc < 3) {
		fprintf(stderr, "usage: patch_dlopen LIB COUNTS-FILE [M]\n");
		return 2;
	}
	if (argc > 3)
		m = atol(argv[3]);
	want_ppid = getppid();
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, &calls[i]) != 0) {
			perror("pthread_create");
			return 2;
		}
	/* Every thread is in its loop before the dlopen. */
	for (int i = 0; i < THREADS; i++)
		while (atomic_load(&calls[i]) < 100)
			__builtin_ia32_pause();

	void *h = dlopen(argv[1], RTLD_NOW);
	if (!h) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		atomic_store(&stop, 1);
		return 2;
	}
	long (*run)(long, long) = (long (*)(long, long))dlsym(h, "patch_dl_run");
	if (!run) {
		fprintf(stderr, "dlsym: %s\n", dlerror());
		return 2;
	}
	long right = run(m, getpgrp());	/* libc makes one more call here (getpgrp or getpgid) */
	long still = 0;
	for (int i = 0; i < THREADS; i++)
		still += atomic_load(&calls[i]) > 100;
	atomic_store(&stop, 1);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		total += atomic_load(&calls[i]);
	}
	FILE *f = fopen(argv[2], "w");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	fprintf(f, "getppid %ld\nthreads still running after the library's calls %ld\n", total, still);
	fclose(f);
	printf("library calls right: %ld of %ld\n", right, 2 * m);
	printf("threads: %d, wrong getppid results: %ld\n", THREADS, atomic_load(&wrong));
	return right == 2 * m && atomic_load(&wrong) == 0 ? 0 : 1;
}
