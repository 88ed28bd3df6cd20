/* clone_parent.c - clone(CLONE_PARENT | SIGCHLD): the child is its creator's sibling, its grandparent's child.
 *
 * nested: a child M of this program makes the CLONE_PARENT child C, so C is
 * this program's child: it reaps M and C and reports who was whose parent.
 * direct: this program makes C itself, so C is the child of whoever started
 * this program (under k23 with a tool: k23's supervisor); C reports through
 * a pipe, and the program waits for it to close.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long clone_parent(void)
{
	return syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
}

static int nested(void)
{
	pid_t me = getpid(), m;
	int p[2], status, seen = 0;
	long c;

	if (pipe(p))
		return 1;
	fflush(stdout);
	m = fork();
	if (m == 0) {
		c = clone_parent();
		if (c == 0) {
			dprintf(p[1], "C: parent is %s\n", getppid() == me ? "the grandparent" : "not the grandparent");
			_exit(7);
		}
		dprintf(p[1], "M: clone returned %s\n", c > 0 ? "a pid" : "an error");
		_exit(3);
	}
	close(p[1]);
	int st_m = -1, st_c = -1;

	for (pid_t w; (w = wait(&status)) > 0; seen++)
		*(w == m ? &st_m : &st_c) = WEXITSTATUS(status); /* in either order */
	printf("reaped %d children: M status %d, C status %d\n", seen, st_m, st_c);
	char buf[256];
	ssize_t n;
	int lines = 0;
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	printf("%d reports\n", lines);
	return 0;
}

static int direct(void)
{
	pid_t parent = getppid();
	int p[2];
	char buf[128];
	ssize_t n;
	long c;

	if (pipe(p))
		return 1;
	fflush(stdout);
	c = clone_parent();
	if (c == 0) {
		close(p[0]);
		dprintf(p[1], "C: parent is %s\n", getppid() == parent ? "my creator's parent" : "another");
		_exit(0);
	}
	close(p[1]);
	printf("clone returned %s\n", c > 0 ? "a pid" : "an error");
	printf("waitpid of it: %s\n", waitpid((pid_t)c, NULL, WNOHANG) < 0 ? "not my child" : "my child");
	fflush(stdout);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	return 5;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "direct") == 0)
		return direct();
	return nested();
}
