/* policy_attack_race.c - a symlink swapped between a granted and an ungranted target while another thread opens it.
 *
 *   policy_attack_race HOW DIR GRANTED SECRET N
 * A thread flips DIR/link between GRANTED and SECRET (symlink to a new
 * name, rename over the link: the link always exists) as fast as it can,
 * while the main thread opens DIR/link N times through HOW (policy_attack.h)
 * and reads its first byte. A checker that looks at the path and then lets
 * the kernel open it again has a window; Landlock checks the file the open
 * reaches, in the same walk, so it has none. Prints
 *   opens N granted G secret S denied D other O
 * counting the opens that read GRANTED's first byte, SECRET's, failed with
 * EACCES, or anything else (the files must differ in their first byte).
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include "policy_attack.h"

static const char *dir, *targets[2];
static volatile int stop;
static volatile unsigned long flips;

static void *flipper(void *arg)
{
	char tmp[4096], link[4096];

	(void)arg;
	snprintf(tmp, sizeof(tmp), "%s/link.new", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	for (unsigned long i = 0; !stop; i++) {
		unlink(tmp);
		if (symlink(targets[i & 1], tmp) || rename(tmp, link))
			return perror("flip"), NULL;
		flips = i + 1;
	}
	return NULL;
}

static char first_byte(const char *path)
{
	char c = 0;
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = 0;
		close(fd);
	}
	return c;
}

int main(int argc, char **argv)
{
	long n, counts[4] = { 0 }; /* granted, secret, denied, other */
	char link[4096], want[2];
	pthread_t t;

	if (argc != 6 || attack_how(argv[1]))
		return fprintf(stderr, "usage: policy_attack_race HOW DIR GRANTED SECRET N\n"), 2;
	dir = argv[2];
	targets[0] = argv[3];
	targets[1] = argv[4];
	n = atol(argv[5]);
	want[0] = first_byte(targets[0]);
	want[1] = first_byte(targets[1]);	/* 0 when it is not readable here */
	snprintf(link, sizeof(link), "%s/link", dir);
	unlink(link);
	if (symlink(targets[0], link))
		return perror("symlink"), 1;
	if (pthread_create(&t, NULL, flipper, NULL))
		return 1;
	/* The two threads must overlap even on one busy CPU: the opens start
	 * once the link has flipped, and give the CPU away whenever it has
	 * not flipped for 64 opens. */
	while (flips < 2)
		sched_yield();
	for (long i = 0, last = 0; i < n; i++) {
		char c = 0;

		if (i % 64 == 0) {
			if ((long)flips == last)
				sched_yield();
			last = (long)flips;
		}
		long fd = attack_call(SYS_openat, AT_FDCWD, (long)link, O_RDONLY, 0, 0, 0);

		if (fd == -EACCES) {
			counts[2]++;
			continue;
		}
		if (fd >= 0) {
			if (attack_call(SYS_read, fd, (long)&c, 1, 0, 0, 0) != 1)
				c = 0;
			attack_call(SYS_close, fd, 0, 0, 0, 0, 0);
		}
		if (c && c == want[0])
			counts[0]++;
		else if (c && (c == want[1] || want[1] == 0))
			counts[1]++;	/* read, and not the granted file: the secret */
		else
			counts[3]++;
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("opens %ld granted %ld secret %ld denied %ld other %ld\n", n, counts[0], counts[1], counts[2],
	       counts[3]);
	return 0;
}
