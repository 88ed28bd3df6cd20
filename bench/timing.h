/* timing.h - the clock and the median of the bench programs (getppid, openat, readfile).
 *
 * clock_id is CLOCK_MONOTONIC unless a program's -c switches it to the
 * thread's CPU time, so that time spent descheduled on a busy machine is
 * not counted. Header-only: each bench program is one translation unit.
 */
#ifndef K23_BENCH_TIMING_H
#define K23_BENCH_TIMING_H

#include <time.h>

static clockid_t clock_id = CLOCK_MONOTONIC;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(clock_id, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* For qsort of the rounds' figures, before taking the median. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif
