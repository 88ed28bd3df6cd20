/* policy_openat.c - openat(fd of DIR, NAME) and its first line, made normally or from a `syscall; ret` in k23's text.
 *
 *   policy_openat DIR NAME [ADDR]
 * Opens DIR (O_RDONLY|O_DIRECTORY), then NAME relative to it, and prints
 * "openat: " followed by the file's first line, or the errno's name. With
 * ADDR (hex, a `syscall; ret` inside k23's own text, found with objdump:
 * tests/policy_lib.sh) the openat is made there: exempt from k23's
 * catch-all, it never reaches k23's dispatcher - the way a hostile program
 * gets past the in-process layer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static long via(unsigned long addr, long nr, long a0, long a1, long a2)
{
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = 0;
	long ret;

	/* 128 bytes below the stack pointer first: the pushed return address
	 * must not land in this function's red zone. */
	__asm__ volatile("sub $128, %%rsp\n\tcall *%[addr]\n\tadd $128, %%rsp"
			 : "=a"(ret), "+r"(r10), "+r"(r8), "+r"(r9)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), [addr] "b"(addr)
			 : "rcx", "r11", "memory", "cc");
	return ret;
}

int main(int argc, char **argv)
{
	char line[256] = "";
	unsigned long addr;
	long fd, dir;
	FILE *f;

	if (argc < 3)
		return fprintf(stderr, "usage: policy_openat DIR NAME [ADDR]\n"), 2;
	dir = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (dir < 0)
		return printf("open %s: %s\n", argv[1], strerror(errno)), 1;
	if (argc > 3) {
		addr = strtoul(argv[3], NULL, 16);
		fd = via(addr, SYS_openat, dir, (long)argv[2], O_RDONLY);
		if (fd < 0)
			errno = (int)-fd, fd = -1;
	} else {
		fd = openat((int)dir, argv[2], O_RDONLY);
	}
	if (fd < 0)
		return printf("openat: %s\n", strerror(errno)), 1;
	f = fdopen((int)fd, "r");
	if (!f || !fgets(line, sizeof(line), f))
		return printf("openat: opened, unreadable\n"), 1;
	printf("openat: %s", line);
	return 0;
}
