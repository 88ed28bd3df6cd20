/* membarrier.c - the program's membarrier registrations are its own: expedited commands fail with EPERM until it registers.
 *
 * Prints the result of each command in order; natively and under k23 the
 * output must be the same (k23 registers for SYNC_CORE itself when it
 * patches a trapped site).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>

#ifndef MEMBARRIER_CMD_GET_REGISTRATIONS
#define MEMBARRIER_CMD_GET_REGISTRATIONS (1 << 9)
#endif

static void cmd(const char *name, int c)
{
	long r = syscall(SYS_membarrier, c, 0, 0);

	printf("%s: %s\n", name, r < 0 ? strerror(errno) : r == 0 ? "0" : "mask");
	if (r > 0 && c == MEMBARRIER_CMD_GET_REGISTRATIONS)
		printf("  registrations %#lx\n", r);
}

int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	/* Enough calls from one site that k23 patches it lazily. */
	for (int i = 0; i < 50; i++)
		syscall(SYS_getppid);
	cmd("private expedited", MEMBARRIER_CMD_PRIVATE_EXPEDITED);
	cmd("private expedited sync core", MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE);
	cmd("get registrations", MEMBARRIER_CMD_GET_REGISTRATIONS);
	cmd("register private expedited", MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED);
	cmd("private expedited", MEMBARRIER_CMD_PRIVATE_EXPEDITED);
	cmd("private expedited sync core", MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE);
	cmd("get registrations", MEMBARRIER_CMD_GET_REGISTRATIONS);
	cmd("register private expedited sync core", MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE);
	cmd("private expedited sync core", MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE);
	cmd("get registrations", MEMBARRIER_CMD_GET_REGISTRATIONS);
	return 0;
}
