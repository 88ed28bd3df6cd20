/* prepatched.c - an object's patched text and its stubs, written once to the sidecar cache and mapped at every start.
 *
 * Patching in place costs every process the same page-table work again:
 * the pages holding windows made writable, copied, written, given back
 * their protection, and the stub memory mapped, written and sealed. On
 * the reference VM each of those steps is a page-table change the
 * hypervisor mirrors: 1.9 ms of CPU per start of /bin/true for libc and
 * ld.so, 0.2 ms when mapped from copies (docs/benchmarks.md). So the
 * first start that patches a mapping in place also keeps the result:
 *
 *   <cache>/<build-id>.<rt>-<off>.patched
 *     the object's file, byte for byte, except the pages of this mapping
 *     that hold windows, which are as patching left them;
 *     the stubs, from the next page boundary after the object's end;
 *     a trailer page: what the copy depends on (below).
 *
 * and later starts map it instead: the mapping of the object's text is
 * replaced (MAP_FIXED, MAP_PRIVATE, same offset, same protection) by the
 * same range of the copy, and the stubs are mapped from it at the same
 * distance from the text as when they were written. Page-cache pages,
 * shared by every process, nothing copied, nothing written; two mmaps.
 *
 * This works because nothing in a stub depends on where it is but its
 * distance from its site (every operand is relative, stub.c) and
 * k23_stub_entry, which lies in k23's fixed-address image: the entry's
 * address is in the trailer, and <rt> (K23_RT_SOURCES, a hash of the
 * runtime's sources made at build time) names the runtime whose stubs,
 * entry and signal code the copy was written for. Stubs are written right
 * below the object's lowest page, where the kernel, which fills the
 * address space from the top, has usually left room; where that room is
 * taken, in the start that writes or in one that maps, patching happens in
 * place as before.
 *
 * The copy is used only while everything it was made from is unchanged:
 * the object's identity (device, inode, size, mtime, ctime: any write to
 * the file changes its ctime, which users cannot set - the rule of the
 * sidecar stamps, sidecar_stamp.c) and build-id (the name), the sidecar's
 * identity (a sidecar prepared anew is a new file), the mapping's offset,
 * length and protection, k23_stub_entry's address and the runtime; and
 * while its own bytes are those its writer hashed (the trailer holds that
 * hash and one of itself; "<copy>.seen" stamps the copy's identity once
 * checked, so the hash is not read again while the copy is unchanged).
 * Anything else - missing, short, damaged, stale, a different k23 - and
 * the mapping is patched in place (and the copy written anew).
 *
 * The program's files are never written: the copy is k23's own file,
 * mapped private. /proc/self/maps names the copy for the object's text
 * (docs/differences.md); it is a complete copy of the object, so tools
 * that read the file a mapping names find the same ELF and build-id.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/stat.h>
#include "k23/sidecar.h"
#include "online/arch/x86_64/patch_layout.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/patch/patch.h"
#include "online/patch/prepatched.h"
#include "online/patch/stub.h"
#include "online/core/prefault.h"
#include "rt/hash64.h"
#include "rt_sources.h"

#define PAGE 4096UL
#define UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define MAGIC "K23PTXT1"
#define VERSION 1		/* the stub format (stub.c, patch_layout.h) and this file's */
#define MAX_STUBS (64UL << 20)
#define REACH ((1UL << 31) - (1UL << 20))
#define COPY_BUF (64UL << 10)
#define ST_NOEXEC 8		/* statfs f_flags: the mount's noexec (linux/statfs.h, kernel side) */

struct trailer {
	char magic[8];
	uint32_t version, trailer_size;
	uint64_t entry;			/* k23_stub_entry, which the stubs jump to */
	char rt[16];			/* K23_RT_SOURCES: the runtime that wrote it */
	struct k23_stamp_file object, sidecar;
	uint64_t map_off, map_len, prot;
	int64_t stub_rel;		/* the stubs' address minus the mapping's */
	uint64_t stub_off, stub_len;	/* in this file */
	struct k23_prepatch_counts counts;
	uint64_t content;		/* hash of the file up to the trailer (rt/hash64.h) */
	uint64_t hash;			/* of this trailer up to here: last */
};

