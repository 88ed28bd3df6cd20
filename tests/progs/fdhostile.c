/* fdhostile.c - what programs do to descriptors they did not open (k23's own must survive it, unseen).
 *
 *   fdhostile cloexec N CMD...    F_SETFD FD_CLOEXEC on 3..N-1, then exec CMD
 *   fdhostile fioclex N CMD...    ioctl(FIOCLEX) on 3..N-1, then exec CMD
 *   fdhostile getfd N             which of 0..N-1 F_GETFD finds open, and their flags
 *   fdhostile dup2all N [CMD...]  dup2(1, fd) onto 3..N-1, close them again, then exec CMD
 *   fdhostile fill                open /dev/null until it fails; how many, and why
 *   fdhostile raise SOFT          raise the soft descriptor limit to SOFT, then fill
 *   fdhostile lower SOFT HARD CMD...  set the descriptor limit, read it back, try to raise
 *                                     it, then fork and exec CMD
 *   fdhostile spawndup2 FROM N CMD...  posix_spawn CMD with dup2(1, fd) for FROM..N-1 as
 *                                      file actions (a vfork child: it shares the parent's
 *                                      memory, not its descriptors), then once more without
 *                                      them; each result, then a write of the parent's own
 *
 * Each prints what it saw on stdout, so a native run and a k23 run compare.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

static int run(char **cmd)
{
	if (!cmd[0])
		return 0;
	fflush(stdout);
	execvp(cmd[0], cmd);
	printf("exec %s: %s\n", cmd[0], strerror(errno));
	return 1;
}

static int set_all(int n, int use_ioctl, char **cmd)
{
	int ok = 0;

	for (int fd = 3; fd < n; fd++)
		if ((use_ioctl ? ioctl(fd, FIOCLEX) : fcntl(fd, F_SETFD, FD_CLOEXEC)) == 0)
			ok++;
	printf("%s succeeded on %d descriptors\n", use_ioctl ? "FIOCLEX" : "F_SETFD", ok);
	return run(cmd);
}

static int getfd(int n)
{
	printf("open:");
	for (int fd = 0; fd < n; fd++) {
		int f = fcntl(fd, F_GETFD);

		if (f >= 0)
			printf(" %d(%d)", fd, f);
		else if (errno != EBADF)
			printf(" %d(%s)", fd, strerror(errno));
	}
	printf("\n");
	return 0;
}

static int dup2all(int n, char **cmd)
{
	int ok = 0, bad = 0;

	for (int fd = 3; fd < n; fd++) {
		if (dup2(1, fd) == fd)
			ok++;
		else
			bad = errno;
	}
	for (int fd = 3; fd < 3 + ok; fd++)
		close(fd);
	printf("dup2 succeeded on %d descriptors%s%s\n", ok, bad ? ", then: " : "",
	       bad ? strerror(bad) : "");
	return run(cmd);
}

static int fill(void)
{
	int n = 0, e;

	while (open("/dev/null", O_RDONLY) >= 0)
		n++;
	e = errno;
	printf("opened %d descriptors, then: %s\n", n, strerror(e));
	closefrom(3);
	return 0;
}

static int set_limit(long soft, long hard)
{
	struct rlimit r = { (rlim_t)soft, (rlim_t)hard };

	if (setrlimit(RLIMIT_NOFILE, &r) != 0) {
		printf("setrlimit: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

static int lower(long soft, long hard, char **cmd)
{
	int st;
	pid_t pid;

	struct rlimit r;

	if (set_limit(soft, hard))
		return 1;
	/* What the program reads back, and whether it may raise it again. */
	getrlimit(RLIMIT_NOFILE, &r);
	printf("limit: %ld %ld\n", (long)r.rlim_cur, (long)r.rlim_max);
	r.rlim_max++;
	printf("raise hard: %s\n", setrlimit(RLIMIT_NOFILE, &r) ? strerror(errno) : "ok");
	r.rlim_max--;
	r.rlim_cur = r.rlim_max + 1;
	printf("soft above hard: %s\n", setrlimit(RLIMIT_NOFILE, &r) ? strerror(errno) : "ok");
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(run(cmd));
	waitpid(pid, &st, 0);
	printf("child: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}

extern char **environ;

/* posix_spawnp CMD (with the actions, if any) and wait: one line of result. */
static void spawn_wait(char **cmd, const posix_spawn_file_actions_t *fa, const char *what)
{
	pid_t pid;
	int st, r;

	fflush(stdout);
	r = posix_spawnp(&pid, cmd[0], fa, 0, cmd, environ);
	if (r) {
		printf("%s: spawn: %s\n", what, strerror(r));
		return;
	}
	waitpid(pid, &st, 0);
	printf("%s: %s %d\n", what, WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

static int spawndup2(int from, int n, char **cmd)
{
	posix_spawn_file_actions_t fa;
	int fd;

	if (!cmd[0])
		return 2;
	posix_spawn_file_actions_init(&fa);
	for (int i = from; i < n; i++)
		posix_spawn_file_actions_adddup2(&fa, 1, i);
	spawn_wait(cmd, &fa, "with dup2");
	posix_spawn_file_actions_destroy(&fa);
	spawn_wait(cmd, 0, "without");
	/* The parent goes on making calls of its own. */
	fd = open("/dev/null", O_WRONLY);
	printf("parent's write: %zd\n", write(fd, "x", 1));
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct rlimit r;

	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "cloexec") && argc >= 3)
		return set_all(atoi(argv[2]), 0, argv + 3);
	if (!strcmp(argv[1], "fioclex") && argc >= 3)
		return set_all(atoi(argv[2]), 1, argv + 3);
	if (!strcmp(argv[1], "getfd") && argc == 3)
		return getfd(atoi(argv[2]));
	if (!strcmp(argv[1], "dup2all") && argc >= 3)
		return dup2all(atoi(argv[2]), argv + 3);
	if (!strcmp(argv[1], "fill"))
		return fill();
	if (!strcmp(argv[1], "raise") && argc == 3) {
		getrlimit(RLIMIT_NOFILE, &r);
		return set_limit(atol(argv[2]), (long)r.rlim_max) || fill();
	}
	if (!strcmp(argv[1], "spawndup2") && argc >= 5)
		return spawndup2(atoi(argv[2]), atoi(argv[3]), argv + 4);
	if (!strcmp(argv[1], "lower") && argc >= 5)
		return lower(atol(argv[2]), atol(argv[3]), argv + 4);
	return 2;
}
