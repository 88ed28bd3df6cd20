/* policy_ptr_race.c - another thread rewrites the path between a granted and a denied file while this one stats it.
 *
 *   policy_ptr_race GRANTED SECRET SECRET_INO N
 * A thread copies GRANTED and SECRET into one buffer in turn, as fast as it
 * can, while the main thread calls stat() on the buffer N times. A checker
 * that reads the path, decides, and lets the kernel read the program's
 * buffer again has a window; k23's in-process layer hands the kernel the
 * copy it checked. Prints "stats N secret S granted G denied D other O":
 * S counts the stats that returned SECRET_INO (natively about half).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char path[256];
static const char *names[2];
static volatile int stop;

static void *flipper(void *arg)
{
	(void)arg;
	for (unsigned long i = 0; !stop; i++)
		strcpy(path, names[i & 1]);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long secret_ino, n, s = 0, g = 0, d = 0, o = 0;
	struct stat st;
	pthread_t t;

	if (argc != 5)
		return fprintf(stderr, "usage: policy_ptr_race GRANTED SECRET SECRET_INO N\n"), 2;
	/* The same length, so that a half-copied buffer is one name or the
	 * other, never a third file. */
	if (strlen(argv[1]) != strlen(argv[2]))
		return fprintf(stderr, "GRANTED and SECRET must be of one length\n"), 2;
	names[0] = argv[1];
	names[1] = argv[2];
	secret_ino = strtoul(argv[3], NULL, 10);
	n = strtoul(argv[4], NULL, 10);
	strcpy(path, names[0]);
	pthread_create(&t, NULL, flipper, NULL);
	for (unsigned long i = 0; i < n; i++) {
		if (stat(path, &st) == 0)
			st.st_ino == secret_ino ? s++ : g++;
		else if (errno == EACCES)
			d++;
		else
			o++;
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("stats %lu secret %lu granted %lu denied %lu other %lu\n", n, s, g, d, o);
	return 0;
}
