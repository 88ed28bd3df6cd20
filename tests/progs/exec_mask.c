/* exec_mask.c - blocks signals, executes itself, and prints the mask the new image starts with.
 *
 * Usage: exec_mask all|sigsys|usr1: blocks every signal, SIGSYS alone or
 * SIGUSR1 alone, then executes itself; the new image prints its mask as
 * sigprocmask reports it and as /proc/self/status's SigBlk shows it. The
 * kernel's SigBlk never holds SIGSYS under k23 (docs/differences.md): that
 * bit is printed apart, and only the rest of SigBlk is compared.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static void show(void)
{
	char line[256];
	unsigned long blk = 0;
	FILE *f = fopen("/proc/self/status", "r");
	sigset_t m;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "SigBlk:", 7))
			blk = strtoul(line + 7, NULL, 16);
	if (f)
		fclose(f);
	printf("SigBlk without SIGSYS: %016lx\n", blk & ~(1UL << (SIGSYS - 1)));
	sigprocmask(SIG_BLOCK, NULL, &m);
	printf("sigprocmask:");
	for (int s = 1; s < 65; s++)
		if (sigismember(&m, s))
			printf(" %d", s);
	printf("\n");
}

int main(int argc, char **argv)
{
	char *again[] = { argv[0], "show", NULL };
	sigset_t set;

	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "show")) {
		show();
		return 0;
	}
	sigemptyset(&set);
	if (!strcmp(argv[1], "all"))
		sigfillset(&set);
	else if (!strcmp(argv[1], "sigsys"))
		sigaddset(&set, SIGSYS);
	else
		sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_SETMASK, &set, NULL);
	execve(argv[0], again, environ);
	perror("execve");
	return 1;
}
