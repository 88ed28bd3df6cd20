/* rcalls.c - calls that name a path in a remote tree: open, the stat family, access, mkdir, unlink, rmdir, rename, readlink, truncate, chmod, chown, the utime family, symlink.
 *
 * Each is one request to the proxy (two for access and a rename that must
 * not replace). What the kernel would apply on the program's side before a
 * file system sees the call is applied here: the umask to a new file's or
 * directory's mode, the permission test of access (against the server's
 * owner and mode: the server checks again with its own rules). docs/remote.md
 * lists what each call does and what is not served.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include "online/core/rtlib.h"
#include "online/policy/pol_files.h"
#include "online/remote/rremote.h"

#define AT_FDCWD_ -100

/* A request with a path (NULL: on the handle itself); the result, the
 * reply left in *out if wanted. */
static long call_path(uint32_t op, uint32_t mount, uint64_t handle, const char *path,
		      const uint64_t *args, int nargs, struct k23_chan_slot **out)
{
	struct k23_chan_slot *s = k23_rr_begin(op, mount, handle);
	long r;

	if (!s)
		return -EIO;
	if (path)
		k23_rr_put_path(s, path);
	for (int i = 0; i < nargs; i++)
		s->args[i] = args[i];
	r = (long)k23_rr_send(&s);
	if (out && r >= 0) {
		*out = s;
		return r;
	}
	k23_rr_end(s);
	return r;
}

static unsigned umask_now(void)
{
	long old = k23_syscall1(__NR_umask, 022);

	k23_syscall1(__NR_umask, old);
	return (unsigned)old;
}

long k23_rr_stat(uint32_t mount, uint64_t handle, const char *path, int nofollow, long nr,
		 unsigned long ustat, long mask)
{
	struct k23_chan_slot *s = k23_rr_begin(K23_RC_STAT, mount, handle);
	long r;

	if (!s)
		return -EIO;
	if (path)
		k23_rr_put_path(s, path);
	s->args[0] = nofollow ? AT_SYMLINK_NOFOLLOW : 0;
	r = (long)k23_rr_send(&s);
	if (r >= 0) {
		struct statx *x = (struct statx *)s->payload;

		if (nr == __NR_statx) {
			x->stx_mask &= (unsigned)mask | STATX_BASIC_STATS;
			r = k23_copy_to((void *)ustat, x, sizeof(*x));
		} else {
			r = k23_rr_put_stat(x, ustat);
		}
	}
	k23_rr_end(s);
	return r;
}

static long do_open(uint32_t mount, uint64_t handle, const char *path, uint64_t flags, uint64_t mode)
{
	struct k23_chan_slot *s;
	uint64_t args[2] = { flags, (mode & 07777) & ~(uint64_t)umask_now() };
	long r;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;
	r = call_path(K23_RC_OPEN, mount, handle, path, args, 2, &s);
	if (r < 0)
		return r;
	return k23_rr_place(s, mount, flags);
}

/* access(2)'s test on the server's owner and mode, with the real ids
 * (AT_EACCESS: the effective ones). */
static long do_access(uint32_t mount, uint64_t handle, const char *path, long mode, long flags)
{
	struct k23_chan_slot *s;
	struct statx *x;
	long r, uid, gid;
	unsigned m, want = (unsigned)mode & 7;
	uint64_t args[1] = { flags & AT_SYMLINK_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0 };

	if (mode & ~7L)
		return -EINVAL;
	if ((r = call_path(K23_RC_STAT, mount, handle, path, args, 1, &s)) < 0)
		return r;
	x = (struct statx *)s->payload;
	m = x->stx_mode;
	uid = k23_syscall0(flags & AT_EACCESS ? __NR_geteuid : __NR_getuid);
	gid = k23_syscall0(flags & AT_EACCESS ? __NR_getegid : __NR_getgid);
	if (!uid)
		r = (want & 1) && !(m & 0111) && !S_ISDIR(m) ? -EACCES : 0;
	else if ((unsigned long)uid == x->stx_uid)
		r = ((m >> 6) & want) == want ? 0 : -EACCES;
	else if ((unsigned long)gid == x->stx_gid)
		r = ((m >> 3) & want) == want ? 0 : -EACCES;
	else
		r = (m & want) == want ? 0 : -EACCES;
	k23_rr_end(s);
	return r;
}

