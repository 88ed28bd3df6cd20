/* spawn.c - runs argv[1..] with posix_spawnp (a vfork-style clone in glibc), waits, reports its status. */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv)
{
	pid_t pid;
	int status, err;

	if (argc < 2) {
		fprintf(stderr, "usage: spawn PROG [ARGS...]\n");
		return 2;
	}
	fflush(stdout);
	err = posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ);
	if (err) {
		printf("posix_spawnp: %s\n", strerror(err));
		return 1;
	}
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	printf("child %s %d\n", WIFEXITED(status) ? "exited" : "killed by signal",
	       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}
