/* launched.c - the core's side of the launcher (loader/launcher.h): the descriptor of k23-core it passed. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "online/core/rt.h"
#include "launcher.h"

static int core_fd = -1;
static unsigned long start_brk;

int k23_launched_core_fd(void)
{
	static int known;
	unsigned long base;
	struct stat st;

	if (known)
		return core_fd;
	known = 1;
	base = getauxval(AT_BASE);
	if ((base & K23_LAUNCH_TAG_MASK) != K23_LAUNCH_TAG || fstat((int)(base & 0xffffffffUL), &st) != 0)
		return -1;
	core_fd = (int)(base & 0xffffffffUL);
	start_brk = (unsigned long)syscall(SYS_brk, 0); /* first thing in main(): nothing moved it */
	/* Passed on by the previous image without close-on-exec: a start that
	 * executes again before the program (a #! script) must not pass it on. */
	fcntl(core_fd, F_SETFD, FD_CLOEXEC);
	if (k23_launched_self[0])
		memcpy(k23_rt.self_exe, k23_launched_self, sizeof(k23_rt.self_exe));
	k23_rt.core_dev = st.st_dev;
	k23_rt.core_ino = st.st_ino;
	return core_fd;
}

unsigned long k23_launched_brk(void)
{
	k23_launched_core_fd();
	return start_brk;
}

void k23_launched_release(void)
{
	if (k23_launched_core_fd() >= 0)
		close(core_fd);
	core_fd = -1;
}
