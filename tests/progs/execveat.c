/* execveat.c - runs a program with the execveat syscall, by fd (AT_EMPTY_PATH) or relative to a directory fd. */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

/* Usage: execveat fd|dir PATH [ARGS...]; ARGS become argv[1..], argv[0] is PATH. */
int main(int argc, char **argv)
{
	char dir[4096], base[4096];
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: execveat fd|dir PATH [ARGS...]\n");
		return 2;
	}
	if (strcmp(argv[1], "fd") == 0) {
		fd = open(argv[2], O_PATH);
		if (fd < 0) {
			perror("open");
			return 1;
		}
		syscall(SYS_execveat, fd, "", argv + 2, environ, AT_EMPTY_PATH);
	} else {
		snprintf(dir, sizeof(dir), "%s", argv[2]);
		snprintf(base, sizeof(base), "%s", argv[2]);
		fd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
		if (fd < 0) {
			perror("open");
			return 1;
		}
		syscall(SYS_execveat, fd, basename(base), argv + 2, environ, 0);
	}
	perror("execveat");
	return 127;
}
