/* rfdcalls.c - calls on a remote descriptor: read, write and their positioned and vector forms, lseek, fstat, getdents64, ftruncate, fsync, fcntl's locks and flags, flock, fchmod; dup and close keep the table.
 *
 * A call on any other descriptor costs the test of k23_rr_maybe: one load
 * while the process has opened nothing remote, two after. Reads and
 * writes larger than a slot's payload are split; the handle's own offset
 * (the open file description's, chan.h K23_RC_AT_OFFSET) serves read,
 * write, readv, writev and getdents64, so that every copy of the
 * descriptor shares it. The copy between the program's memory and the
 * slot is made by the kernel (k23_copy_from/to): a bad buffer is EFAULT.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include "online/core/rtlib.h"
#include "online/remote/rremote.h"

#define AT_OFF (-1L)

static long xfer_one(const struct k23_rfd *f, int wr, char *ubuf, size_t n, long off)
{
	size_t done = 0;

	if ((f->flags & O_PATH) || (f->flags & O_ACCMODE) == (wr ? O_RDONLY : O_WRONLY))
		return -EBADF;
	while (done < n || (!n && !done)) {
		size_t chunk = n - done < k23_rr_chan->payload_max ? n - done : k23_rr_chan->payload_max;
		struct k23_chan_slot *s = k23_rr_begin(wr ? K23_RC_WRITE : K23_RC_READ, f->mount, f->handle);
		long r;

		if (!s)
			return done ? (long)done : -EIO;
		if (off == AT_OFF)
			s->args[2] = K23_RC_AT_OFFSET;
		else
			s->args[0] = (uint64_t)off + done;
		if (wr) {
			if (k23_copy_from(s->payload, ubuf + done, chunk)) {
				k23_chan_unclaim(s);
				return done ? (long)done : -EFAULT;
			}
			s->len = (uint32_t)chunk;
		}
		s->args[1] = chunk;
		r = (long)k23_rr_send(&s);
		if (r > (long)chunk)
			r = -EIO; /* the proxy never gives more than asked */
		if (r > 0 && !wr && k23_copy_to(ubuf + done, s->payload, (size_t)r))
			r = -EFAULT;
		k23_rr_end(s);
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
		if ((size_t)r < chunk || !n)
			break;
	}
	return (long)done;
}

struct iov {
	char *base;
	size_t len;
};

static long xfer_vec(const struct k23_rfd *f, int wr, long uiov, long cnt, long off)
{
	struct iov v[32];
	long total = 0;

	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	for (long i = 0; i < cnt; i += 32) {
		long k = cnt - i < 32 ? cnt - i : 32;

		if (k23_copy_from(v, (const struct iov *)uiov + i, (size_t)k * sizeof(v[0])))
			return total ? total : -EFAULT;
		for (long j = 0; j < k; j++) {
			long r;

			if (!v[j].len)
				continue;
			r = xfer_one(f, wr, v[j].base, v[j].len, off == AT_OFF ? AT_OFF : off + total);
			if (r < 0)
				return total ? total : r;
			total += r;
			if ((size_t)r < v[j].len)
				return total;
		}
	}
	return total;
}

/* A request on the handle with up to 3 arguments: its result. */
static long simple(const struct k23_rfd *f, uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct k23_chan_slot *s = k23_rr_begin(op, f->mount, f->handle);
	long r;

	if (!s)
		return -EIO;
	s->args[0] = a0, s->args[1] = a1, s->args[2] = a2;
	r = (long)k23_rr_send(&s);
	k23_rr_end(s);
	return r;
}

static long getdents(const struct k23_rfd *f, long ubuf, long count)
{
	struct k23_chan_slot *s;
	long r;

	if (count <= 0)
		return -EINVAL;
	if (!(s = k23_rr_begin(K23_RC_GETDENTS, f->mount, f->handle)))
		return -EIO;
	s->args[1] = (uint64_t)count < k23_rr_chan->payload_max ? (uint64_t)count : k23_rr_chan->payload_max;
	s->args[2] = K23_RC_AT_OFFSET;
	r = (long)k23_rr_send(&s);
	if (r > 0 && r > (long)s->args[1])
		r = -EIO;
	if (r > 0 && k23_copy_to((void *)ubuf, s->payload, (size_t)r))
		r = -EFAULT;
	k23_rr_end(s);
	return r;
}

struct flock_ {
	short type, whence;
	long start, len;
	int pid;
};

/* fcntl's record locks and flock, through 9P's Tlock/Tgetlock. F_SETLKW
 * (and flock without LOCK_NB) repeats F_SETLK every 10 ms while the lock
 * is taken (the proxy never blocks); a signal for the thread ends the
 * wait with EINTR. */