static long do_readlink(uint32_t mount, uint64_t handle, const char *path, long ubuf, long size)
{
	struct k23_chan_slot *s;
	long r;

	if (size <= 0)
		return -EINVAL;
	if ((r = call_path(K23_RC_READLINK, mount, handle, path, 0, 0, &s)) < 0)
		return r;
	if (r > size)
		r = size;
	if (k23_copy_to((void *)ubuf, s->payload, (size_t)r))
		r = -EFAULT;
	k23_rr_end(s);
	return r;
}

/* rename, renameat, renameat2, and (kind LINK) link, linkat: both names in
 * one remote tree (and, when relative, from one remote directory); else
 * EXDEV, as between two file systems, so that mv copies. */
/* at: the dirfds are the arguments before the names (renameat), else AT_FDCWD. */
static long do_rename(struct k23_call *c, struct k23_virt_call *vc, int at, long flags, uint32_t kind)
{
	int oi = at ? 1 : 0, ni = at ? 3 : 1;
	long od = at ? c->args[0] : AT_FDCWD_, op = c->args[oi];
	long nd = at ? c->args[2] : AT_FDCWD_, np = c->args[ni];
	char a[K23_VIRT_PATH_MAX], b[K23_VIRT_PATH_MAX];
	uint32_t ma, mb;
	uint64_t ha, hb;
	int ra = k23_rr_where(od, (unsigned long)op, a, &ma, &ha);
	int rb = k23_rr_where(nd, (unsigned long)np, b, &mb, &hb);
	struct k23_chan_slot *s;
	size_t la, lb;
	long r;

	if (ra != 1 && rb != 1) {	/* local: the kernel's, with absolute names if need be */
		if ((ra == 2 && (r = k23_rr_local_name(c, vc, oi, 0, a))) ||
		    (rb == 2 && (r = k23_rr_local_name(c, vc, ni, 1, b))))
			return r;
		return 1;
	}
	if (ra != rb || ma != mb || ha != hb)
		return -EXDEV;
	if (kind == K23_RC_LINK && (flags & ~(long)AT_SYMLINK_FOLLOW))
		return -EINVAL;	/* AT_EMPTY_PATH: not served */
	if (kind == K23_RC_RENAME && (flags & ~1L /* RENAME_NOREPLACE */))
		return -EINVAL;
	/* RENAME_NOREPLACE: something there (the stat's copy to NULL fails
	 * with EFAULT) is EEXIST. Not atomic: docs/remote.md. */
	if (kind == K23_RC_RENAME && flags &&
	    (r = k23_rr_stat(mb, hb, b, 1, __NR_newfstatat, 0, 0)) != -ENOENT)
		return r == 0 || r == -EFAULT ? -EEXIST : r;
	la = k23_strlen(a) + 1;
	lb = k23_strlen(b) + 1;
	if (!(s = k23_rr_begin(kind, ma, ha)))
		return -EIO;
	if (kind == K23_RC_LINK)
		s->args[0] = (uint64_t)flags;
	if (la + lb > s->len + k23_rr_chan->payload_max) {
		k23_rr_end(s);
		return -ENAMETOOLONG;
	}
	k23_memcpy(s->payload, a, la);
	k23_memcpy(s->payload + la, b, lb);
	s->len = (uint32_t)(la + lb);
	r = (long)k23_rr_send(&s);
	k23_rr_end(s);
	return r;
}

