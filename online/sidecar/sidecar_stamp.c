/* sidecar_stamp.c - "<build-id>.seen": the object's identity the last time its hash was checked.
 *
 * Hashing libc takes 0.2-0.6 ms, a large part of k23's start-up. Any write
 * to a file changes its ctime, which users cannot set, so a file whose
 * device, inode, size, mtime and ctime are those recorded after a
 * successful hash still has that content. The stamp also names the hash it
 * matched, so a sidecar prepared anew is checked anew. Written like
 * sidecars: a temporary file renamed over the old one.
 *
 * A stamp is a fact about a file's identity, true for as long as the file
 * keeps it, so the process also keeps what it read or wrote, as a digest
 * of the stamp and its path (k23_rt.seen, the last K23_SEEN_KEPT), and
 * hands it to the next image across execve (online/core/rtconfig.c): in a
 * shell loop, each command's image then finds ld.so's and libc's copies
 * checked without reading their stamps (4 system calls each). The file's
 * identity is still fstat'ed as it is now, and compared, by every caller.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include <asm/stat.h>
#include <linux/stat.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/sidecar/sidecar_rt.h"
#include "online/sidecar/sidecar_stamp.h"
#include "rt/hash64.h"

#define STAMP_SUFFIX ".seen"

struct stamp {
	char magic[8];		/* "K23SEEN1" */
	uint64_t dev, ino, size;
	uint64_t mtime, mtime_ns, ctime, ctime_ns;
	uint64_t object_hash;
};

static void fill_from(struct stamp *s, const struct k23_stamp_file *f, uint64_t object_hash)
{
	k23_memset(s, 0, sizeof(*s));
	k23_memcpy(s->magic, "K23SEEN1", 8);
	s->dev = f->dev;
	s->ino = f->ino;
	s->size = f->size;
	s->mtime = f->mtime;
	s->mtime_ns = f->mtime_ns;
	s->ctime = f->ctime;
	s->ctime_ns = f->ctime_ns;
	s->object_hash = object_hash;
}

/* The digest of stamp s kept at path (never 0: 0 is an empty slot). */
static uint64_t digest(const char *path, const struct stamp *s)
{
	struct {
		struct stamp s;
		uint64_t path;
	} d;
	uint64_t h;

	d.s = *s;
	d.path = k23_hash64(path, k23_strlen(path));
	h = k23_hash64(&d, sizeof(d));
	return h ? h : 1;
}

static int seen_known(uint64_t d)
{
	for (unsigned i = 0; i < K23_SEEN_KEPT; i++)
		if (__atomic_load_n(&k23_rt.seen[i], __ATOMIC_RELAXED) == d)
			return 1;
	return 0;
}

/* Threads may add at once: each takes a slot of its own, the oldest. */
static void seen_add(uint64_t d)
{
	if (!seen_known(d))
		__atomic_store_n(&k23_rt.seen[__atomic_fetch_add(&k23_rt.seen_next, 1, __ATOMIC_RELAXED) %
					      K23_SEEN_KEPT],
				 d, __ATOMIC_RELAXED);
}

int k23_stamp_matches_at(const char *path, const struct k23_stamp_file *f, uint64_t hash)
{
	struct stamp want, got;
	struct stat fst;
	long fd, n;
	uint64_t d;

	fill_from(&want, f, hash);
	d = digest(path, &want);
	if (seen_known(d))
		return 1;
	/* Like a sidecar (sidecar_rt.c): no blocking open, no last symlink,
	 * a regular file only. */
	fd = k23_syscall4(__NR_openat, AT_FDCWD, (long)path,
			  O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW, 0);
	if (fd < 0)
		return 0;
	n = k23_syscall2(__NR_fstat, fd, (long)&fst);
	if (n == 0 && S_ISREG(fst.st_mode))
		n = k23_syscall3(__NR_read, fd, (long)&got, sizeof(got));
	else
		n = -1;
	k23_syscall1(__NR_close, fd);
	if (n != sizeof(got) || !k23_memeq(&got, &want, sizeof(got)))
		return 0;
	seen_add(d);
	return 1;
}

int k23_stamp_matches(const uint8_t *id, uint32_t len, const struct k23_stamp_file *f,
		      uint64_t object_hash)
{
	char path[4096];

	return !k23_rt_cache_path(path, sizeof(path), id, len, STAMP_SUFFIX) &&
	       k23_stamp_matches_at(path, f, object_hash);
}

long k23_cache_tmp_create(const char *path, char *tmp, int flags)
{
	char num[24];
	size_t n = k23_strlen(path);

	if (n >= K23_TMP_PATH - 32)
		return -ENAMETOOLONG;
	k23_memcpy(tmp, path, n);
	k23_memcpy(tmp + n, ".tmp", 4);
	num[k23_utoa((unsigned long)k23_tid(), num)] = 0;
	k23_memcpy(tmp + n + 4, num, k23_strlen(num) + 1);
	return k23_syscall4(__NR_openat, AT_FDCWD, (long)tmp,
			    flags | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0644);
}

int k23_cache_tmp_commit(const char *tmp, const char *path, int ok)
{
	if (ok && k23_syscall4(__NR_renameat, AT_FDCWD, (long)tmp, AT_FDCWD, (long)path) == 0)
		return 0;
	k23_syscall1(__NR_unlink, (long)tmp);
	return -1;
}

/* Writes s as path, atomically: a temporary file renamed over it. */
static void put(const char *path, const struct stamp *s)
{
	char tmp[K23_TMP_PATH];
	long fd = k23_cache_tmp_create(path, tmp, O_WRONLY), w;

	if (fd < 0)
		return;
	w = k23_syscall3(__NR_write, fd, (long)s, sizeof(*s));
	k23_syscall1(__NR_close, fd);
	k23_cache_tmp_commit(tmp, path, w == (long)sizeof(*s));
}

void k23_stamp_write_at(const char *path, const struct k23_stamp_file *f, uint64_t hash)
{
	struct stamp s;

	fill_from(&s, f, hash);
	/* Known to this process and the next images even where the file
	 * cannot be written (a read-only cache: no hash again in this tree). */
	seen_add(digest(path, &s));
	/* --prepare=never: the run leaves the cache as it found it */
	if (!k23_rt.cache_write)
		return;
	put(path, &s);
}

void k23_stamp_write(const uint8_t *id, uint32_t len, const struct k23_stamp_file *f,
		     uint64_t object_hash)
{
	char path[4096];

	if (!k23_rt_cache_path(path, sizeof(path), id, len, STAMP_SUFFIX))
		k23_stamp_write_at(path, f, object_hash);
}

void k23_stamp_record(const char *dir, const uint8_t *id, uint32_t len,
		      const struct k23_stamp_file *f, uint64_t object_hash)
{
	char path[4096], *p;
	size_t d = k23_strlen(dir);
	struct stamp s;

	if (d + 1 + 2 * len + sizeof(STAMP_SUFFIX) > sizeof(path))
		return;
	k23_memcpy(path, dir, d);
	p = path + d;
	*p++ = '/';
	for (uint32_t i = 0; i < len; i++) {
		*p++ = "0123456789abcdef"[id[i] >> 4];
		*p++ = "0123456789abcdef"[id[i] & 15];
	}
	k23_memcpy(p, STAMP_SUFFIX, sizeof(STAMP_SUFFIX));
	fill_from(&s, f, object_hash);
	put(path, &s);
}
