/* timing.h - the clock, the median and the common options of the bench programs (getppid, openat, readfile, remote).
 *
 * clock_id is CLOCK_MONOTONIC unless a program's -c switches it to the
 * thread's CPU time, so that time spent descheduled on a busy machine is
 * not counted. Header-only: each bench program is one translation unit.
 */
#ifndef K23_BENCH_TIMING_H
#define K23_BENCH_TIMING_H

#include <stdlib.h>
#include <time.h>

static clockid_t clock_id = CLOCK_MONOTONIC;

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(clock_id, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* For qsort of the rounds' figures, before taking the median. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The options the timed programs share: -c (the thread's CPU time), -n
 * N (calls or iterations), -r R (repetitions). 1 if opt was one of them. */
static inline int timing_option(int opt, const char *arg, long *n, int *reps)
{
	if (opt == 'c')
		clock_id = CLOCK_THREAD_CPUTIME_ID;
	else if (opt == 'n')
		*n = strtol(arg, NULL, 0);
	else if (opt == 'r')
		*reps = atoi(arg);
	else
		return 0;
	return 1;
}

#endif
