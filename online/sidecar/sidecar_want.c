/* sidecar_want.c - "<cache>/want/<build-id>": an object mapped without a usable sidecar, for the next preparer.
 *
 * k23 run's front end sees only the program and its interpreter before the
 * program starts (cli/autoprep.c); the libraries ld.so maps, dlopen'ed
 * objects and the programs the tree executes are seen here, when they are
 * mapped. Each one whose sidecar is missing, stale or corrupt gets a marker
 * holding K23_WANT_MAGIC and its path; `k23 prepare --wanted` (started in
 * the background by a k23 run) prepares them and removes the markers. A
 * marker that exists is not written again, so a tree of many processes
 * costs one failed stat per object and process. Written like stamps: a
 * temporary file renamed into place.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/stat.h>
#include <linux/fcntl.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/sidecar/sidecar_want.h"

#define WANT_DIR "/want"
#define DELETED " (deleted)"

static void hex(char *out, const uint8_t *id, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		*out++ = "0123456789abcdef"[id[i] >> 4];
		*out++ = "0123456789abcdef"[id[i] & 15];
	}
	*out = 0;
}

/* "<cache>/want", opened as a directory (made if missing): the fd or -errno. */
static long open_want_dir(char *path, size_t size)
{
	size_t d = k23_strlen(k23_rt.cache_dir);
	long fd;

	if (d + sizeof(WANT_DIR) > size)
		return -ENAMETOOLONG;
	k23_memcpy(path, k23_rt.cache_dir, d);
	k23_memcpy(path + d, WANT_DIR, sizeof(WANT_DIR));
	fd = k23_syscall4(__NR_openat, AT_FDCWD, (long)path,
			  O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW, 0);
	if (fd != -ENOENT)
		return fd;
	k23_syscall3(__NR_mkdirat, AT_FDCWD, (long)path, 0755);
	return k23_syscall4(__NR_openat, AT_FDCWD, (long)path,
			    O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW, 0);
}

/* The object's path into buf + 8 (after room for the magic): its length, or 0. */
static long object_path(int obj_fd, char *buf, size_t size)
{
	char proc[40] = "/proc/self/fd/";
	long r;

	proc[14 + k23_utoa((unsigned long)obj_fd, proc + 14)] = 0;
	r = k23_syscall4(__NR_readlinkat, AT_FDCWD, (long)proc, (long)(buf + 8), (long)(size - 8));
	if (r <= 0 || r >= (long)(size - 8) || buf[8] != '/')
		return 0;
	if ((size_t)r >= sizeof(DELETED) - 1 &&
	    k23_memeq(buf + 8 + r - (sizeof(DELETED) - 1), DELETED, sizeof(DELETED) - 1))
		return 0; /* gone from the file system: nothing to prepare */
	return r;
}

__attribute__((noinline)) void k23_want_mark(const uint8_t *id, uint32_t len, int obj_fd)
{
	char buf[8 + 4096], name[2 * 64 + 1], tmp[2 * 64 + 32];
	struct stat st;
	long dfd, fd, n, ok;
	size_t k;

	if (!k23_rt.cache_write || !k23_rt.cache_dir[0] || len > 64)
		return;
	hex(name, id, len);
	dfd = open_want_dir(buf, sizeof(buf));
	if (dfd < 0)
		return;
	if (k23_syscall4(__NR_newfstatat, dfd, (long)name, (long)&st, AT_SYMLINK_NOFOLLOW) == 0 ||
	    !(n = object_path(obj_fd, buf, sizeof(buf)))) {
		k23_syscall1(__NR_close, dfd);
		return;
	}
	k23_memcpy(buf, K23_WANT_MAGIC, 8);
	/* ".<id>.tmp<tid>", renamed to "<id>" once written */
	tmp[0] = '.';
	k23_memcpy(tmp + 1, name, 2 * len);
	k23_memcpy(tmp + 1 + 2 * len, ".tmp", 4);
	k = 5 + 2 * len;
	tmp[k + k23_utoa((unsigned long)k23_tid(), tmp + k)] = 0;
	fd = k23_syscall4(__NR_openat, dfd, (long)tmp,
			  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0644);
	if (fd >= 0) {
		ok = k23_syscall3(__NR_write, fd, (long)buf, 8 + n) == 8 + n;
		k23_syscall1(__NR_close, fd);
		if (!ok || k23_syscall4(__NR_renameat, dfd, (long)tmp, dfd, (long)name) != 0)
			k23_syscall3(__NR_unlinkat, dfd, (long)tmp, 0);
	}
	k23_syscall1(__NR_close, dfd);
}
