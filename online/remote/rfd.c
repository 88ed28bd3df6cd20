/* rfd.c - remote descriptors: the placeholder the kernel holds for each, this process's table, and its rebuilding after execve.
 *
 * OPEN's reply names the proxy's end-to-fetch of a socketpair; k23 takes a
 * copy with pidfd_getfd and puts it at the lowest free number (where the
 * program's open would have put the file), close-on-exec as the program
 * asked. The copy is bound to an abstract unix name
 * "k23r:PROXYPID:HANDLE:MOUNT:FLAGS" (hexadecimal): a connected
 * socketpair cannot be reached through its name (connect is refused), and
 * getsockname gives a new image the handle back without asking anyone.
 *
 * The table (one entry per descriptor number below RFD_MAX, mapped on the
 * first remote open, so that a process that opens nothing remote pays
 * nothing) is this process's memory: fork copies it, execve loses it
 * (rebuilt from the names at attach), vfork children share it (a child's
 * dup2 onto a number writes the parent's entry: every use checks the
 * entry's st_ino against the descriptor's, and a stale entry is dropped).
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/stat.h>
#include <linux/fcntl.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/remote/rremote.h"

#define RFD_MAX 65536
static struct k23_rfd *table;

struct sun {
	unsigned short family;
	char path[108];
};
#define NAME "k23r:"

static struct k23_rfd *entries(int create)
{
	return k23_map_lazy((void **)&table, RFD_MAX * sizeof(struct k23_rfd), create);
}

int k23_rr_maybe(long fd)
{
	struct k23_rfd *t = __atomic_load_n(&table, __ATOMIC_ACQUIRE);

	return t && (unsigned long)fd < RFD_MAX && t[fd].handle;
}

static long ino_of(long fd, uint64_t *ino)
{
	struct stat st;
	long r = k23_syscall2(__NR_fstat, fd, (long)&st);

	*ino = st.st_ino;
	return r;
}

int k23_rr_fd(long fd, struct k23_rfd *f)
{
	uint64_t ino;

	if (!k23_rr_maybe(fd))
		return 0;
	*f = table[fd];
	if (ino_of(fd, &ino) || ino != f->ino || !f->handle) {
		/* The number was closed or reused behind k23's back. */
		__atomic_store_n(&table[fd].handle, 0, __ATOMIC_RELAXED);
		return 0;
	}
	return 1;
}

void k23_rr_forget(long fd)
{
	if (k23_rr_maybe(fd))
		__atomic_store_n(&table[fd].handle, 0, __ATOMIC_RELAXED);
}

void k23_rr_dup(long oldfd, long newfd)
{
	struct k23_rfd f;

	if (oldfd == newfd || (unsigned long)newfd >= RFD_MAX)
		return;
	if (!k23_rr_fd(oldfd, &f)) {
		k23_rr_forget(newfd);
		return;
	}
	table[newfd] = f;
}

static size_t put_hex(char *p, uint64_t v)
{
	char tmp[17];
	size_t n = 0, k = 0;

	do
		tmp[n++] = "0123456789abcdef"[v & 15];
	while ((v >>= 4));
	while (n)
		p[k++] = tmp[--n];
	return k;
}

static uint64_t get_hex(const char **s, const char *end, int *ok)
{
	uint64_t v = 0;
	int any = 0;

	while (*s < end && **s != ':') {
		char c = *(*s)++;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0 || any > 16)
			*ok = 0;
		v = v << 4 | (uint64_t)(d < 0 ? 0 : d);
		any++;
	}
	if (*s < end)
		(*s)++;
	if (!any)
		*ok = 0;
	return v;
}

/* Names the placeholder, so that a new image finds its handle. */
static void name_it(long fd, uint64_t handle, uint32_t mount, uint32_t flags)
{
	struct sun a = { 1 /* AF_UNIX */, { 0 } };
	size_t n = 1;

	k23_memcpy(a.path + n, NAME, sizeof(NAME) - 1);
	n += sizeof(NAME) - 1;
	n += put_hex(a.path + n, k23_rr_chan->proxy_pid);
	a.path[n++] = ':';
	n += put_hex(a.path + n, handle);
	a.path[n++] = ':';
	n += put_hex(a.path + n, mount);
	a.path[n++] = ':';
	n += put_hex(a.path + n, flags);
	k23_syscall3(__NR_bind, fd, (long)&a, (long)(2 + n));
}

