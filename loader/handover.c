/* handover.c - recognising a start by k23's own re-execution and reading its record. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include "log.h"
#include "online/core/rt.h"
#include "online/core/rtconfig.h"
#include "online/process/reexec.h"
#include "handover.h"
#include "launch.h"

/* "/dev/fd/<digits>", as the kernel names an execveat of a descriptor. */
static int exec_fd(const char *fn)
{
	char *end;
	long k;

	if (!fn || strncmp(fn, "/dev/fd/", 8) != 0 || !fn[8])
		return -1;
	k = strtol(fn + 8, &end, 10);
	return *end || k < 1 || k > (1 << 30) ? -1 : (int)k;
}

/* "dev:ino:size" of the file executed (reexec.c), when the previous image
 * knew it: k23's own identity without a stat of /proc/self/exe. */
static void self_id(const char *s, const char *end)
{
	unsigned long v[3];
	char *e;

	for (int i = 0; i < 3; i++) {
		if (s >= end || *s < '0' || *s > '9')
			return;
		v[i] = strtoul(s, &e, 10);
		if (*e != (i < 2 ? ':' : 0))
			return;
		s = e + 1;
	}
	k23_self_known(v[0], v[1], v[2]);
}

int k23_handover_read(int *prog_fd, char *execfn, size_t size)
{
	static char rec[K23_HANDOVER_MAX + 1]; /* not on a stack `ulimit -s` may make tiny */
	char *cfg, *fd, *fn, *nl, *self;
	int k = exec_fd((const char *)getauxval(AT_EXECFN));
	ssize_t n;

	if (k < 1)
		return 0;
	n = pread(k - 1, rec, K23_HANDOVER_MAX, 0);
	if (n < (ssize_t)strlen(K23_HANDOVER_MAGIC) ||
	    memcmp(rec, K23_HANDOVER_MAGIC, strlen(K23_HANDOVER_MAGIC)) != 0)
		return 0; /* an fd execution of k23 by someone else */
	close(k - 1);
	close(k);
	rec[n] = 0;
	cfg = rec + strlen(K23_HANDOVER_MAGIC);
	if (!(nl = strchr(cfg, '\n')))
		goto corrupt;
	*nl = 0;
	fd = nl + 1;
	if (!(nl = strchr(fd, '\n')))
		goto corrupt;
	*nl = 0;
	fn = nl + 1;
	if (k23_rtconfig_decode(cfg) != 0 || strlen(fn) >= size || !*fd)
		goto corrupt;
	*prog_fd = atoi(fd);
	strcpy(execfn, fn);
	/* k23's own path, if the previous image said (reexec.c): found
	 * without asking the kernel (launch.c, k23_find_self). */
	self = fn + strlen(fn) + 1;
	if (self < rec + n && *self && strlen(self) < sizeof(k23_rt.self_exe)) {
		strcpy(k23_rt.self_exe, self);
		self_id(self + strlen(self) + 1, rec + n);
	}
	return 1;
corrupt:
	k23_fail(127, "corrupt hand-over record from the previous image");
	return -1;
}