static uint64_t trailer_hash(const struct trailer *t)
{
	return k23_hash64(t, __builtin_offsetof(struct trailer, hash));
}

/* MAP_POPULATE for a copy's text or stubs small enough (online/core/prefault.h). */
static long prefault(unsigned long len, unsigned long prot)
{
	return k23_prefault_worth(len, prot, MAP_PRIVATE) ? MAP_POPULATE : 0;
}

static int is_err(long r)
{
	return (unsigned long)r > -4096UL;
}

/* "<cache>/<id>.<rt>-<off>.patched": one file per object, k23 runtime
 * (K23_RT_SOURCES, 16 hex digits) and executable mapping. */
static int copy_path(char *path, size_t size, const struct k23_rt_object *o, unsigned long off)
{
	char suffix[64];
	size_t n = 0;

	suffix[n++] = '.';
	k23_memcpy(suffix + n, K23_RT_SOURCES, 16);
	n += 16;
	suffix[n++] = '-';
	n += k23_utoa(off, suffix + n);
	k23_memcpy(suffix + n, ".patched", 9);
	return k23_rt_cache_path(path, size, o->id, o->idlen, suffix);
}

static int same_id(const struct k23_stamp_file *a, const struct k23_stamp_file *b)
{
	return k23_memeq(a, b, sizeof(*a));
}

