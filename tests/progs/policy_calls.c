/* policy_calls.c - makes calls a policy may deny and prints each outcome; with an address, also makes them from there.
 *
 *   policy_calls [ADDR]
 *   policy_calls x32
 * ADDR (hex) is a `syscall; ret` sequence inside k23's own text: a call
 * made there is exempt from k23's catch-all (the kernel sees k23's
 * instruction pointer) - the way a hostile program would try to get past
 * k23. Only a kernel filter without an instruction-pointer exemption still
 * stops it. Prints "NAME: ok" or "NAME: ERRNONAME", then "NAME via ADDR: ...".
 * x32 makes getpid as an x32 call (number | __X32_SYSCALL_BIT: another ABI,
 * which a filter for x86-64 alone must not let through) and prints
 * "x32 getpid: ok" or its errno (ENOSYS on a kernel without x32).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "policy_attack.h"

struct call {
	const char *name;
	long nr, a0, a1;
};

static char uring_params[120];

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOSYS: return "ENOSYS";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	default: return strerror(e);
	}
}

static void report(const char *name, const char *how, long r, int err)
{
	printf("%s%s: %s\n", name, how, r >= 0 ? "ok" : errname(err));
	if (r > 2)
		close((int)r); /* a descriptor (userfaultfd, io_uring) */
}

static void x32(void)
{
	long ret = syscall(0x40000000L | SYS_getpid);

	printf("x32 getpid: %s\n", ret == getpid() ? "ok" : errname(errno));
}

int main(int argc, char **argv)
{
	struct call calls[] = {
		{ "getppid", SYS_getppid, 0, 0 },
		{ "userfaultfd", SYS_userfaultfd, 0, 0 },
		{ "io_uring_setup", SYS_io_uring_setup, 1, (long)uring_params },
		{ "vmsplice", SYS_vmsplice, -1, 0 },
	};
	unsigned long addr = argc > 1 ? strtoul(argv[1], NULL, 16) : 0;

	if (argc > 1 && !strcmp(argv[1], "x32")) {
		x32();
		return 0;
	}

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		long r;

		errno = 0;
		r = syscall(calls[i].nr, calls[i].a0, calls[i].a1);
		report(calls[i].name, "", r, errno);
		if (!addr)
			continue;
		r = raw_at(addr, calls[i].nr, calls[i].a0, calls[i].a1, 0, 0, 0, 0);
		report(calls[i].name, " via k23's text", r, r < 0 ? (int)-r : 0);
	}
	return 0;
}
