/* fdguard.c - keeping k23's own descriptors (tool output, shared counters) open whatever the program closes.
 *
 * Programs close descriptors they never opened: close_range(3, ~0) before
 * exec (python's subprocess), loops up to the descriptor limit (daemons),
 * dup2 onto a number they chose. k23's descriptors sit near the limit; to the
 * program they behave as if not open (close gives EBADF), and a dup2 onto one
 * first moves k23's descriptor elsewhere.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include <linux/close_range.h>
#include "rt.h"
#include "rtlib.h"
#include "dispatch.h"

static int guarded(long fd)
{
	return fd >= 0 && (fd == k23_rt.out_fd || fd == k23_rt.state_fd);
}

/* Moves a guarded descriptor out of the program's way. */
static long move_guarded(long fd)
{
	long nfd = k23_syscall3(__NR_fcntl, fd, F_DUPFD, 64);

	if (nfd < 0)
		return nfd;
	if (fd == k23_rt.out_fd)
		__atomic_store_n(&k23_rt.out_fd, (int)nfd, __ATOMIC_SEQ_CST);
	if (fd == k23_rt.state_fd)
		__atomic_store_n(&k23_rt.state_fd, (int)nfd, __ATOMIC_SEQ_CST);
	k23_syscall1(__NR_close, fd);
	return 0;
}

/* close_range over [first, last] skipping the guarded descriptors. */
static long close_range_around(unsigned long first, unsigned long last, long flags)
{
	unsigned long g[2] = { (unsigned long)k23_rt.out_fd, (unsigned long)k23_rt.state_fd };
	long r;

	if (g[0] > g[1]) {
		unsigned long t = g[0];
		g[0] = g[1], g[1] = t;
	}
	for (int i = 0; i < 2; i++) {
		if ((long)g[i] < 0 || g[i] < first || g[i] > last)
			continue;
		if (g[i] > first) {
			r = k23_syscall3(__NR_close_range, (long)first, (long)(g[i] - 1), flags);
			if (r)
				return r;
			flags &= ~CLOSE_RANGE_UNSHARE; /* once is enough */
		}
		if (g[i] == last)
			return 0;
		first = g[i] + 1;
	}
	return k23_syscall3(__NR_close_range, (long)first, (long)last, flags);
}

void k23_do_fd_guard(struct k23_call *c)
{
	long r;

	switch (c->nr) {
	case __NR_close:
		c->ret = guarded(c->args[0]) ? -EBADF : k23_passthrough(c);
		return;
	case __NR_close_range:
		if ((unsigned long)c->args[0] > (unsigned long)c->args[1])
			c->ret = k23_passthrough(c);
		else
			c->ret = close_range_around((unsigned int)c->args[0],
						    (unsigned int)c->args[1], c->args[2]);
		return;
	default: /* dup2, dup3 */
		if (guarded(c->args[0])) {
			c->ret = -EBADF;
			return;
		}
		if (guarded(c->args[1]) && (r = move_guarded(c->args[1])) < 0) {
			c->ret = r;
			return;
		}
		c->ret = k23_passthrough(c);
	}
}
