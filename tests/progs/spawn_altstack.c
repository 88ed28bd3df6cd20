/* spawn_altstack.c - posix_spawn from a program with an alternate signal stack, as CPython's faulthandler sets one.
 *
 * glibc's posix_spawn blocks every signal, maps a small stack and starts
 * the child with clone3(CLONE_VM | CLONE_VFORK) on it; the child shares the
 * parent's memory and keeps its alternate-stack setting while it resets
 * signal dispositions, runs the file actions (here addclose of stdin and a
 * dup2) and execs. The child is this program again: it reports whether
 * stdin is closed and what arrived on fd 5. Spawned 40 times; the parent's
 * memory map must not grow (the children leave nothing behind in it).
 *   spawn_altstack        the parent
 *   spawn_altstack child  a child (exits 7 after reporting)
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void on_usr1(int sig)
{
	(void)sig;
}

static int map_count(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int c, n = 0;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static int child(void)
{
	struct stat st;
	char buf[16] = "";
	int closed = fstat(0, &st) < 0 && errno == EBADF;
	ssize_t n = read(5, buf, sizeof(buf) - 1);

	printf("child: stdin %s, fd 5 gave %zd bytes: %s\n", closed ? "closed" : "open", n, buf);
	return 7;
}

static int spawn_one(const char *self, int quiet)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { (char *)self, "child", NULL };
	int p[2], status, err;
	pid_t pid;

	if (pipe(p) || write(p[1], "hello", 5) != 5)
		return -1;
	close(p[1]);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclose(&fa, 0);
	posix_spawn_file_actions_adddup2(&fa, p[0], 5);
	if (quiet)
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 01 /* O_WRONLY */, 0);
	fflush(stdout);
	err = posix_spawn(&pid, self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[0]);
	if (err) {
		printf("posix_spawn: %s\n", strerror(err));
		return -1;
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	static char alt[64 * 1024];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_ONSTACK };
	int before, after, bad = 0;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child();
	if (sigaltstack(&ss, NULL) || sigaction(SIGUSR1, &sa, NULL)) {
		perror("sigaltstack");
		return 1;
	}
	printf("first child exited %d\n", spawn_one(argv[0], 0));
	before = map_count();
	for (int i = 0; i < 40; i++)
		bad += spawn_one(argv[0], 1) != 7;
	after = map_count();
	printf("40 more children: %d did not exit 7\n", bad);
	printf("memory map %s\n", after > before ? "grew" : "did not grow");
	return 0;
}
