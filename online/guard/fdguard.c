/* fdguard.c - k23's own descriptors (tool output, shared counters, the policy and its audit log): where they live, and what the program cannot do to them.
 *
 * Where they live: at the program's soft RLIMIT_NOFILE or above it (at most
 * K23_FD_HIGH_MAX). The kernel allocates a new descriptor, and fails with
 * EMFILE, only by numbers below the limit, so above it k23's descriptors
 * take nothing from the program: it opens exactly as many as natively, and
 * gets the same numbers. A descriptor above the limit stays valid across
 * fork and execve, and whatever limit the program sets later. Creating one
 * there needs the limit raised for a moment: a "room" raises the soft limit
 * (up to the hard one, or the hard one too where k23 holds
 * CAP_SYS_RESOURCE) and puts it back before the program runs again. Where
 * neither is allowed, k23's descriptors take the highest free numbers below
 * the limit (docs/differences.md).
 *
 * The synthesized files' sealed memfds (online/virtual/vfile.c) are k23's
 * too, kept per process for reopening; unlike the others they close at
 * execve (each image makes its own when it first needs one).
 *
 * What the program cannot do to them: to the program they are not open.
 * Every call naming one as a descriptor argument fails with EBADF without
 * reaching the kernel (fcntl F_SETFD/F_GETFD, ioctl FIOCLEX, read, dup...),
 * close_range skips them, dup2/dup3 onto one moves it first, a raised limit
 * that would cover them moves them above it, and an io_uring submission
 * naming one moves it away before the kernel sees it (uring_guard.c). Before
 * an execve their close-on-exec flags are cleared whatever happened.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include <linux/close_range.h>
#include <linux/mman.h>
#include <asm-generic/resource.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/guard/fdguard.h"
#include "online/dispatch/fastpath.h"
#include "online/process/procview.h"
#include "online/virtual/vfile.h"
#include "rt/syscall_table.h"

struct k23_fd_room k23_fd_start_room;

/* Where this process keeps each of k23's descriptors: k23_rt, or a vfork
 * child's own view (procview.c), looked up once. The first NKEPT cross
 * execve; the synthesized files' memfds follow (a vfork child with a view
 * of its own uses none of them: vfile.c). */
#define NKEPT 6
#define NGUARDED (NKEPT + K23_VFILE_CACHE)
static int no_cache[K23_VFILE_CACHE] = { [0 ... K23_VFILE_CACHE - 1] = -1 };

static void slots_of(int *s[NGUARDED])
{
	struct k23_procview *v = k23_procview();

	s[0] = v ? &v->out_fd : &k23_rt.out_fd;
	s[1] = v ? &v->state_fd : &k23_rt.state_fd;
	s[2] = v ? &v->policy_fd : &k23_rt.policy_fd;
	s[3] = v ? &v->log_fd : &k23_rt.log_fd;
	s[4] = v ? &v->chan_fd : &k23_rt.chan_fd;
	s[5] = v ? &v->life_fd : &k23_rt.life_fd;
	for (int i = 0; i < K23_VFILE_CACHE; i++)
		s[NKEPT + i] = v ? &no_cache[i] : &k23_vfile_cache[i];
}

static int guarded(long fd)
{
	int n = (int)fd, *s[NGUARDED]; /* the kernel takes descriptors as int */

	if (n < 0)
		return 0;
	slots_of(s);
	for (int i = 0; i < NGUARDED; i++)
		if (n == *s[i])
			return 1;
	return 0;
}

int k23_fd_guard_lowest(void)
{
	int *s[NGUARDED], low = -1;

	slots_of(s);
	for (int i = 0; i < NGUARDED; i++)
		if (*s[i] >= 0 && (low < 0 || *s[i] < low))
			low = *s[i];
	return low;
}

int k23_fd_guarding(void)
{
	return k23_rt.out_fd >= 0 || k23_rt.state_fd >= 0 || k23_rt.policy_fd >= 0 ||
	       k23_rt.log_fd >= 0 || k23_rt.chan_fd >= 0 || k23_rt.life_fd >= 0 ||
	       __atomic_load_n(&k23_vfile_cached, __ATOMIC_RELAXED);
}

