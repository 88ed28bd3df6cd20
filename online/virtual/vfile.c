/* vfile.c - synthesized files: which call names one, and the answer for open, the stat family and access.
 *
 * A path names synthesized file i when its last component is i's and its
 * directory, as the kernel resolves it from the call's dirfd (`..`,
 * symlinks, the cwd), is i's directory by (st_dev, st_ino). The directory
 * is resolved only when the last component matches, so a call naming any
 * other file costs a copy of its path and a few string compares.
 *
 * open: each open creates a memfd with the content (the program's
 * descriptors come from the kernel, at the number natively given, with the
 * program's flags), sets mode 0444 and the times of the policy's filling,
 * seals it against any change, then reopens it through /proc/self/fd
 * read-only: a fresh open file description, so offsets are per open, and
 * an O_RDONLY descriptor as a read-only file gives (write: EBADF, a shared
 * writable mapping: EACCES). k23 creates the file; it never writes one of
 * the program's. Opens for writing, or with O_TRUNC, fail with EROFS (a
 * read-only file system's answer), O_CREAT|O_EXCL with EEXIST, O_DIRECTORY
 * with ENOTDIR. The stat family and statx answer from such a memfd (made
 * and closed for the call), so size, mode, times and block count are
 * what an open's fstat shows; docs/virtual.md lists what differs from a
 * file on disk (st_dev, st_ino, the owner).
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/stat.h>
#include <linux/fcntl.h>
#include <linux/memfd.h>
#include <linux/openat2.h>
#include <linux/time_types.h>
#include "online/core/rtlib.h"
#include "online/guard/fdguard.h"
#include "online/policy/pol_files.h"
#include "online/process/procview.h"
#include "online/virtual/vfile.h"

#define PATH_MAX_ 4096
_Static_assert(PATH_MAX_ == K23_POL_PATH_MAX, "names are copied by k23_pol_copy_path");

const struct k23_policy_view *k23_vfile_blob;
int k23_vfile_cache[K23_VFILE_CACHE] = { [0 ... K23_VFILE_CACHE - 1] = -1 };
int k23_vfile_cached;

/* The identity of each synthesized file's directory, taken when the image
 * starts ({0, 0}: missing then, so nothing is synthesized in it). */
struct dir_id {
	unsigned long dev, ino;
};
static struct dir_id *dirs;

