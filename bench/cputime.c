/* cputime.c - runs a command and prints the user + system CPU seconds it and everything it waited for used.
 *
 *   cputime OUT CMD ARGS...
 *
 * Appends one line, "%.6f\n", to OUT when CMD exits with status 0, and exits
 * with CMD's status (128 + signal if it died of one). For bench/lib.sh's
 * CLOCK=cpu: GNU time prints CPU times to 10 ms only, too coarse for a block
 * of short runs; wait4's rusage has microseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: cputime OUT CMD [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return perror("fork"), 2;
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return perror("wait4"), 2;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	if (WEXITSTATUS(status))
		return WEXITSTATUS(status);
	out = fopen(argv[1], "a");
	if (!out)
		return perror(argv[1]), 2;
	fprintf(out, "%.6f\n", ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
				 (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return fclose(out) ? 2 : 0;
}
