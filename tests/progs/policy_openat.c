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
#include "policy_attack.h"

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
		fd = raw_at(addr, SYS_openat, dir, (long)argv[2], O_RDONLY, 0, 0, 0);
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