static long get_limit(struct k23_rlimit64 *r)
{
	return k23_syscall4(__NR_prlimit64, 0, RLIMIT_NOFILE, 0, (long)r);
}

static long set_limit(const struct k23_rlimit64 *r)
{
	return k23_syscall4(__NR_prlimit64, 0, RLIMIT_NOFILE, (long)r, 0);
}

void k23_fd_room_begin(struct k23_fd_room *r, unsigned long extra)
{
	const struct k23_fd_room *s = &k23_fd_start_room;
	struct k23_rlimit64 want;
	unsigned long top;

	r->changed = 0;
	if (s->open && r != s && s->base + extra <= s->top) {
		r->base = s->base; /* inside the start's room: the program's limit is its */
		r->top = s->top;
		r->open = 1;
		return;
	}
	r->open = 1;
	if (get_limit(&r->saved) < 0)
		r->saved.cur = r->saved.max = 1024;
	r->base = r->saved.cur < K23_FD_HIGH_MAX ? r->saved.cur : K23_FD_HIGH_MAX;
	r->top = top = r->base + extra;
	if (r->saved.cur >= top)
		return;
	want.cur = top;
	want.max = r->saved.max > top ? r->saved.max : top;
	if (set_limit(&want) == 0) {
		r->changed = 1;
		return;
	}
	/* Not privileged: as far as the hard limit goes. */
	r->top = r->saved.max < top ? r->saved.max : top;
	want.cur = r->top;
	want.max = r->saved.max;
	if (r->top > r->saved.cur && set_limit(&want) == 0)
		r->changed = 1;
	else
		r->top = r->saved.cur;
}

void k23_fd_room_end(struct k23_fd_room *r)
{
	if (r->changed)
		set_limit(&r->saved);
	r->changed = 0;
	r->open = 0;
}

/* A copy of fd at the first free number from base (and from) on, or,
 * where no room could be made, at the highest free number below the limit. */
static long dup_high(long fd, int cloexec, unsigned long from)
{
	long cmd = cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, n = -EMFILE;
	struct k23_fd_room room;
	unsigned long start;

	k23_fd_room_begin(&room, 8);
	start = from > room.base ? from : room.base;
	if (start + 8 > room.top && start > room.base) { /* further up than the room reaches */
		k23_fd_room_end(&room);
		k23_fd_room_begin(&room, start - room.base + 8);
	}
	if (start < room.top)
		n = k23_syscall3(__NR_fcntl, fd, cmd, (long)start);
	k23_fd_room_end(&room);
	for (long k = (long)room.base - 1; n < 0 && k >= 3 && k + 64 >= (long)room.base; k--) {
		n = k23_syscall3(__NR_fcntl, fd, cmd, k);
		if (n < 0 && n != -EMFILE)
			break;
	}
	k23_fast_guard_fd(n); /* before any slot names it */
	return n;
}

long k23_fd_move_high(long fd, int cloexec)
{
	long n = dup_high(fd, cloexec, 0);

	if (n >= 0)
		k23_syscall1(__NR_close, fd);
	return n;
}

long k23_fd_guard_move_from(long fd, unsigned long from)
{
	int *s[NGUARDED];
	long nfd;

	slots_of(s);
	if (!guarded(fd))
		return fd;
	nfd = dup_high(fd, 0, from);
	if (nfd < 0)
		return nfd;
	/* This process's numbers: k23_rt's, or a vfork child's own (procview.c). */
	for (int i = 0; i < NGUARDED; i++)
		if ((int)fd == *s[i])
			__atomic_store_n(s[i], (int)nfd, __ATOMIC_SEQ_CST);
	k23_syscall1(__NR_close, fd);
	return nfd;
}

long k23_fd_guard_move(long fd)
{
	long r = k23_fd_guard_move_from(fd, 0);

	return r < 0 ? r : 0;
}

void k23_fd_guard_exec(void)
{
	int *s[NGUARDED];

	slots_of(s);
	for (int i = 0; i < NKEPT; i++)
		if (*s[i] >= 0)
			k23_syscall3(__NR_fcntl, *s[i], F_SETFD, 0);
}

