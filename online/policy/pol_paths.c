/* pol_paths.c - what a path argument reaches, decided as the kernel resolves it: copy, probe, identity, kernel path.
 *
 * The path is copied into k23's memory first and the call's argument made
 * to point at the copy, so the string checked is the string the kernel
 * receives (another thread cannot change it in between). The object is
 * then opened with O_PATH relative to the same dirfd, with the call's own
 * follow/nofollow choice, so `..`, symlinks, a dirfd, the cwd and
 * /proc/self/root are resolved by the kernel itself; its (st_dev, st_ino)
 * is compared with the deny rules' files, and the kernel's own path for it
 * (readlink of /proc/thread-self/fd/N) with their trees. O_PATH opens nothing:
 * no device, FIFO or Landlock check is triggered by the probe.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/stat.h>
#include <linux/fcntl.h>
#include "online/core/rtlib.h"
#include "online/guard/fdguard.h"
#include "online/policy/pol_files.h"

long k23_pol_copy_path(char *dst, unsigned long src)
{
	size_t got = 0;

	if (!src)
		return -EFAULT; /* without process_vm_readv the copy is a plain read */
	while (got < K23_POL_PATH_MAX) {
		size_t chunk = 4096 - (src % 4096);

		if (chunk > K23_POL_PATH_MAX - got)
			chunk = K23_POL_PATH_MAX - got;
		if (k23_copy_from(dst + got, (const void *)src, chunk))
			return -EFAULT;
		for (size_t i = 0; i < chunk; i++)
			if (!dst[got + i])
				return 0;
		got += chunk;
		src += chunk;
	}
	return -ENAMETOOLONG;
}

static long open_once(long dirfd, const char *path, long flags, const uint64_t *resolve)
{
	if (resolve) {
		uint64_t how[3] = { (uint64_t)flags, 0, *resolve };

		return k23_syscall4(__NR_openat2, dirfd, (long)path, (long)how, sizeof(how));
	}
	return k23_syscall4(__NR_openat, dirfd, (long)path, flags, 0);
}

/* A full descriptor table must not make the check give up (and the call
 * pass unchecked): k23 then opens above the program's limit, in a room
 * (online/guard/fdguard.c). */
static long open_probe(long dirfd, const char *path, long flags, const uint64_t *resolve)
{
	long fd = open_once(dirfd, path, flags, resolve);
	struct k23_fd_room room;

	if (fd != -EMFILE)
		return fd;
	k23_fd_room_begin(&room, 4);
	fd = open_once(dirfd, path, flags, resolve);
	k23_fd_room_end(&room);
	return fd;
}

long k23_pol_probe(long dirfd, const char *path, int nofollow, const uint64_t *resolve)
{
	return open_probe(dirfd, path, O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0), resolve);
}

/* The calling thread's descriptor table: /proc/self is the thread-group
 * leader's, whose table a thread that unshared its own (clone without
 * CLONE_FILES, unshare(CLONE_FILES)) no longer shares: its fd N would be
 * another file there, or none; and once the leader has exited, none. */
long k23_pol_fd_path(long fd, char *buf, size_t size)
{
	char link[48] = "/proc/thread-self/fd/";
	long n;

	k23_utoa((unsigned long)fd, link + 21);
	n = k23_syscall3(__NR_readlink, (long)link, (long)buf, (long)size - 1);
	if (n < 0)
		return n;
	buf[n] = 0;
	return n;
}

/* The deny rule that covers the object at fd (whose kernel path is path,
 * or "" if unknown), or -1. */
int k23_pol_denied_obj(long fd, const char *path)
{
	struct stat st;
	int have = 0;

	/* The identity (an fstat) where the kernel path does not suffice: a
	 * denied file, whose hard links may lie anywhere on its file system;
	 * or no kernel path. A denied directory has no hard links: with the
	 * object's kernel path known, its identity would only add the
	 * directory itself reached under another path (a bind mount, a
	 * rename), whose contents the path match lets through anyway. */
	if (k23_pol.ids && (k23_pol.by_id || path[0] != '/'))
		have = k23_syscall2(__NR_fstat, fd, (long)&st) == 0;

	for (uint32_t i = 0; i < k23_pol.b.h->n_deny; i++) {
		if (k23_pol.ids && k23_pol.ids[i].other)
			continue;
		if (have && k23_pol.ids && k23_pol.ids[i].ino && k23_pol.ids[i].dev == st.st_dev &&
		    k23_pol.ids[i].ino == st.st_ino)
			return (int)i;
		if (path[0] == '/' && k23_pol_inside(path, k23_pol.b.strings + k23_pol.b.deny[i].path_off))
			return (int)i;
	}
	return -1;
}

int k23_pol_denied_path(const char *path)
{
	for (uint32_t i = 0; i < k23_pol.b.h->n_deny; i++)
		if (!(k23_pol.ids && k23_pol.ids[i].other) && path[0] == '/' && k23_pol_inside(path, k23_pol.b.strings + k23_pol.b.deny[i].path_off))
			return (int)i;
	return -1;
}

int k23_pol_granted(const char *path, int write)
{
	uint64_t need = write ? 1ULL << 1 /* LANDLOCK_ACCESS_FS_WRITE_FILE */
			      : (1ULL << 0) | (1ULL << 2) | (1ULL << 3); /* EXECUTE, READ_FILE, READ_DIR */

	if (path[0] != '/')
		return 1; /* pipes, sockets, anonymous files: no hierarchy to grant */
	for (uint32_t i = 0; i < k23_pol.b.h->n_fs; i++)
		if ((k23_pol.b.fs[i].access & need) &&
		    k23_pol_inside(path, k23_pol.b.strings + k23_pol.b.fs[i].path_off))
			return 1;
	return 0;
}

/* The kernel path of what would be created: the parent's, then the name.
 * path is k23's copy: its directory part is cut off for a moment. */
long k23_pol_new_path(long dirfd, char *path, char *out, size_t size)
{
	size_t len = k23_strlen(path), cut, nlen;
	char saved;
	long fd, n;

	while (len > 1 && path[len - 1] == '/')
		len--;
	cut = len;
	while (cut && path[cut - 1] != '/')
		cut--;
	nlen = len - cut;
	if (nlen == 0 || (nlen == 1 && path[cut] == '.') ||
	    (nlen == 2 && path[cut] == '.' && path[cut + 1] == '.'))
		return -EEXIST; /* names an existing directory */
	if (cut == 0) {
		fd = open_probe(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	} else {
		saved = path[cut];
		path[cut] = 0;
		fd = open_probe(dirfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
		path[cut] = saved;
	}
	if (fd < 0)
		return fd;
	n = k23_pol_fd_path(fd, out, size);
	k23_syscall1(__NR_close, fd);
	if (n < 0)
		return n;
	if ((size_t)n + 1 + nlen + 1 > size)
		return -ENAMETOOLONG;
	if (n > 1)
		out[n++] = '/';
	k23_memcpy(out + n, path + cut, nlen);
	out[n + (long)nlen] = 0;
	return 0;
}
