/* fdpath.c - what a descriptor names, for -y: the kernel's link in /proc/self/fd (or cwd for AT_FDCWD). */
#include <asm/unistd.h>
#include "online/core/rtlib.h"
#include "online/tools/fdpath.h"

long k23_fd_path(int fd, char *buf, size_t size)
{
	char link[32] = "/proc/self/fd/";
	size_t n = 14;
	long r;

	if (size < 2)
		return -22;
	if (fd == -100) {
		k23_memcpy(link + 6, "self/cwd", 9);
	} else {
		if (fd < 0)
			return -9;
		n += k23_utoa((unsigned long)fd, link + n);
		link[n] = 0;
	}
	/* From k23's text: the readlink goes to the kernel, not to k23's own
	 * view of /proc/self/exe. */
	r = k23_syscall3(__NR_readlink, (long)link, (long)buf, (long)(size - 1));
	if (r < 0)
		return r;
	buf[r] = 0;
	return r;
}
