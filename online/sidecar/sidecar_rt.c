/* sidecar_rt.c - the runtime finds the sidecar of a mapped object by its build-id and keeps it only if it is valid and fresh.
 *
 * Runs at every library load, inside the program: no libc, no allocation but
 * the sidecar's own mapping, and a malformed object or sidecar is a status,
 * never a fault. The object is only ever read with pread: objects without a
 * sidecar cost a few small reads, and hashing reads through a buffer (see
 * check_object_hash for why not through a mapping).
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/stat.h>
#include <linux/elf.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/stat.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/sidecar/sidecar_rt.h"
#include "online/sidecar/sidecar_stamp.h"
#include "online/sidecar/sidecar_want.h"
#include "rt/hash64.h"
#include "rt/sidecar_check.h"

#define NT_GNU_BUILD_ID 3
#define PHDR_CHUNK 16		/* program headers read at a time */
#define NOTE_WINDOW 256		/* holds any build-id note a sidecar can name (<= 80 bytes) */

static int is_err(long r)
{
	return (unsigned long)r > -4096UL;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reads n bytes at off; returns how many were there (short at end of file) or -errno. */
static long pread_full(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		long r = k23_syscall4(__NR_pread64, fd, (long)((char *)buf + got), (long)(n - got),
				      (long)(off + got));

		if (r == -EINTR)
			continue;
		if (r < 0)
			return r;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (long)got;
}

/* The object being identified, with its first bytes read once: the ELF
 * header, the program headers and the notes usually all lie there, so
 * finding the build-id costs one pread, not four. */
#define OBJ_HEAD K23_RT_OBJ_HEAD
struct obj {
	int fd;
	size_t head_len;	/* bytes of head read (short for a short file) */
	const uint8_t *head;
};

/* Reads n bytes at off, from head when they lie there: how many were there
 * (short at end of file) or -errno. */
static long obj_read(const struct obj *o, void *buf, size_t n, uint64_t off)
{
	if (off <= o->head_len && n <= o->head_len - off) {
		k23_memcpy(buf, o->head + off, n);
		return (long)n;
	}
	return pread_full(o->fd, buf, n, off);
}

/* The GNU build-id among the notes of one PT_NOTE segment [off, off+size),
 * by the rules of k23_elf_build_id (common/elf_info.c), which named the
 * sidecar: 1 found, 0 none (or longer than a sidecar records), -1 malformed.
 * The notes are read through a small window, refilled at the note that does
 * not fit, so a large note segment costs no large buffer. */
static int notes_build_id(const struct obj *o, uint64_t off, uint64_t size, uint64_t align,
			  uint8_t *id, uint32_t *len)
{
	uint8_t w[NOTE_WINDOW];
	uint64_t pos = 0, at = 0, have = 0;	/* w holds the segment's [at, at + have) */

	while (size - pos >= 12) {
		uint32_t nsz, dsz, type;
		uint64_t name_end, desc_end, need;

		/* A build-id note (name and descriptor up to 64 bytes) must be whole in w. */
		need = pos + 12 + 4 + K23_SIDECAR_BUILD_ID_MAX;
		if (pos + 12 > at + have || (need > at + have && at + have < size)) {
			at = pos;
			have = size - pos < sizeof(w) ? size - pos : sizeof(w);
			if (obj_read(o, w, have, off + at) != (long)have)
				return -1;
		}
		nsz = le32(w + pos - at);
		dsz = le32(w + pos - at + 4);
		type = le32(w + pos - at + 8);
		name_end = (pos + 12 + nsz + align - 1) & ~(align - 1);
		desc_end = (name_end + dsz + align - 1) & ~(align - 1);
		if (name_end > size || name_end + dsz > size)
			return -1;
		if (type == NT_GNU_BUILD_ID && nsz == 4 && w[pos - at + 12] == 'G' &&
		    w[pos - at + 13] == 'N' && w[pos - at + 14] == 'U' && w[pos - at + 15] == 0) {
			if (dsz == 0 || dsz > K23_SIDECAR_BUILD_ID_MAX)
				return 0;
			k23_memcpy(id, w + name_end - at, dsz);
			*len = dsz;
			return 1;
		}
		pos = desc_end > size ? size : desc_end;
	}
	return 0;
}

/* The build-id of the object whose first bytes o holds: 1 found, 0 none,
 * -1 not ELF64 x86-64 or malformed. */
static int head_build_id(const struct obj *o, uint64_t fsize, uint8_t *id, uint32_t *len)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[PHDR_CHUNK];
	const unsigned char *e = eh.e_ident;

	if (o->head_len < sizeof(eh))
		return -1;
	k23_memcpy(&eh, o->head, sizeof(eh));
	if (e[0] != 0x7f || e[1] != 'E' || e[2] != 'L' || e[3] != 'F' || e[EI_CLASS] != ELFCLASS64 ||
	    e[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0xffff /* PN_XNUM */ ||
	    eh.e_phoff > fsize || (fsize - eh.e_phoff) / sizeof(Elf64_Phdr) < eh.e_phnum)
		return -1;
	for (unsigned i = 0; i < eh.e_phnum; i += PHDR_CHUNK) {
		unsigned k = eh.e_phnum - i < PHDR_CHUNK ? eh.e_phnum - i : PHDR_CHUNK;

		if (obj_read(o, ph, k * sizeof(*ph), eh.e_phoff + i * sizeof(*ph)) !=
		    (long)(k * sizeof(*ph)))
			return -1;
		for (unsigned j = 0; j < k; j++) {
			const Elf64_Phdr *p = &ph[j];
			int r;

			if (p->p_type != PT_NOTE)
				continue;
			if (p->p_offset > fsize || p->p_filesz > fsize - p->p_offset)
				return -1;
			/* 8-aligned note segments pad to 8 (.note.gnu.property). */
			r = notes_build_id(o, p->p_offset, p->p_filesz, p->p_align == 8 ? 8 : 4,
					   id, len);
			if (r != 0)
				return r;
		}
	}
	return 0;
}

int k23_rt_cache_path(char *path, size_t size, const uint8_t *id, uint32_t len, const char *suffix)
{
	size_t d = k23_strlen(k23_rt.cache_dir), s = k23_strlen(suffix);
	char *p = path + d;

	if (d + 1 + 2 * len + s + 1 > size)
		return -ENAMETOOLONG;
	k23_memcpy(path, k23_rt.cache_dir, d);
	*p++ = '/';
	for (uint32_t i = 0; i < len; i++) {
		*p++ = "0123456789abcdef"[id[i] >> 4];
		*p++ = "0123456789abcdef"[id[i] & 15];
	}
	k23_memcpy(p, suffix, s + 1);
	return 0;
}

/* Opens "<cache>/<hex build-id>.k23": the fd or -errno (-ENAMETOOLONG if
 * the path does not fit). Not inlined: its path buffer is gone before the
 * object is hashed, which keeps the runtime's stack use small. */
static __attribute__((noinline)) long open_sidecar(const uint8_t *id, uint32_t len)
{
	char path[4096];
	int r = k23_rt_cache_path(path, sizeof(path), id, len, K23_SIDECAR_SUFFIX);

	if (r)
		return r;
	/* Not blocking, not following a last symlink: a FIFO, a device or a
	 * link to one in the cache must not hang or feed the program's start;
	 * map_sidecar then takes only a regular file. */
	return k23_syscall4(__NR_openat, AT_FDCWD, (long)path,
			    O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW, 0);
}

/* Maps the sidecar open as fd read-only, populated: validation reads all of
 * it at once. k23 prepare replaces sidecars by rename, never truncates one
 * in place, so the mapping stays backed. A small one is read into small
 * instead (K23_RTSC_SMALL bytes). */
static int map_sidecar(long fd, void **map, size_t *len, struct k23_stamp_file *id, unsigned long hint,
		       void *small)
{
	struct stat st;
	long p;

	if (k23_syscall2(__NR_fstat, fd, (long)&st) < 0)
		return K23_RTSC_IO;
	if (!S_ISREG(st.st_mode))
		return K23_RTSC_CORRUPT; /* what k23 prepare writes is a regular file */
	if (st.st_size < (long)sizeof(struct k23_sidecar_header) ||
	    (unsigned long)st.st_size > K23_SIDECAR_MAX_SIZE)
		return K23_RTSC_CORRUPT;
	if (st.st_size <= K23_RTSC_SMALL) {
		if (pread_full((int)fd, small, (size_t)st.st_size, 0) != st.st_size)
			return K23_RTSC_IO;
		p = (long)small;
	} else {
		p = k23_syscall6(__NR_mmap, (long)hint, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (is_err(p))
			return K23_RTSC_IO;
	}
	*map = (void *)p;
	*len = (size_t)st.st_size;
	k23_file_id_of(id, &st);
	return K23_RTSC_OK;
}

/* Gives back what map_sidecar mapped. */
static void unmap_sidecar(const struct k23_rt_sidecar *sc, void *map, size_t len)
{
	if (map != (const void *)sc->small)
		k23_unmap(map, len);
}

/* Objects are hashed through a buffer filled by pread, not through a
 * mapping: where k23 was measured (a VM), the first touch of each page of a
 * fresh file mapping costs about 1 us even with MAP_POPULATE, so hashing
 * libc (2 MB) mapped took 0.2-0.5 ms against 0.17 ms read through 128 KiB.
 * The buffer is mapped for the one hash and populated by the kernel in the
 * same call (a page fault from user mode costs ~10 us there): a static
 * buffer would cost every process 128 KiB of address space for good, which
 * counts against `ulimit -v` (docs/architecture.md, "Address space"), and
 * a sidecar's object is hashed only once as long as it does not change
 * (sidecar_stamp.c). If the mapping is refused (a tight limit), the hash
 * reads through a small buffer on the stack instead: slower, never wrong. */
#define HASH_BUF (128u << 10)
#define HASH_BUF_SMALL 2048u

/* Hashes the file's first size bytes through buf (bsize a multiple of 32)
 * into *hash: K23_RTSC_OK, _STALE when the file is shorter, _IO when a
 * read fails. */
static int hash_file(int fd, uint64_t size, uint64_t *hash, uint8_t *buf, size_t bsize)
{
	struct k23_hash64_state s;
	uint64_t off = 0;

	k23_hash64_init(&s);
	for (;;) {
		size_t n = size - off < bsize ? (size_t)(size - off) : bsize;
		long got = pread_full(fd, buf, n, off);

		if (got < 0)
			return K23_RTSC_IO;
		if ((size_t)got != n)
			return K23_RTSC_STALE;
		off += n;
		if (off == size) {
			*hash = k23_hash64_finish(&s, buf, n);
			return K23_RTSC_OK;
		}
		k23_hash64_stripes(&s, buf, n);
	}
}

int k23_rt_file_hash(int fd, uint64_t size, uint64_t *hash)
{
	uint8_t small[HASH_BUF_SMALL] __attribute__((aligned(32)));
	size_t bsize = size < HASH_BUF ? (size_t)((size + 4095) & ~4095UL) : HASH_BUF;
	long p = k23_syscall6(__NR_mmap, 0, (long)bsize, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	int rc;

	if (is_err(p))
		return hash_file(fd, size, hash, small, sizeof(small));
	rc = hash_file(fd, size, hash, (uint8_t *)p, bsize);
	k23_unmap((void *)p, bsize);
	return rc;
}

/* K23_RTSC_OK when the object's first size bytes hash to hash, _STALE when
 * not (or the file shrank), _IO when a read fails. */
static __attribute__((noinline)) int check_object_hash(int fd, uint64_t size, uint64_t hash)
{
	uint64_t got = 0;
	int rc = k23_rt_file_hash(fd, size, &got);

	return rc != K23_RTSC_OK ? rc : got == hash ? K23_RTSC_OK : K23_RTSC_STALE;
}

static int same_build_id(const struct k23_sidecar_header *h, const uint8_t *id, uint32_t len)
{
	if (h->build_id_len != len)
		return 0;
	for (uint32_t i = 0; i < len; i++)
		if (h->build_id[i] != id[i])
			return 0;
	return 1;
}

void k23_file_id_of(struct k23_stamp_file *f, const struct stat *st)
{
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->size = (uint64_t)st->st_size;
	f->mtime = st->st_mtime;
	f->mtime_ns = st->st_mtime_nsec;
	f->ctime = st->st_ctime;
	f->ctime_ns = st->st_ctime_nsec;
}

/* The object's identity by fstat; K23_RTSC_OK when it is a regular file. */
static int identity(int obj_fd, struct k23_rt_object *o, struct stat *st)
{
	k23_memset(o, 0, sizeof(*o));
	o->fd = obj_fd;
	if (!k23_rt.cache_dir[0])
		return K23_RTSC_NO_CACHE;
	if (k23_syscall2(__NR_fstat, obj_fd, (long)st) < 0)
		return K23_RTSC_IO;
	if (!S_ISREG(st->st_mode))
		return K23_RTSC_NO_BUILD_ID;
	k23_file_id_of(&o->file, st);
	return K23_RTSC_OK;
}

/* The build-id from the object's first bytes h, into o. */
static int identified(struct k23_rt_object *o, const struct obj *h, const struct stat *st)
{
	if (head_build_id(h, (uint64_t)st->st_size, o->id, &o->idlen) > 0)
		return K23_RTSC_OK;
	k23_memset(&o->file, 0, sizeof(o->file));
	return K23_RTSC_NO_BUILD_ID;
}

int k23_rt_object_identify_head(int obj_fd, struct k23_rt_object *o, uint8_t *head, size_t size,
				size_t *head_len)
{
	struct stat st;
	struct obj h = { .fd = obj_fd, .head = head };
	int rc = identity(obj_fd, o, &st);
	long n;

	*head_len = 0;
	if (rc != K23_RTSC_OK)
		return rc;
	n = pread_full(obj_fd, head, size, 0);
	h.head_len = *head_len = n > 0 ? (size_t)n : 0;
	return identified(o, &h, &st);
}

int k23_rt_object_identify(int obj_fd, struct k23_rt_object *o)
{
	uint8_t head[OBJ_HEAD];
	size_t n;

	return k23_rt_object_identify_head(obj_fd, o, head, sizeof(head), &n);
}

int k23_rt_object_identify_read(int obj_fd, struct k23_rt_object *o, const struct k23_stamp_file *read_as,
				const void *head, size_t head_len)
{
	struct stat st;
	struct obj h = { .fd = obj_fd, .head = head, .head_len = head_len };
	int rc = identity(obj_fd, o, &st);

	if (rc != K23_RTSC_OK)
		return rc;
	/* The bytes read earlier are the file's as long as it is the same
	 * file, unwritten since (a write changes the ctime). */
	if (!read_as || !head || !k23_memeq(read_as, &o->file, sizeof(*read_as)))
		return k23_rt_object_identify(obj_fd, o);
	return identified(o, &h, &st);
}

int k23_rt_object_identify_as(int obj_fd, struct k23_rt_object *o, const struct k23_stamp_file *f,
			      const void *head, size_t head_len)
{
	struct obj h = { .fd = obj_fd, .head = head, .head_len = head_len };

	k23_memset(o, 0, sizeof(*o));
	o->fd = obj_fd;
	if (!k23_rt.cache_dir[0])
		return K23_RTSC_NO_CACHE;
	if (head_build_id(&h, f->size, o->id, &o->idlen) <= 0)
		return K23_RTSC_NO_BUILD_ID;
	o->file = *f;
	return K23_RTSC_OK;
}

int k23_rt_sidecar_open_object(const struct k23_rt_object *o, struct k23_rt_sidecar *out,
				unsigned long hint)
{
	const struct k23_sidecar_header *h;
	void *map = NULL;
	size_t len = 0;
	long fd;
	int rc;

	/* closing it after a failure is harmless; small is written before read */
	k23_memset(out, 0, sizeof(*out) - sizeof(out->small));
	fd = open_sidecar(o->id, o->idlen);
	if (fd < 0) {
		rc = fd == -ENOENT ? K23_RTSC_MISSING : fd == -ELOOP ? K23_RTSC_CORRUPT : K23_RTSC_IO;
		goto fail;
	}
	rc = map_sidecar(fd, &map, &len, &out->file, hint, out->small);
	k23_syscall1(__NR_close, fd);
	if (rc != K23_RTSC_OK)
		goto fail;
	h = map;
	/* Cheapest first: the object is hashed only when all else fits. */
	if (k23_sidecar_validate(map, len))
		rc = K23_RTSC_CORRUPT;
	else if (!same_build_id(h, o->id, o->idlen) || h->object_size != o->file.size)
		rc = K23_RTSC_STALE;
	else if (k23_stamp_matches(o->id, o->idlen, &o->file, h->object_hash))
		rc = K23_RTSC_OK; /* hashed before, and the file has not changed since */
	else if ((rc = check_object_hash(o->fd, h->object_size, h->object_hash)) == K23_RTSC_OK)
		k23_stamp_write(o->id, o->idlen, &o->file, h->object_hash);
	if (rc != K23_RTSC_OK) {
		unmap_sidecar(out, map, len);
		goto fail;
	}
	out->hdr = h;
	out->sites = (const void *)((const uint8_t *)map + h->sites_off);
	out->nsites = h->nsites;
	out->map = map;
	out->map_len = len;
	return K23_RTSC_OK;
fail:
	/* for k23 run's next preparer (cli/autoprep.c) */
	if (rc == K23_RTSC_MISSING || rc == K23_RTSC_STALE || rc == K23_RTSC_CORRUPT)
		k23_want_mark(o->id, o->idlen, o->fd);
	return rc;
}

int k23_rt_sidecar_open(int obj_fd, struct k23_rt_sidecar *out)
{
	struct k23_rt_object o;
	int rc = k23_rt_object_identify(obj_fd, &o);

	if (rc != K23_RTSC_OK) {
		k23_memset(out, 0, sizeof(*out) - sizeof(out->small));
		return rc;
	}
	return k23_rt_sidecar_open_object(&o, out, 0);
}

void k23_rt_sidecar_close(struct k23_rt_sidecar *sc)
{
	unmap_sidecar(sc, sc->map, sc->map_len);
	k23_memset(sc, 0, sizeof(*sc) - sizeof(sc->small));
}

const char *k23_rt_sidecar_strerror(int status)
{
	switch (status) {
	case K23_RTSC_OK: return "sidecar ok";
	case K23_RTSC_NO_CACHE: return "no sidecar cache";
	case K23_RTSC_NO_BUILD_ID: return "object has no usable build-id";
	case K23_RTSC_MISSING: return "no sidecar";
	case K23_RTSC_STALE: return "stale sidecar";
	case K23_RTSC_CORRUPT: return "corrupt sidecar";
	case K23_RTSC_IO: return "cannot read sidecar";
	default: return "unknown sidecar status";
	}
}