/* A dirfd the kernel uses: the path after it is relative or empty (or
 * NULL, utimensat's "the descriptor itself"). */
static int dirfd_used(const struct k23_syscall_desc *d, const struct k23_call *c, int i)
{
	char first = 0;

	if (i + 1 >= 6 || d->arg[i + 1] != K23_ARG_PATH || !c->args[i + 1])
		return 1;
	return k23_copy_from(&first, (const void *)c->args[i + 1], 1) != 0 || first != '/';
}

int k23_fd_refused(const struct k23_call *c)
{
	const struct k23_syscall_desc *d;

	if (!k23_fd_guarding() || !(d = k23_syscall_desc(c->nr)))
		return 0;
	for (int i = 0; i < d->nargs && i < 6; i++) {
		/* newfstatat(fd, "", AT_EMPTY_PATH) and the like name it too. */
		if (d->arg[i] == K23_ARG_DIRFD && guarded(c->args[i]) && dirfd_used(d, c, i))
			return 1;
		if (d->arg[i] != K23_ARG_FD || !guarded(c->args[i]))
			continue;
		if ((c->nr == __NR_dup2 || c->nr == __NR_dup3) && i == 1)
			continue; /* the target: moved, then the call is made */
		if (c->nr == __NR_mmap && (c->args[3] & MAP_ANONYMOUS))
			continue; /* the descriptor is ignored */
		return 1;
	}
	return 0;
}

/* After the program changed its own descriptor limit: a raised limit that
 * now covers k23's descriptors moves them above it. */
static void rehome(void)
{
	struct k23_rlimit64 r;
	unsigned long base;

	if (get_limit(&r) < 0)
		return;
	base = r.cur < K23_FD_HIGH_MAX ? r.cur : K23_FD_HIGH_MAX;
	int *s[NGUARDED];

	slots_of(s);
	for (int i = 0; i < NGUARDED; i++)
		if (*s[i] >= 0 && (unsigned long)*s[i] < base)
			k23_fd_guard_move(*s[i]);
}

static int sets_own_nofile(const struct k23_call *c)
{
	if (c->nr == __NR_setrlimit)
		return c->args[0] == RLIMIT_NOFILE && c->args[1];
	return c->args[1] == RLIMIT_NOFILE && c->args[2] &&
	       (c->args[0] == 0 || c->args[0] == k23_syscall0(__NR_getpid));
}

/* close_range over [first, last] skipping the guarded descriptors. */
static long close_range_around(unsigned long first, unsigned long last, long flags)
{
	unsigned long g[NGUARDED];
	int *s[NGUARDED];
	long r;

	/* In ascending order; -1 (none) sorts last as ULONG_MAX. */
	slots_of(s);
	for (int i = 0; i < NGUARDED; i++) {
		unsigned long v = (unsigned long)(long)*s[i];
		int j = i;

		for (; j > 0 && g[j - 1] > v; j--)
			g[j] = g[j - 1];
		g[j] = v;
	}
	for (int i = 0; i < NGUARDED; i++) {
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
	case __NR_close_range:
		if ((unsigned long)c->args[0] > (unsigned long)c->args[1] || !k23_fd_guarding())
			c->ret = k23_passthrough(c);
		else
			c->ret = close_range_around((unsigned int)c->args[0],
						    (unsigned int)c->args[1], c->args[2]);
		return;
	case __NR_dup2: case __NR_dup3:
		if ((r = k23_fd_guard_move(c->args[1])) < 0) {
			c->ret = r;
			return;
		}
		c->ret = k23_passthrough(c);
		return;
	case __NR_getrlimit: case __NR_setrlimit: case __NR_prlimit64:
		if (!k23_nofile_call(c))
			c->ret = k23_passthrough(c);
		if (c->nr != __NR_getrlimit && c->ret == 0 && k23_fd_guarding() && sets_own_nofile(c))
			rehome();
		return;
	case __NR_io_uring_enter:
		if (k23_fd_guarding())
			k23_uring_guard(c);
		c->ret = k23_passthrough(c);
		return;
	default: /* close: a guarded one was refused before */
		c->ret = k23_passthrough(c);
	}
}
