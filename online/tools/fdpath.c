/* fdpath.c - what a descriptor names, for -y: the kernel's link in /proc/thread-self/fd (or cwd for AT_FDCWD).
 *
 * The calling thread's own: a thread with a descriptor table (or working
 * directory) of its own has other descriptors than the thread-group
 * leader's /proc/self shows. */
#include <asm/unistd.h>
#include "online/core/rtlib.h"
#include "online/tools/fdpath.h"

long k23_fd_path(int fd, char *buf, size_t size)
{
	char link[40] = "/proc/thread-self/fd/";
	size_t n = 21;
	long r;

	if (size < 2)
		return -22;
	if (fd == -100) {
		k23_memcpy(link + 6, "thread-self/cwd", 16);
	} else {
		if (fd < 0)
			return -9;
		n += k23_utoa((unsigned long)fd, link + n);
		link[n] = 0;
	}
	/* From k23's text: the readlink goes to the kernel, not to k23's own
	 * view of /proc's links. */
	r = k23_syscall3(__NR_readlink, (long)link, (long)buf, (long)(size - 1));
	if (r < 0)
		return r;
	buf[r] = 0;
	return r;
}