/* The sidecar as it is now, by name: the copy is void once it changed. */
static __attribute__((noinline)) int sidecar_unchanged(const struct k23_rt_object *o,
						       const struct k23_stamp_file *want)
{
	char path[4096];
	struct stat st;
	struct k23_stamp_file now;

	if (k23_rt_cache_path(path, sizeof(path), o->id, o->idlen, K23_SIDECAR_SUFFIX) ||
	    k23_syscall4(__NR_newfstatat, AT_FDCWD, (long)path, (long)&st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISREG(st.st_mode))
		return 0;
	k23_file_id_of(&now, &st);
	return same_id(&now, want);
}

static __attribute__((noinline)) long open_copy(const struct k23_rt_object *o, unsigned long off)
{
	char path[4096];

	if (copy_path(path, sizeof(path), o, off))
		return -ENAMETOOLONG;
	/* As a sidecar (sidecar_rt.c): no blocking open, no last symlink. */
	return k23_syscall4(__NR_openat, AT_FDCWD, (long)path,
			    O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW, 0);
}

/* What a copy and a marker both hold: a whole trailer of this runtime,
 * made for this object and this mapping. */
static int trailer_is_for(const struct trailer *t, const struct k23_rt_object *o,
			  unsigned long len, unsigned long off, int prot)
{
	return k23_memeq(t->magic, MAGIC, 8) && t->version == VERSION && t->hash == trailer_hash(t) &&
	       t->trailer_size == sizeof(*t) && k23_memeq(t->rt, K23_RT_SOURCES, 16) &&
	       same_id(&t->object, &o->file) && t->map_off == off && t->map_len == len &&
	       t->prot == (uint64_t)prot;
}

static int trailer_fits(const struct trailer *t, const struct stat *st,
			const struct k23_rt_object *o, unsigned long addr, unsigned long len,
			unsigned long off, int prot)
{
	uint64_t obj_end = UP(o->file.size);
	unsigned long at = addr + (unsigned long)t->stub_rel;

	return trailer_is_for(t, o, len, off, prot) && t->entry == (unsigned long)k23_stub_entry &&
	       off + len <= obj_end &&
	       t->stub_off == obj_end && t->stub_len && !(t->stub_len % PAGE) &&
	       t->stub_len <= MAX_STUBS &&
	       (uint64_t)st->st_size == t->stub_off + t->stub_len + PAGE &&
	       /* the stubs below the text, within a jump's reach of all of it */
	       t->stub_rel < 0 && (unsigned long)-t->stub_rel <= REACH - len &&
	       (unsigned long)-t->stub_rel >= t->stub_len && at < addr && at >= 0x10000UL;
}

/* A marker ("nothing to patch"): a copy of nothing, only the trailer, in a
 * file one page long, for a mapping that holds no planned site. */
static int marker_fits(const struct trailer *t, const struct stat *st,
		       const struct k23_rt_object *o, unsigned long len, unsigned long off, int prot)
{
	return trailer_is_for(t, o, len, off, prot) && !t->stub_len && !t->stub_off && !t->stub_rel &&
	       !t->counts.done && st->st_size == (long)PAGE;
}

/* "<copy>.seen": the copy's identity when its content last hashed to the
 * trailer's hash. */
static int stamp_path(char *path, size_t size, const struct k23_rt_object *o, unsigned long off)
{
	size_t n;

	if (copy_path(path, size, o, off) || (n = k23_strlen(path)) + 6 > size)
		return -ENAMETOOLONG;
	k23_memcpy(path + n, ".seen", 6);
	return 0;
}

/* 1 if the copy's bytes are those the start that wrote it hashed: a copy
 * cut short, overwritten or damaged is never mapped as code. Hashed (~2 MB
 * for libc) only when its stamp does not name it as it is now: any write
 * to it changes its ctime, as for an object's .seen stamp. */
static __attribute__((noinline)) int content_checked(const struct k23_rt_object *o, long fd,
						     const struct stat *st, const struct trailer *t)
{
	char path[4096];
	struct k23_stamp_file f;
	uint64_t h = 0;

	if (stamp_path(path, sizeof(path), o, t->map_off))
		return 0;
	k23_file_id_of(&f, st);
	if (k23_stamp_matches_at(path, &f, t->hash))
		return 1;
	if (k23_rt_file_hash((int)fd, t->stub_off + t->stub_len, &h) != K23_RTSC_OK || h != t->content)
		return 0;
	k23_stamp_write_at(path, &f, t->hash);
	return 1;
}

/* A copy is code k23 maps into the program: only one written by the user
 * who started `k23 run` (or root), and that nobody else may write, is
 * trusted. Its hashes are checksums against damage, not a signature: a
 * copy planted by another user in a shared cache (K23_CACHE=/tmp/...) or
 * left writable to a group would otherwise run in this user's processes.
 * The uid is the one k23 run started with (carried in the settings), not
 * asked again: a geteuid here could meet a program's own filter. */
static int owner_trusted(const struct stat *st)
{
	return (st->st_uid == 0 || st->st_uid == k23_rt.cache_uid) &&
	       !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/* 1 if the mount the object open as fd lies on lets its files be mapped
 * executable (no noexec): what the object's own PROT_EXEC mmap would have
 * been refused for, which its copy, on the cache's mount, would not be. */
static int mount_execs(int fd)
{
	struct statfs sf;

	return k23_syscall2(__NR_fstatfs, fd, (long)&sf) == 0 && !(sf.f_flags & ST_NOEXEC);
}

int k23_prepatched_map(const struct k23_rt_object *o, unsigned long addr, unsigned long len,
		       unsigned long off, int prot, struct k23_prepatch_counts *n, int premap)
{
	struct trailer t;
	struct stat st;
	unsigned long at;
	long fd = open_copy(o, off), p;
	int ok = 0;

	if (fd < 0)
		return 0;
	if (k23_syscall2(__NR_fstat, fd, (long)&st) != 0 || !S_ISREG(st.st_mode) ||
	    !owner_trusted(&st) || (unsigned long)st.st_size < PAGE ||
	    k23_syscall4(__NR_pread64, fd, (long)&t, sizeof(t), st.st_size - (long)PAGE) !=
		    (long)sizeof(t))
		goto out;
	/* Nothing of a marker is mapped: the object's own pages stay (or,
	 * premap, are the caller's to map), as patching would leave them. */
	if (marker_fits(&t, &st, o, len, off, prot)) {
		if (sidecar_unchanged(o, &t.sidecar)) {
			*n = t.counts;
			ok = K23_PREPATCHED_NONE;
		}
		goto out;
	}
	if (!trailer_fits(&t, &st, o, addr, len, off, prot) || !sidecar_unchanged(o, &t.sidecar) ||
	    !content_checked(o, fd, &st, &t) || (premap && !mount_execs(o->fd)))
		goto out;
	at = addr + (unsigned long)t.stub_rel;
	p = k23_syscall6(__NR_mmap, (long)at, (long)t.stub_len, PROT_READ | PROT_EXEC,
			 MAP_PRIVATE | MAP_FIXED_NOREPLACE | prefault(t.stub_len, PROT_READ | PROT_EXEC),
			 fd, (long)t.stub_off);
	if (is_err(p))
		goto out; /* the room below the object is taken in this process */
	if ((unsigned long)p != at) { /* kernels before 4.17 ignore NOREPLACE */
		k23_unmap((void *)p, t.stub_len);
		goto out;
	}
	p = k23_syscall6(__NR_mmap, (long)addr, (long)len, prot,
			 MAP_PRIVATE | MAP_FIXED | prefault(len, (unsigned long)prot), fd, (long)off);
	if ((unsigned long)p != addr) {
		/* The object's own pages back (premap: the caller maps them),
		 * unpatched: the caller patches. */
		k23_unmap((void *)at, t.stub_len);
		if (!premap)
			k23_syscall6(__NR_mmap, (long)addr, (long)len, prot, MAP_PRIVATE | MAP_FIXED,
				     o->fd, (long)off);
		goto out;
	}
	k23_stub_register((void *)at, t.stub_len);
	*n = t.counts;
	ok = 1;
out:
	k23_syscall1(__NR_close, fd);
	return ok;
}

unsigned long k23_prepatched_stub_at(unsigned long image_lo, unsigned long space)
{
	space = UP(space);
	return image_lo > space + 0x10000UL ? (image_lo & ~(PAGE - 1)) - space : 0;
}

static int pwrite_all(long fd, const void *buf, unsigned long n, unsigned long off)
{
	while (n) {
		long w = k23_syscall4(__NR_pwrite64, fd, (long)buf, (long)n, (long)off);

		if (w == -EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf = (const char *)buf + w, n -= (unsigned long)w, off += (unsigned long)w;
	}
	return 0;
}

/* The object's bytes into fd: in the kernel where it can, else through a buffer. */
static int copy_object(int from, long to, uint64_t size)
{
	long long in = 0, out = 0;
	long buf;

	while ((uint64_t)in < size) {
		long r = k23_syscall6(__NR_copy_file_range, from, (long)&in, to, (long)&out,
				      (long)(size - (uint64_t)in), 0);

		if (r == -EINTR)
			continue;
		if (r <= 0)
			break;
	}
	if ((uint64_t)in == size)
		return 0;
	buf = k23_syscall6(__NR_mmap, 0, COPY_BUF, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (is_err(buf))
		return -1;
	while ((uint64_t)in < size) {
		long r = k23_syscall4(__NR_pread64, from, buf, COPY_BUF, in);

		if (r == -EINTR)
			continue;
		if (r <= 0 || pwrite_all(to, (void *)buf, (unsigned long)r, (unsigned long)in))
			break;
		in += r;
	}
	k23_unmap((void *)buf, COPY_BUF);
	return (uint64_t)in == size ? 0 : -1;
}

static __attribute__((noinline)) void write_copy(const struct k23_rt_object *o, const char *path,
						 struct trailer *t, unsigned long addr,
						 const void *stubs, const unsigned long *lo,
						 const unsigned long *hi, unsigned nruns)
{
	char tmp[K23_TMP_PATH], seen[4096];
	unsigned long end = addr + t->map_len, obj_end = o->file.size;
	struct stat st;
	struct k23_stamp_file f;
	long fd = k23_cache_tmp_create(path, tmp, O_RDWR);
	int bad;

	if (fd < 0)
		return;
	bad = copy_object(o->fd, fd, o->file.size);
	/* The patched pages as they are in memory, up to the object's end
	 * (the rest of the last page reads as zeros, as past a file's end). */
	for (unsigned i = 0; !bad && i < nruns; i++) {
		unsigned long a = lo[i] < addr ? addr : lo[i], b = hi[i] > end ? end : hi[i];
		unsigned long fo = t->map_off + (a - addr), fe = t->map_off + (b - addr);

		if (fe > obj_end)
			fe = obj_end;
		if (a < b && fo < fe)
			bad = pwrite_all(fd, (const void *)a, fe - fo, fo);
	}
	/* The hash is of what was written, read back: what a later start
	 * will check the copy against. */
	if (!bad)
		bad = pwrite_all(fd, stubs, t->stub_len, t->stub_off) ||
		      k23_syscall2(__NR_ftruncate, fd, (long)(t->stub_off + t->stub_len + PAGE)) != 0 ||
		      k23_rt_file_hash((int)fd, t->stub_off + t->stub_len, &t->content) != K23_RTSC_OK ||
		      ((t->hash = trailer_hash(t)), pwrite_all(fd, t, sizeof(*t), t->stub_off + t->stub_len));
	/* Stamped as renamed (a rename changes the ctime), so that the next
	 * start need not hash it; a copy renamed over this one by another
	 * process at the same time fails the stamp and is hashed once. */
	if (!k23_cache_tmp_commit(tmp, path, !bad) && k23_syscall2(__NR_fstat, fd, (long)&st) == 0 &&
	    !stamp_path(seen, sizeof(seen), o, t->map_off)) {
		k23_file_id_of(&f, &st);
		k23_stamp_write_at(seen, &f, t->hash);
	}
	k23_syscall1(__NR_close, fd);
}

/* What every trailer holds: what the copy depends on. 0, or -1 when no
 * copy is to be written (--prepare=never: the run leaves the cache as it
 * found it). */
static int trailer_init(struct trailer *t, char *path, const struct k23_rt_object *o,
			const struct k23_rt_sidecar *sc, unsigned long len, unsigned long off,
			int prot, const struct k23_prepatch_counts *n)
{
	if (!k23_rt.cache_write || copy_path(path, 4096, o, off) || off + len > UP(o->file.size))
		return -1;
	k23_memset(t, 0, sizeof(*t));
	k23_memcpy(t->magic, MAGIC, 8);
	t->version = VERSION;
	t->trailer_size = sizeof(*t);
	t->entry = (unsigned long)k23_stub_entry;
	k23_memcpy(t->rt, K23_RT_SOURCES, 16);
	t->object = o->file;
	t->sidecar = sc->file;
	t->map_off = off;
	t->map_len = len;
	t->prot = (uint64_t)prot;
	t->counts = *n;
	return 0;
}

void k23_prepatched_save_none(const struct k23_rt_object *o, const struct k23_rt_sidecar *sc,
			      unsigned long len, unsigned long off, int prot,
			      const struct k23_prepatch_counts *n)
{
	char path[4096], tmp[K23_TMP_PATH];
	struct trailer t;
	long fd;
	int bad;

	if (n->done || trailer_init(&t, path, o, sc, len, off, prot, n))
		return;
	t.hash = trailer_hash(&t);
	fd = k23_cache_tmp_create(path, tmp, O_WRONLY);
	if (fd < 0)
		return;
	bad = pwrite_all(fd, &t, sizeof(t), 0) || k23_syscall2(__NR_ftruncate, fd, (long)PAGE) != 0;
	k23_cache_tmp_commit(tmp, path, !bad);
	k23_syscall1(__NR_close, fd);
}

void k23_prepatched_save(const struct k23_rt_object *o, const struct k23_rt_sidecar *sc,
			 unsigned long addr, unsigned long len, unsigned long off, int prot,
			 const void *stubs, unsigned long stubs_len,
			 const unsigned long *lo, const unsigned long *hi, unsigned nruns,
			 const struct k23_prepatch_counts *n)
{
	char path[4096];
	struct trailer t;

	if ((stubs_len % PAGE) || stubs_len > MAX_STUBS || !stubs_len ||
	    trailer_init(&t, path, o, sc, len, off, prot, n))
		return;
	t.stub_rel = (int64_t)((unsigned long)stubs - addr);
	t.stub_off = UP(o->file.size);
	t.stub_len = stubs_len;
	write_copy(o, path, &t, addr, stubs, lo, hi, nruns);
}
