/* openat.c - ns per openat(2) of one path, allowed or refused: for the policy benchmarks (bench/run-policy).
 *
 *   openat [-c] [-n iterations] [-r repetitions] NAME PATH
 *
 * Opens PATH (O_RDONLY) in batches of 256 and times the opens alone: the
 * descriptors are closed after each batch, outside the timed part, so a
 * successful open and a refused one are timed alike. Prints one line,
 * `mode=NAME ns=2345.6 min=2301.0 n=100000 reps=7 result=ok` (result: ok or
 * the errno name of the first failure): the median over repetitions of ns
 * per openat. The call goes through libc's openat, the site k23 patches.
 * -c times with the thread's CPU clock instead of CLOCK_MONOTONIC, so that
 * time spent descheduled on a busy machine is not counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bench/timing.h"

#define BATCH 256
#define MAX_REPS 101


int main(int argc, char **argv)
{
	long n = 100000;
	int reps = 7, opt, err = 0, fds[BATCH];
	double ns[MAX_REPS];

	while ((opt = getopt(argc, argv, "cn:r:")) != -1) {
		if (!timing_option(opt, optarg, &n, &reps))
			return 2;
	}
	if (argc - optind != 2 || n < BATCH || reps < 1 || reps > MAX_REPS)
		return fprintf(stderr, "usage: openat [-c] [-n iterations] [-r repetitions] NAME PATH\n"), 2;
	n -= n % BATCH;
	for (int r = 0; r < reps; r++) {
		double total = 0;

		for (long done = 0; done < n; done += BATCH) {
			double t0 = now_ns();

			for (int i = 0; i < BATCH; i++)
				fds[i] = openat(AT_FDCWD, argv[optind + 1], O_RDONLY);
			total += now_ns() - t0;
			for (int i = 0; i < BATCH; i++) {
				if (fds[i] >= 0)
					close(fds[i]);
				else if (!err)
					err = errno;
			}
		}
		ns[r] = total / n;
	}
	qsort(ns, reps, sizeof(ns[0]), cmp_double);
	printf("mode=%s ns=%.1f min=%.1f n=%ld reps=%d result=%s\n", argv[optind], ns[reps / 2], ns[0], n, reps,
	       !err ? "ok" : err == EACCES ? "EACCES" : strerror(err));
	return 0;
}