static void record(long fd, uint64_t handle, uint32_t mount, uint32_t flags)
{
	struct k23_rfd *t = entries(1);
	uint64_t ino;

	if (!t || (unsigned long)fd >= RFD_MAX || ino_of(fd, &ino))
		return;
	t[fd].ino = ino;
	t[fd].mount = mount;
	t[fd].flags = flags;
	__atomic_store_n(&t[fd].handle, handle, __ATOMIC_RELEASE);
}

static void close_handle(uint64_t handle)
{
	struct k23_chan_slot *s = k23_rr_begin(K23_RC_CLOSE, 0, handle);

	if (s) {
		k23_rr_send(&s);
		k23_rr_end(s);
	}
}

long k23_rr_place(struct k23_chan_slot *s, uint32_t mount, uint64_t flags)
{
	uint64_t handle = (uint64_t)s->result, theirs = s->args[0];
	long pidfd, got, fd;

	pidfd = k23_syscall2(__NR_pidfd_open, k23_rr_chan->proxy_pid, 0);
	got = pidfd < 0 ? pidfd : k23_syscall3(__NR_pidfd_getfd, pidfd, (long)theirs, 0);
	if (pidfd >= 0)
		k23_syscall1(__NR_close, pidfd);
	k23_rr_end(s);
	if (got < 0) {
		close_handle(handle);
		return got == -EMFILE ? got : -EIO;
	}
	/* pidfd_open took the number the open should get: move there. */
	fd = k23_syscall3(__NR_fcntl, got, flags & O_CLOEXEC ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
	if (fd < 0 || fd > got) {
		if (fd >= 0)
			k23_syscall1(__NR_close, fd);
		fd = got;
		if (!(flags & O_CLOEXEC))
			k23_syscall3(__NR_fcntl, fd, F_SETFD, 0);
	} else {
		k23_syscall1(__NR_close, got);
	}
	name_it(fd, handle, mount, (uint32_t)flags);
	record(fd, handle, mount, (uint32_t)flags);
	if ((s = k23_rr_begin(K23_RC_PLACED, mount, handle))) {
		k23_rr_send(&s);
		k23_rr_end(s);
	}
	return fd;
}

/* A descriptor inherited across execve: its name gives its handle back. */
static void adopt(long fd)
{
	struct sun a;
	long len = sizeof(a);
	const char *p, *end;
	uint64_t pid, handle, mount, flags;
	int ok = 1;

	if (k23_syscall3(__NR_getsockname, fd, (long)&a, (long)&len) < 0 || len <= 2 + 1 + 5 ||
	    a.family != 1 || a.path[0] || !k23_memeq(a.path + 1, NAME, sizeof(NAME) - 1))
		return;
	p = a.path + 1 + sizeof(NAME) - 1;
	end = a.path + (len - 2);
	pid = get_hex(&p, end, &ok);
	handle = get_hex(&p, end, &ok);
	mount = get_hex(&p, end, &ok);
	flags = get_hex(&p, end, &ok);
	if (ok && handle && pid == k23_rr_chan->proxy_pid && mount < k23_rr_chan->nmounts)
		record(fd, handle, (uint32_t)mount, (uint32_t)flags);
}

struct dirent64 {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

long k23_rr_scan_inherited(void)
{
	char buf[2048];
	long dir, n;

	if (!k23_rr_chan)
		return 0;
	dir = k23_syscall3(__NR_openat, -100, (long)"/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return 0; /* no /proc: inherited remote descriptors act as sockets */
	while ((n = k23_syscall3(__NR_getdents64, dir, (long)buf, sizeof(buf))) > 0)
		for (long o = 0; o < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + o);
			long fd = d->name[0] >= '0' && d->name[0] <= '9' ? k23_atol(d->name) : -1;

			if (fd >= 0 && fd != dir)
				adopt(fd);
			o += d->reclen;
		}
	k23_syscall1(__NR_close, dir);
	return 0;
}