static long lock(const struct k23_rfd *f, long cmd, struct flock_ *l, uint64_t owner)
{
	int get = cmd == F_GETLK || cmd == F_OFD_GETLK;
	int wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
	long start = l->start, r;

	if (l->whence == 1 /* SEEK_CUR */) {
		long cur = simple(f, K23_RC_SEEK, 0, 1, 0);

		if (cur < 0)
			return cur;
		start += cur;
	} else if (l->whence == 2 /* SEEK_END */) {
		char stx[256];
		long sr = k23_rr_stat(f->mount, f->handle, 0, 0, __NR_statx, (unsigned long)stx, 0x200);

		if (sr < 0)
			return sr;
		start += (long)*(uint64_t *)(stx + 40); /* stx_size */
	} else if (l->whence != 0) {
		return -EINVAL;
	}
	if (start < 0 || l->len < 0)
		return -EINVAL; /* (a negative length: not served) */
	for (;;) {
		struct k23_chan_slot *s = k23_rr_begin(K23_RC_LOCK, f->mount, f->handle);
		struct { long sec, nsec; } ts = { 0, 10000000 };

		if (!s)
			return -EIO;
		s->args[0] = get ? F_GETLK : F_SETLK;
		s->args[1] = (uint64_t)l->type;
		s->args[2] = (uint64_t)start;
		s->args[3] = (uint64_t)l->len;
		s->args[4] = owner;
		r = (long)k23_rr_send(&s);
		if (r == 0 && get) {
			l->type = (short)s->args[1];
			l->whence = 0;
			l->start = (long)s->args[2];
			l->len = (long)s->args[3];
			l->pid = cmd == F_OFD_GETLK ? -1 : (int)s->args[4];
		}
		k23_rr_end(s);
		if (r != -EAGAIN || !wait)
			return r;
		if (k23_syscall2(__NR_nanosleep, (long)&ts, 0) == -EINTR)
			return -EINTR;
	}
}

static long fcntl_lock(const struct k23_rfd *f, long cmd, long uarg)
{
	struct flock_ l;
	int ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	long r;

	if (k23_copy_from(&l, (const void *)uarg, sizeof(l)))
		return -EFAULT;
	if (l.type != F_RDLCK && l.type != F_WRLCK && l.type != F_UNLCK)
		return -EINVAL;
	if (!(cmd == F_GETLK || cmd == F_OFD_GETLK) &&
	    ((l.type == F_RDLCK && (f->flags & O_ACCMODE) == O_WRONLY) ||
	     (l.type == F_WRLCK && (f->flags & O_ACCMODE) == O_RDONLY)))
		return -EBADF;
	r = lock(f, cmd, &l, ofd ? f->handle : (uint64_t)k23_syscall0(__NR_getpid));
	if (!r && (cmd == F_GETLK || cmd == F_OFD_GETLK) && k23_copy_to((void *)uarg, &l, sizeof(l)))
		return -EFAULT;
	return r;
}

static long do_flock(const struct k23_rfd *f, long op)
{
	struct flock_ l = { 0, 0, 0, 0, 0 };
	long how = op & ~4L /* LOCK_NB */;

	l.type = how == 1 ? F_RDLCK : how == 2 ? F_WRLCK : how == 8 ? F_UNLCK : -1;
	if (l.type < 0)
		return -EINVAL;
	/* flock's locks belong to the open file description: the handle. */
	return lock(f, op & 4 ? F_OFD_SETLK : F_OFD_SETLKW, &l, f->handle);
}

static long do_fcntl(const struct k23_rfd *f, long cmd, long arg, int *pass)
{
	switch (cmd) {
	case F_GETFL:
		return (long)((f->flags & ~(uint32_t)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) |
			      0100000 /* O_LARGEFILE */);
	case F_GETLK: case F_SETLK: case F_SETLKW:
	case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
		return fcntl_lock(f, cmd, arg);
	}
	/* F_GETFD, F_SETFD, F_DUPFD...: the placeholder is the descriptor. */
	*pass = 1;
	return 0;
}

/* The descriptor argument of each call (-1: none). */
static int fd_arg(long nr)
{
	switch (nr) {
	case __NR_sendfile:
		return 1;
	}
	return 0;
}

