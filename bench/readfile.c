/* readfile.c - ns to read one whole file: for the synthesized-file benchmark (bench/run-virtual-synth).
 *
 *   readfile [-c] [-n iterations] [-r repetitions] [-o] NAME PATH
 *
 * Reads PATH from its start to its end (pread, 64 KiB at a time) n times
 * through one descriptor opened once; with -o each iteration also opens
 * and closes it (open+read+close). Prints one line, `mode=NAME ns=2345.6
 * min=2301.0 n=1000 reps=7 bytes=4096`: the median over repetitions of ns
 * per whole read. -c times with the thread's CPU clock.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "bench/timing.h"

#define CHUNK 65536
#define MAX_REPS 101

static char buf[CHUNK];

static long whole(int fd)
{
	long got = 0;
	ssize_t k;

	while ((k = pread(fd, buf, CHUNK, got)) > 0)
		got += k;
	return k < 0 ? -1 : got;
}

int main(int argc, char **argv)
{
	long n = 1000, bytes = 0;
	int reps = 7, opt, reopen = 0, fd = -1;
	double ns[MAX_REPS];
	const char *path;

	while ((opt = getopt(argc, argv, "cn:r:o")) != -1) {
		if (timing_option(opt, optarg, &n, &reps))
			continue;
		if (opt == 'o')
			reopen = 1;
		else
			return 2;
	}
	if (argc - optind != 2 || n < 1 || reps < 1 || reps > MAX_REPS)
		return fprintf(stderr, "usage: readfile [-c] [-n iterations] [-r repetitions] [-o] NAME PATH\n"), 2;
	path = argv[optind + 1];
	if (!reopen && (fd = open(path, O_RDONLY)) < 0)
		return perror(path), 1;
	for (int r = 0; r < reps; r++) {
		double t0 = now_ns();

		for (long i = 0; i < n; i++) {
			if (reopen && (fd = open(path, O_RDONLY)) < 0)
				return perror(path), 1;
			if ((bytes = whole(fd)) < 0)
				return perror(path), 1;
			if (reopen)
				close(fd);
		}
		ns[r] = (now_ns() - t0) / n;
	}
	qsort(ns, reps, sizeof(ns[0]), cmp_double);
	printf("mode=%s ns=%.1f min=%.1f n=%ld reps=%d bytes=%ld\n", argv[optind], ns[reps / 2], ns[0], n,
	       reps, bytes);
	return 0;
}