/* symlink (at 0) or symlinkat (at 1: the dirfd before the link's name). */
static long do_symlink(struct k23_call *c, struct k23_virt_call *vc, long target, int at)
{
	int pi = at ? 2 : 1;
	long dirfd = at ? c->args[1] : AT_FDCWD_, upath = c->args[pi];
	char path[K23_VIRT_PATH_MAX], text[K23_VIRT_PATH_MAX];
	struct k23_chan_slot *s;
	uint32_t m;
	uint64_t h;
	size_t lt, lp;
	long r;
	int w = k23_rr_where(dirfd, (unsigned long)upath, path, &m, &h);

	if (w != 1)
		return w == 2 ? k23_rr_local_name(c, vc, pi, 0, path) ?: 1 : 1;
	if ((r = k23_pol_copy_path(text, (unsigned long)target)))
		return r;
	lt = k23_strlen(text) + 1;
	lp = k23_strlen(path) + 1;
	if (!(s = k23_rr_begin(K23_RC_SYMLINK, m, h)))
		return -EIO;
	k23_memcpy(s->payload, text, lt);
	k23_memcpy(s->payload + lt, path, lp);
	s->len = (uint32_t)(lt + lp);
	r = (long)k23_rr_send(&s);
	k23_rr_end(s);
	return r;
}

/* Where each call names its path: dirfd and path argument (-1: AT_FDCWD). */
static int operands(long nr, int *d, int *p)
{
	switch (nr) {
	case __NR_open: case __NR_creat: case __NR_stat: case __NR_lstat: case __NR_access:
	case __NR_mkdir: case __NR_unlink: case __NR_rmdir: case __NR_readlink: case __NR_truncate:
	case __NR_chmod: case __NR_getxattr: case __NR_lgetxattr: case __NR_listxattr:
	case __NR_llistxattr: case __NR_setxattr: case __NR_lsetxattr: case __NR_removexattr:
	case __NR_lremovexattr: case __NR_utime: case __NR_utimes: case __NR_chown:
	case __NR_lchown: case __NR_statfs:
		*d = -1, *p = 0;
		return 1;
	case __NR_openat: case __NR_newfstatat: case __NR_statx: case __NR_faccessat:
	case __NR_faccessat2: case __NR_mkdirat: case __NR_unlinkat: case __NR_readlinkat:
	case __NR_fchmodat: case __NR_utimensat: case __NR_futimesat: case __NR_fchownat:
		*d = 0, *p = 1;
		return 1;
	}
	return 0;
}

/* The times of a utime-family call (nr, its times argument t) as the
 * four numbers of K23_RC_UTIMES; 0 or -errno. NULL: both now. */
static long times_of(long nr, long t, uint64_t *v)
{
	long x[4];

	v[0] = v[2] = 0;
	v[1] = v[3] = K23_RC_UTIME_NOW;
	if (!t)
		return 0;
	if (nr == __NR_utime) {		/* struct utimbuf: actime, modtime */
		if (k23_copy_from(x, (void *)t, 2 * sizeof(long)))
			return -EFAULT;
		v[0] = (uint64_t)x[0], v[1] = 0, v[2] = (uint64_t)x[1], v[3] = 0;
		return 0;
	}
	if (k23_copy_from(x, (void *)t, sizeof(x)))
		return -EFAULT;
	for (int i = 0; i < 4; i += 2) {
		if (nr == __NR_utimensat) {	/* struct timespec[2] */
			if ((x[i + 1] < 0 || x[i + 1] > 999999999) && x[i + 1] != (long)K23_RC_UTIME_NOW &&
			    x[i + 1] != (long)K23_RC_UTIME_OMIT)
				return -EINVAL;
			v[i + 1] = (uint64_t)x[i + 1];
		} else {			/* struct timeval[2] */
			if (x[i + 1] < 0 || x[i + 1] > 999999)
				return -EINVAL;
			v[i + 1] = (uint64_t)x[i + 1] * 1000;
		}
		v[i] = (uint64_t)x[i];
	}
	return 0;
}

/* utime, utimes, futimesat, utimensat of (mount, handle, path): path NULL
 * for the handle itself. */
