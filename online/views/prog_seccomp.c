/* prog_seccomp.c - the program's own seccomp state, apart from k23's filter.
 *
 * k23's catch-all is a seccomp filter, so the kernel would refuse the
 * program strict mode (a task in filter mode cannot switch) and report
 * mode 2 to PR_GET_SECCOMP before the program installed anything. So:
 *  - strict mode (PR_SET_SECCOMP or seccomp(SECCOMP_SET_MODE_STRICT)) is
 *    emulated per thread: from then on the thread's calls other than read,
 *    write, exit and rt_sigreturn kill it with SIGKILL, as the kernel's
 *    strict mode does; k23's own calls are not restricted (the kernel's
 *    mode stays k23's filter);
 *  - PR_GET_SECCOMP reports 2 only if the thread has filters beyond k23's
 *    (counted in /proc/thread-self/status, which survives execve and is
 *    per thread, as the mode is), else 0.
 * The program's own filters are installed for real, stacked on k23's,
 * behind a prologue that lets k23's own calls through (own_filter.c).
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include <linux/seccomp.h>
#include <linux/signal.h>
#include "k23/compat.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/dispatch/dispatch.h"
#include "online/dispatch/fastpath.h"
#include "online/core/thread.h"
#include "online/views/prog_seccomp.h"
#include "online/catchall/own_filter.h"

#ifndef PR_GET_SECCOMP
#define PR_GET_SECCOMP 21
#endif
#ifndef SECCOMP_SET_MODE_STRICT
#define SECCOMP_SET_MODE_STRICT 0
#endif

int k23_prog_strict_seen;	/* some thread entered strict mode */

static long enter_strict(void)
{
	struct k23_thread *t;

	if (k23_prog_filters() > 0)
		return -EINVAL; /* a task in filter mode cannot switch */
	t = k23_thread_self(1);
	if (!t)
		return -ENOMEM;
	t->seccomp_strict = 1;
	__atomic_store_n(&k23_prog_strict_seen, 1, __ATOMIC_RELEASE);
	k23_fast_update();
	return 0;
}

/* Filters of the calling thread beyond k23's own; -1 if unknown. */
long k23_prog_filters(void)
{
	char buf[2048];
	long fd = k23_syscall3(__NR_open, (long)"/proc/thread-self/status", O_RDONLY, 0), n;
	const char *p;

	if (fd < 0)
		return -1;
	n = k23_syscall3(__NR_read, fd, (long)buf, sizeof(buf) - 1);
	k23_syscall1(__NR_close, fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (p = buf; *p; p++)
		if (!k23_strncmp(p, "\nSeccomp_filters:", 17)) {
			long v = 0;

			for (p += 17; *p == '\t' || *p == ' '; p++)
				;
			for (; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (*p - '0');
			return v - ((k23_rt.catch_all & K23_CATCH_FILTER) ? 1 : 0);
		}
	return __atomic_load_n(&k23_program_filters, __ATOMIC_ACQUIRE) ? 1 : 0;
}

int k23_prog_seccomp_call(struct k23_call *c)
{
	if (c->nr == __NR_prctl && c->args[0] == PR_GET_SECCOMP) {
		long n, r = k23_judged_probe(c, PR_GET_SECCOMP, 0, 0, 0);

		if (r) {
			c->ret = r; /* the program's filter refused it */
			return 1;
		}
		n = k23_prog_filters();
		c->ret = n < 0 ? k23_passthrough(c) : n > 0 ? SECCOMP_MODE_FILTER : 0;
		return 1;
	}
	if (c->nr == __NR_prctl && c->args[0] == PR_SET_SECCOMP &&
	    c->args[1] == SECCOMP_MODE_STRICT) {
		c->ret = enter_strict();
		return 1;
	}
	if (c->nr == __NR_seccomp && c->args[0] == SECCOMP_SET_MODE_STRICT) {
		c->ret = c->args[1] || c->args[2] ? -EINVAL : enter_strict();
		return 1;
	}
	if ((c->nr == __NR_seccomp && c->args[0] == SECCOMP_SET_MODE_FILTER) ||
	    (c->nr == __NR_prctl && c->args[0] == PR_SET_SECCOMP &&
	     c->args[1] == SECCOMP_MODE_FILTER)) {
		c->ret = k23_own_filter_install(c);
		return 1;
	}
	return 0;
}

void k23_prog_strict_check(struct k23_call *c)
{
	struct k23_thread *t;

	switch (c->nr) {
	case __NR_read: case __NR_write: case __NR_exit: case __NR_rt_sigreturn:
		return;
	}
	t = k23_thread_self(0);
	if (!t || !t->seccomp_strict)
		return;
	/* As the kernel's strict mode: the call is not made, SIGKILL. */
	c->ret = K23_RET_NONE;
	k23_report(c);
	for (;;)
		k23_syscall3(__NR_tgkill, k23_syscall0(__NR_getpid), k23_tid(), SIGKILL);
}
