/* exec_chain.c - execs itself down N levels; each level calls getppid first thing, then prints its level. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Usage: exec_chain N (argv[0] must be a path to this program). */
int main(int argc, char **argv)
{
	pid_t parent = getppid(); /* the recognisable first syscall of main() */
	int level = argc > 1 ? atoi(argv[1]) : 0;
	char next[16];

	printf("level %d parent-is-shell %s\n", level,
	       parent == (argc > 2 ? atoi(argv[2]) : parent) ? "yes" : "no");
	fflush(stdout);
	if (level <= 0)
		return 0;
	snprintf(next, sizeof(next), "%d", level - 1);
	char ppid[16];
	snprintf(ppid, sizeof(ppid), "%d", (int)parent);
	execv(argv[0], (char *[]){ argv[0], next, ppid, NULL });
	perror("exec_chain: execv");
	return 127;
}
