/* exec_errors.c - tries one execve/execveat that should fail and prints the errno it got.
 *
 * Usage: exec_errors CASE ARGS...; prints "CASE: ERRNO" (or runs the target
 * if the exec succeeds):
 *   path FILE                 execve(FILE)
 *   badargv FILE              execve(FILE) with an unreadable argv
 *   at DIR NAME FLAGS         execveat(open(DIR, O_RDONLY), NAME, FLAGS)
 *   atpath FILE NAME FLAGS    execveat(open(FILE, O_PATH), NAME, FLAGS)
 *   badfd NAME FLAGS          execveat(-1000, NAME, FLAGS)
 *   busy FILE                 FILE opened for writing, then execve(FILE)
 * FLAGS is a number (AT_SYMLINK_NOFOLLOW 256, AT_EMPTY_PATH 4096).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

extern char **environ;

static void at(int dirfd, const char *name, const char *flags)
{
	char *argv[] = { (char *)name, NULL };

	syscall(SYS_execveat, dirfd, name, argv, environ, (int)strtol(flags, NULL, 0));
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	char *args[] = { argc > 2 ? argv[2] : NULL, NULL };

	if (!strcmp(c, "path") && argc == 3)
		execve(argv[2], args, environ);
	else if (!strcmp(c, "badargv") && argc == 3)
		syscall(SYS_execve, argv[2], 1L, environ);
	else if (!strcmp(c, "at") && argc == 5)
		at(open(argv[2], O_RDONLY), argv[3], argv[4]);
	else if (!strcmp(c, "atpath") && argc == 5)
		at(open(argv[2], O_PATH), argv[3], argv[4]);
	else if (!strcmp(c, "badfd") && argc == 4)
		at(-1000, argv[2], argv[3]);
	else if (!strcmp(c, "busy") && argc == 3) {
		if (open(argv[2], O_WRONLY) < 0)
			perror("open");
		execve(argv[2], args, environ);
	} else {
		fprintf(stderr, "exec_errors: bad usage\n");
		return 2;
	}
	printf("%s: %s\n", c, strerrorname_np(errno));
	return 0;
}