static long serve(struct k23_call *c, const struct k23_rfd *f, int *pass)
{
	long *a = c->args;

	switch (c->nr) {
	case __NR_read:
		return xfer_one(f, 0, (char *)a[1], (size_t)a[2], AT_OFF);
	case __NR_write:
		return xfer_one(f, 1, (char *)a[1], (size_t)a[2], AT_OFF);
	case __NR_pread64:
	case __NR_pwrite64:
		if (a[3] < 0)
			return -EINVAL;
		return xfer_one(f, c->nr == __NR_pwrite64, (char *)a[1], (size_t)a[2], a[3]);
	case __NR_readv:
		return xfer_vec(f, 0, a[1], a[2], AT_OFF);
	case __NR_writev:
		return xfer_vec(f, 1, a[1], a[2], AT_OFF);
	case __NR_preadv:
	case __NR_pwritev:
		if (a[3] < 0)
			return -EINVAL;
		return xfer_vec(f, c->nr == __NR_pwritev, a[1], a[2], a[3]);
	case __NR_lseek:
		return simple(f, K23_RC_SEEK, (uint64_t)a[1], (uint64_t)a[2], 0);
	case __NR_fstat:
		return k23_rr_stat(f->mount, f->handle, 0, 0, c->nr, (unsigned long)a[1], 0);
	case __NR_getdents64:
		return getdents(f, a[1], a[2]);
	case __NR_ftruncate:
		if (a[1] < 0 || (f->flags & O_ACCMODE) == O_RDONLY)
			return -EINVAL;
		return simple(f, K23_RC_TRUNCATE, (uint64_t)a[1], 0, 0);
	case __NR_fsync:
	case __NR_fdatasync:
		return simple(f, K23_RC_FSYNC, c->nr == __NR_fdatasync, 0, 0);
	case __NR_fchmod:
		return simple(f, K23_RC_CHMOD, (uint64_t)a[1] & 07777, 0, 0);
	case __NR_fchown:
		return simple(f, K23_RC_CHOWN, (uint32_t)a[1], (uint32_t)a[2], 0);
	case __NR_fstatfs:
		return k23_rr_statfs(f->mount, f->handle, 0, a[1]);
	case __NR_fallocate: case __NR_fgetxattr: case __NR_fsetxattr:
	case __NR_flistxattr: case __NR_fremovexattr:
		/* Not carried by the channel: said so, rather than done to
		 * the placeholder socket. */
		return -EOPNOTSUPP;
	case __NR_flock:
		return do_flock(f, a[1]);
	case __NR_fcntl:
		return do_fcntl(f, a[1], a[2], pass);
	case __NR_copy_file_range:
		return -EXDEV; /* across file systems: the program copies itself */
	case __NR_sendfile:
	case __NR_splice:
		return -EINVAL;
	}
	*pass = 1;
	return 0;
}

int k23_rr_fd_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	struct k23_rfd f;
	int i = fd_arg(c->nr), pass = 0;
	long ret;

	(void)r;
	/* The descriptor tracking: close, dup, dup2, dup3, fcntl(F_DUPFD*). */
	if (c->nr == __NR_close || c->nr == __NR_dup || c->nr == __NR_dup2 || c->nr == __NR_dup3 ||
	    (c->nr == __NR_fcntl && (c->args[1] == F_DUPFD || c->args[1] == F_DUPFD_CLOEXEC))) {
		if (k23_rr_maybe(c->args[0]) || (c->nr != __NR_close && c->nr != __NR_fcntl &&
						 c->nr != __NR_dup && k23_rr_maybe(c->args[1])))
			k23_virt_take(vc);
		return 0;
	}
	if (!k23_rr_maybe(c->args[i]) && !(c->nr == __NR_copy_file_range && k23_rr_maybe(c->args[2])) &&
	    !(c->nr == __NR_splice && k23_rr_maybe(c->args[2])) &&
	    !(c->nr == __NR_sendfile && k23_rr_maybe(c->args[0])))
		return 0;
	if (!k23_rr_fd(c->args[i], &f)) {
		/* Only the other descriptor of a copy is remote. */
		if (c->nr == __NR_copy_file_range || c->nr == __NR_splice || c->nr == __NR_sendfile) {
			long o = c->nr == __NR_sendfile ? c->args[0] : c->args[2];

			if (k23_rr_fd(o, &f)) {
				c->ret = c->nr == __NR_copy_file_range ? -EXDEV : -EINVAL;
				return 1;
			}
		}
		return 0;
	}
	ret = serve(c, &f, &pass);
	if (pass)
		return 0;
	c->ret = ret;
	return 1;
}

void k23_rr_dup_after(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	(void)vc, (void)r;
	if (c->ret < 0)
		return;
	if (c->nr == __NR_close)
		k23_rr_forget(c->args[0]);
	else
		k23_rr_dup(c->args[0], c->ret);
}
