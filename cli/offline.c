/* offline.c - `k23 prepare`, `k23 sites`, `k23 policy` and `k23 cache`: run by k23-prepare, installed beside k23. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "cli.h"

/* The offline pass needs zydis, which Debian ships only as a shared library,
 * while k23 itself must stay static: it is a separate program found next to
 * k23's own binary. */
int k23_cmd_offline(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return k23_fail(1, "cannot find k23's own binary: %s", strerror(errno));
	self[n] = 0;
	slash = strrchr(self, '/');
	*slash = 0;
	snprintf(path, sizeof(path), "%s/k23-prepare", self);
	/* argv[0] is the subcommand and argv[-1] main()'s argv[0]: k23-prepare
	 * gets "k23-prepare SUBCOMMAND ARGS...". */
	(void)argc;
	/* k23-prepare is dynamic: a preload meant for the program must not
	 * load into it. */
	unsetenv("LD_PRELOAD");
	argv[-1] = path;
	execv(path, argv - 1);
	return k23_fail(1, "%s: %s (k23 prepare and k23 sites need it beside k23)", path,
			strerror(errno));
}