static long do_utimes(long nr, const long *a, uint32_t m, uint64_t h, const char *path)
{
	int t = nr == __NR_utime || nr == __NR_utimes ? 1 : 2;
	uint64_t v[5];
	long r = times_of(nr, a[t], v);

	if (r)
		return r;
	v[4] = nr == __NR_utimensat ? (uint64_t)a[3] & AT_SYMLINK_NOFOLLOW : 0;
	if (nr == __NR_utimensat && (a[3] & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
		return -EINVAL;
	return call_path(K23_RC_UTIMES, m, h, path, v, 5, 0);
}

long k23_rr_statfs(uint32_t mount, uint64_t handle, const char *path, long ubuf)
{
	struct k23_chan_slot *s;
	long r = call_path(K23_RC_STATFS, mount, handle, path, 0, 0, &s);

	if (r < 0)
		return r;
	r = s->len == 120 && !k23_copy_to((void *)ubuf, s->payload, 120) ? 0 : -EFAULT;
	k23_rr_end(s);
	return r;
}

/* chown, lchown, fchownat of (mount, handle, path). */
static long do_chown(long nr, const long *a, uint32_t m, uint64_t h, const char *path)
{
	int i = nr == __NR_fchownat ? 2 : 1;
	uint64_t v[5] = { (uint32_t)a[i], (uint32_t)a[i + 1], 0, 0,
			  nr == __NR_lchown ? AT_SYMLINK_NOFOLLOW :
			  nr == __NR_fchownat ? (uint64_t)a[4] & AT_SYMLINK_NOFOLLOW : 0 };

	if (nr == __NR_fchownat && (a[4] & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
		return -EINVAL;
	return call_path(K23_RC_CHOWN, m, h, path, v, 5, 0);
}

/* The call for (mount, handle, path); a = the program's arguments. */
static long serve(long nr, const long *a, uint32_t m, uint64_t h, const char *path, int empty)
{
	uint64_t v[1];

	switch (nr) {
	case __NR_open:
		return do_open(m, h, path, (uint64_t)a[1], (uint64_t)a[2]);
	case __NR_creat:
		return do_open(m, h, path, O_CREAT | O_WRONLY | O_TRUNC, (uint64_t)a[1]);
	case __NR_openat:
		return do_open(m, h, path, (uint64_t)a[2], (uint64_t)a[3]);
	case __NR_stat:
		return k23_rr_stat(m, h, path, 0, nr, (unsigned long)a[1], 0);
	case __NR_lstat:
		return k23_rr_stat(m, h, path, 1, nr, (unsigned long)a[1], 0);
	case __NR_newfstatat:
		return k23_rr_stat(m, h, empty ? 0 : path, a[3] & AT_SYMLINK_NOFOLLOW, nr,
				   (unsigned long)a[2], 0);
	case __NR_statx:
		return k23_rr_stat(m, h, empty ? 0 : path, a[2] & AT_SYMLINK_NOFOLLOW, nr,
				   (unsigned long)a[4], a[3]);
	case __NR_access:
		return do_access(m, h, path, a[1], 0);
	case __NR_faccessat:
		return do_access(m, h, path, a[2], 0);
	case __NR_faccessat2:
		return do_access(m, h, path, a[2], a[3]);
	case __NR_mkdir:
	case __NR_mkdirat:
		v[0] = ((uint64_t)a[nr == __NR_mkdir ? 1 : 2] & 07777) & ~(uint64_t)umask_now();
		return call_path(K23_RC_MKDIR, m, h, path, v, 1, 0);
	case __NR_unlink:
		return call_path(K23_RC_UNLINK, m, h, path, 0, 0, 0);
	case __NR_unlinkat:
		if (a[2] & ~(long)AT_REMOVEDIR)
			return -EINVAL;
		return call_path(a[2] & AT_REMOVEDIR ? K23_RC_RMDIR : K23_RC_UNLINK, m, h, path, 0, 0, 0);
	case __NR_rmdir:
		return call_path(K23_RC_RMDIR, m, h, path, 0, 0, 0);
	case __NR_readlink:
		return do_readlink(m, h, path, a[1], a[2]);
	case __NR_readlinkat:
		return do_readlink(m, h, path, a[2], a[3]);
	case __NR_truncate:
		if (a[1] < 0)
			return -EINVAL;
		v[0] = (uint64_t)a[1];
		return call_path(K23_RC_TRUNCATE, m, h, path, v, 1, 0);
	case __NR_chmod:
		v[0] = (uint64_t)a[1] & 07777;
		return call_path(K23_RC_CHMOD, m, h, path, v, 1, 0);
	case __NR_fchmodat:
		v[0] = (uint64_t)a[2] & 07777;
		return call_path(K23_RC_CHMOD, m, h, path, v, 1, 0);
	case __NR_utime: case __NR_utimes: case __NR_futimesat: case __NR_utimensat:
		return do_utimes(nr, a, m, h, empty ? 0 : path);
	case __NR_chown: case __NR_lchown: case __NR_fchownat:
		return do_chown(nr, a, m, h, empty ? 0 : path);
	case __NR_statfs:
		return k23_rr_statfs(m, h, path, a[1]);
	case __NR_getxattr: case __NR_lgetxattr: case __NR_listxattr: case __NR_llistxattr:
	case __NR_setxattr: case __NR_lsetxattr: case __NR_removexattr: case __NR_lremovexattr:
		/* The channel carries no extended attributes: the tree acts
		 * as a file system without them (ls -l, cp -a ask and go on). */
		return -EOPNOTSUPP;
	}
	return -ENOSYS;
}

int k23_rr_path_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	char path[K23_VIRT_PATH_MAX];
	uint32_t m;
	uint64_t h;
	int d, p, empty;
	long ret;

	(void)r;
	switch (c->nr) {
	case __NR_rename:
		ret = do_rename(c, vc, 0, 0, K23_RC_RENAME);
		break;
	case __NR_renameat:
		ret = do_rename(c, vc, 1, 0, K23_RC_RENAME);
		break;
	case __NR_renameat2:
		ret = do_rename(c, vc, 1, c->args[4], K23_RC_RENAME);
		break;
	case __NR_link:
		ret = do_rename(c, vc, 0, 0, K23_RC_LINK);
		break;
	case __NR_linkat:
		ret = do_rename(c, vc, 1, c->args[4], K23_RC_LINK);
		break;
	case __NR_symlink:
		ret = do_symlink(c, vc, c->args[0], 0);
		break;
	case __NR_symlinkat:
		ret = do_symlink(c, vc, c->args[0], 1);
		break;
	default:
		if (!operands(c->nr, &d, &p))
			return 0;
		/* utimensat(fd, NULL, ...) is futimens. */
		if (c->nr == __NR_utimensat && !c->args[1]) {
			struct k23_rfd f;

			if (!k23_rr_fd(c->args[0], &f))
				return 0;
			c->ret = do_utimes(c->nr, c->args, f.mount, f.handle, 0);
			return 1;
		}
		switch (k23_rr_where(d < 0 ? AT_FDCWD_ : c->args[d], (unsigned long)c->args[p], path, &m, &h)) {
		case 0:
			return 0;
		case 2:	/* local, from a remote working directory */
			if ((ret = k23_rr_local_name(c, vc, p, 0, path))) {
				c->ret = ret;
				return 1;
			}
			return 0;
		}
		/* An empty name from a remote dirfd: the descriptor itself,
		 * with AT_EMPTY_PATH; else what the kernel says of "". */
		empty = !path[0] && h;
		if (empty && !((c->nr == __NR_newfstatat || c->nr == __NR_utimensat ? c->args[3] :
				c->nr == __NR_statx ? c->args[2] : c->nr == __NR_fchownat ? c->args[4] : 0) &
			       AT_EMPTY_PATH)) {
			c->ret = -ENOENT;
			return 1;
		}
		c->ret = serve(c->nr, c->args, m, h, path, empty);
		return 1;
	}
	if (ret == 1)
		return 0;
	c->ret = ret;
	return 1;
}