static const char *last(const char *p)
{
	const char *b = p;

	for (; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

static int identity(long dirfd, const char *path, long flags, struct stat *st)
{
	return k23_syscall4(__NR_newfstatat, dirfd, (long)path, (long)st, flags) == 0;
}

long k23_vfile_attach(const struct k23_policy_view *b)
{
	char dir[PATH_MAX_];
	struct stat st;

	if (!b->h->n_synth && b->h->hostname_off == K23_POLICY_NO_HOSTNAME)
		return 0;
	if (b->h->n_synth && !(dirs = k23_map_anon(b->h->n_synth * sizeof(*dirs))))
		return -ENOMEM;
	for (uint32_t i = 0; i < b->h->n_synth; i++) {
		const char *p = b->strings + b->synth[i].path_off, *base = last(p);

		k23_memcpy(dir, p, (size_t)(base - p));
		dir[base - p] = 0;
		if (identity(-100 /* AT_FDCWD */, dir, 0, &st))
			dirs[i] = (struct dir_id){ st.st_dev, st.st_ino };
	}
	k23_vfile_blob = b;
	return 0;
}

const char *k23_vfile_path(uint32_t i)
{
	return k23_vfile_blob->strings + k23_vfile_blob->synth[i].path_off;
}

const char *k23_vfile_base(uint32_t i)
{
	return last(k23_vfile_path(i));
}

int k23_vfile_in_dir(uint32_t i, unsigned long dev, unsigned long ino)
{
	return dirs[i].ino && dirs[i].dev == dev && dirs[i].ino == ino;
}

/* The synthesized file (dirfd, path) names, or -1. path is k23's copy:
 * its directory part is cut off in place for the look-up, then restored. */
static int lookup(long dirfd, char *path)
{
	char *b = (char *)last(path), keep;
	struct stat st;
	int have = 0, ok;

	if (!*b || (b[0] == '.' && (!b[1] || (b[1] == '.' && !b[2]))))
		return -1;
	for (uint32_t i = 0; i < k23_vfile_blob->h->n_synth; i++) {
		const char *p = k23_vfile_path(i);

		if (k23_strcmp(b, k23_vfile_base(i)))
			continue;
		/* The name as the policy writes it: its directory is the one
		 * whose identity was taken at attach. */
		if (path[0] == '/' && b - path == k23_vfile_base(i) - p && k23_memeq(path, p, (size_t)(b - path)))
			return dirs[i].ino ? (int)i : -1;
		if (!have) {
			/* "name" alone: dirfd itself (AT_FDCWD: the cwd). */
			keep = *b;
			*b = 0;
			ok = identity(dirfd, path, b == path ? AT_EMPTY_PATH : 0, &st);
			*b = keep;
			if (!ok)
				return -1;
			have = 1;
		}
		if (k23_vfile_in_dir(i, st.st_dev, st.st_ino))
			return (int)i;
	}
	return -1;
}

/* A new memfd holding file i's content, mode 0444, with the policy's
 * times; sealed if seal. The descriptor or -errno. */
static long make(uint32_t i, int seal)
{
	const struct k23_policy_synth *s = &k23_vfile_blob->synth[i];
	uint64_t t = k23_vfile_blob->h->synth_time;
	struct __kernel_timespec ts[2] = { { (long long)(t / 1000000000u), (long long)(t % 1000000000u) },
					   { (long long)(t / 1000000000u), (long long)(t % 1000000000u) } };
	char name[32] = K23_VFILE_MEMFD;
	long fd, r;

	k23_utoa(i, name + sizeof(K23_VFILE_MEMFD) - 1);
	fd = k23_syscall2(__NR_memfd_create, (long)name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return fd;
	r = k23_write_all((int)fd, k23_vfile_blob->synth_data + s->data_off, s->size);
	if (!r)
		r = k23_syscall2(__NR_fchmod, fd, 0444);
	if (!r)
		r = k23_syscall4(__NR_utimensat, fd, 0, (long)ts, 0);
	if (!r && seal)
		r = k23_syscall3(__NR_fcntl, fd, F_ADD_SEALS,
				 F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
	if (r) {
		k23_syscall1(__NR_close, fd);
		return r;
	}
	return fd;
}

/* File i's sealed memfd kept by this process, made on first need; -1 if
 * none is kept: an index past the cache, a vfork child with a descriptor
 * table of its own (its numbers are not the memory's), no room above the
 * limit. */
static long cached(uint32_t i)
{
	int none = -1;
	long m, h;

	if (i >= K23_VFILE_CACHE || k23_procview())
		return -1;
	if ((h = __atomic_load_n(&k23_vfile_cache[i], __ATOMIC_ACQUIRE)) >= 0)
		return h;
	if ((m = make(i, 1)) < 0)
		return -1;
	if ((h = k23_fd_move_high(m, 1)) < 0) {
		k23_syscall1(__NR_close, m);
		return -1;
	}
	__atomic_store_n(&k23_vfile_cached, 1, __ATOMIC_RELEASE);
	if (!__atomic_compare_exchange_n(&k23_vfile_cache[i], &none, (int)h, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		k23_syscall1(__NR_close, h); /* another thread's is kept */
		return none;
	}
	return h;
}

/* The program's open of /proc/self/fd/h, read-only, with its own flags. */
static long reopen(long h, uint64_t flags)
{
	char proc[40] = "/proc/self/fd/";

	k23_utoa((unsigned long)h, proc + 14);
	/* O_NOFOLLOW would refuse the /proc link itself. */
	return k23_syscall4(__NR_openat, -100, (long)proc,
			    (long)(flags & ~(uint64_t)(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC |
						       O_NOFOLLOW | O_DIRECTORY)), 0);
}

static int no_proc(long r)
{
	return r == -ENOENT || r == -EACCES || r == -EPERM;
}

static long open_file(uint32_t i, uint64_t flags)
{
	long m, h, fd;

	if (!(flags & O_PATH)) {
		if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
			return -EROFS;
		if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			return -EEXIST;
	}
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if ((h = cached(i)) >= 0 && !no_proc(fd = reopen(h, flags)))
		return fd;
	if ((m = make(i, 1)) < 0)
		return m;
	/* Out of the way, so that the reopen takes the number an open
	 * would have had. */
	h = k23_syscall3(__NR_fcntl, m, F_DUPFD_CLOEXEC, 0);
	k23_syscall1(__NR_close, m);
	if (h < 0)
		return h;
	if (no_proc(fd = reopen(h, flags))) {
		/* No /proc: the memfd itself (read-write, sealed: writes fail
		 * with EPERM; docs/virtual.md). */
		if (!(flags & O_CLOEXEC))
			k23_syscall3(__NR_fcntl, h, F_SETFD, 0);
		return h;
	}
	k23_syscall1(__NR_close, h);
	return fd;
}

static long stat_file(uint32_t i, struct k23_call *c)
{
	long kept = cached(i), m = kept >= 0 ? kept : make(i, 0), r;

	if (m < 0)
		return m;
	switch (c->nr) {
	case __NR_statx:
		r = k23_syscall5(__NR_statx, m, (long)"",
				 AT_EMPTY_PATH | (c->args[2] & AT_STATX_SYNC_TYPE), c->args[3], c->args[4]);
		break;
	case __NR_newfstatat:
		r = k23_syscall4(__NR_newfstatat, m, (long)"", c->args[2], AT_EMPTY_PATH);
		break;
	default:
		r = k23_syscall2(__NR_fstat, m, c->args[1]);
	}
	if (kept < 0)
		k23_syscall1(__NR_close, m);
	/* A memfd has no link (st_nlink 0); the file the program names has one. */
	if (!r) {
		uint64_t one = 1;

		if (c->nr == __NR_statx)
			k23_copy_to((char *)c->args[4] + 16, &one, 4);
		else
			k23_copy_to((char *)c->args[c->nr == __NR_newfstatat ? 2 : 1] + 16, &one, 8);
	}
	return r;
}

static long access_file(long mode)
{
	if (mode & 2 /* W_OK */)
		return -EROFS;
	if (mode & 1 /* X_OK */)
		return -EACCES;
	return 0;
}

/* Where each call names its path: dirfd and path argument (-1: AT_FDCWD). */
static int operands(long nr, int *dirfd, int *path)
{
	switch (nr) {
	case __NR_open: case __NR_creat: case __NR_stat: case __NR_lstat: case __NR_access:
	case __NR_truncate: case __NR_getxattr: case __NR_lgetxattr: case __NR_listxattr:
	case __NR_llistxattr: case __NR_setxattr: case __NR_lsetxattr: case __NR_removexattr:
	case __NR_lremovexattr: case __NR_chmod: case __NR_chown: case __NR_lchown:
	case __NR_utime: case __NR_utimes: case __NR_unlink:
		*dirfd = -1, *path = 0;
		return 1;
	case __NR_openat: case __NR_openat2: case __NR_newfstatat: case __NR_statx:
	case __NR_faccessat: case __NR_faccessat2: case __NR_fchmodat: case __NR_fchownat:
	case __NR_futimesat: case __NR_utimensat: case __NR_unlinkat:
		*dirfd = 0, *path = 1;
		return 1;
	}
	return 0;
}

int k23_vfile_files_on(void)
{
	return k23_vfile_blob && k23_vfile_blob->h->n_synth;
}

int k23_vfile_host_on(void)
{
	return k23_vfile_blob && k23_vfile_blob->h->hostname_off != K23_POLICY_NO_HOSTNAME;
}

int k23_vfile_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	char path[PATH_MAX_];
	uint64_t how = 0;
	int d, p, i;

	(void)vc, (void)r;
	if (!operands(c->nr, &d, &p) || k23_pol_copy_path(path, (unsigned long)c->args[p]))
		return 0; /* the kernel says what is wrong with it */
	if ((i = lookup(d < 0 ? -100 : c->args[d], path)) < 0)
		return 0;
	switch (c->nr) {
	case __NR_open:
		c->ret = open_file((uint32_t)i, (uint64_t)c->args[1]);
		break;
	case __NR_openat:
		c->ret = open_file((uint32_t)i, (uint64_t)c->args[2]);
		break;
	case __NR_openat2:
		if (k23_copy_from(&how, (const void *)c->args[2], sizeof(how)))
			return 0;
		c->ret = open_file((uint32_t)i, how);
		break;
	case __NR_getxattr: case __NR_lgetxattr:
		c->ret = -ENODATA; /* no extended attributes */
		break;
	case __NR_listxattr: case __NR_llistxattr:
		c->ret = 0;
		break;
	case __NR_stat: case __NR_lstat: case __NR_newfstatat: case __NR_statx:
		c->ret = stat_file((uint32_t)i, c);
		break;
	default:
		/* Anything that would change it: a read-only file system's answer. */
		c->ret = -EROFS;
		break;
	case __NR_access:
		c->ret = access_file(c->args[1]);
		break;
	case __NR_faccessat: case __NR_faccessat2:
		c->ret = access_file(c->args[2]);
		break;
	}
	return 1;
}
