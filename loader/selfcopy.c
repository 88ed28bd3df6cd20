/* selfcopy.c - k23's image leaves its file, so the kernel's exe link can name the program.
 *
 * Started by the launcher (build/k23, loader/launcher.h), the executed file
 * is the launcher, of which nothing is mapped any more: all that is left to
 * do here is to keep the writable segment's file bytes, read from k23-core.
 * The rest of this file is for k23-core executed itself (run directly, or
 * rebuilt from memory by online/process/reexec.c):
 *
 * The kernel records the file it executed (k23) as the process's exe link:
 * /proc/PID/exe as every process sees it, the file whose writes fail with
 * ETXTBSY, what /proc/self/exe opens. PR_SET_MM_MAP can point the link at
 * another file, but the kernel refuses (EBUSY) while any mapping of the old
 * one remains, and it compares paths, not inodes. So every mapping of k23's
 * file is replaced, at the same address and with the same protection (the
 * seccomp filter and SUD know k23 by its addresses), by
 *
 *   - read-only and executable ranges: the same bytes mapped from a copy of
 *     k23's loadable part kept in the sidecar cache (".k23-image"), made
 *     once per k23 binary; mapping page-cache pages costs no copying. Fresh
 *     memory is what start-up cannot afford: on the reference VM the first
 *     write to a new page costs about 2 µs, and k23's image has ~75 pages;
 *   - writable ranges, and every range when there is no usable copy: a
 *     fresh anonymous copy, moved over the original with mremap.
 *
 * The code doing this runs on pages it replaces; they hold the same bytes
 * before and after each call. Only done where the kernel will let the link
 * move: PR_SET_MM_MAP with exe_fd needs CAP_CHECKPOINT_RESTORE or
 * CAP_SYS_ADMIN. Before, the file bytes of k23's writable segment are kept
 * aside (k23_rt.pristine): the runtime rebuilds k23's file from memory when
 * it cannot reopen it at the program's next execve (online/process/reexec.c).
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <elf.h>
#include "online/core/rt.h"
#include "launcher.h"
#include "selfcopy.h"

#ifndef CAP_CHECKPOINT_RESTORE
#define CAP_CHECKPOINT_RESTORE 40
#endif
#define PAGE_UP(x) (((x) + 4095UL) & ~4095UL)

/* Buffers of start-up work live in a mapping of their own, never on the
 * stack: k23 starts under `ulimit -s 32` as the program would. */
#define SCRATCH 65536

static char *scratch_map(void)
{
	void *p = mmap(NULL, SCRATCH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Asked twice per start (k23 run, the loader); the answer cannot change in
 * between (nothing before the program's first instruction drops
 * capabilities). */
int k23_selfcopy_allowed(void)
{
	static int known = -1;
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (known >= 0)
		return known;
	if (syscall(SYS_capget, &h, d) != 0)
		return known = 0;
	known = (d[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32))) ||
		(d[CAP_CHECKPOINT_RESTORE / 32].effective & (1u << (CAP_CHECKPOINT_RESTORE % 32)));
	return known;
}

struct self {
	unsigned long lo, hi;	/* span of k23's PT_LOAD segments */
	unsigned long file_end;	/* end of the loadable bytes in k23's file */
	int image_fd;		/* the cached copy, or -1 */
};

/* One range becomes anonymous: same bytes, same protection. The copy is
 * populated by the kernel in the mmap (a user page fault per page costs
 * ~15 us on the reference VM). */
static int copy_anon(unsigned long start, unsigned long end, int prot)
{
	size_t len = end - start;
	void *a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		       -1, 0);

	if (a == MAP_FAILED)
		return -errno;
	memcpy(a, (void *)start, len);
	if ((prot != (PROT_READ | PROT_WRITE) && mprotect(a, len, prot) != 0) ||
	    syscall(SYS_mremap, a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, start) != (long)start) {
		int e = errno;

		munmap(a, len);
		return -e;
	}
	return 0;
}

/* Populated in the mmap: k23 runs on these pages right after, and all its
 * earlier faults on the old mapping would otherwise be taken again. */
static int replace(const struct self *s, unsigned long start, unsigned long end, int prot,
		   unsigned long off)
{
	/* A cache on a noexec mount refuses PROT_EXEC: then a copy it is. */
	if (s->image_fd < 0 || (prot & PROT_WRITE) || off + (end - start) > PAGE_UP(s->file_end) ||
	    mmap((void *)start, end - start, prot, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE,
		 s->image_fd, (off_t)off) != (void *)start)
		return copy_anon(start, end, prot);
	return 0;
}

/* k23's file mappings are what the kernel's ELF loader made of its PT_LOAD
 * segments: from each segment's first page to the page holding its last
 * file byte, at the segment's page-aligned offset; the bss beyond is
 * anonymous already. Taken from the program headers rather than from
 * /proc/self/maps (whose reading cost ~60 us of every start): k23 is a
 * static, non-PIE musl binary whose start-up applies no RELRO
 * protection, so nothing has split or changed these mappings. */
static int replace_own_mappings(const struct self *s)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long phnum = getauxval(AT_PHNUM);
	int err = 0;

	for (unsigned long i = 0; !err && ph && i < phnum; i++) {
		unsigned long start = ph[i].p_vaddr & ~4095UL;
		unsigned long end = PAGE_UP(ph[i].p_vaddr + ph[i].p_filesz);

		if (ph[i].p_type != PT_LOAD || end <= start)
			continue;
		err = replace(s, start, end,
			      (ph[i].p_flags & PF_R ? PROT_READ : 0) | (ph[i].p_flags & PF_W ? PROT_WRITE : 0) |
				      (ph[i].p_flags & PF_X ? PROT_EXEC : 0),
			      ph[i].p_offset & ~4095UL);
	}
	return err;
}

/* Room for the pristine bytes in memory the loader maps anyway (stack.c). */
static void *pristine_room;
static size_t pristine_room_len;

/* The writable segment's program header, or NULL. */
static const Elf64_Phdr *own_data(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long phnum = getauxval(AT_PHNUM);

	for (unsigned long i = 0; ph && i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_W))
			return &ph[i];
	return NULL;
}

size_t k23_pristine_size(void)
{
	const Elf64_Phdr *p = own_data();

	if (k23_launched_core_fd() >= 0)
		return 0; /* mapped from k23-core instead (keep_pristine) */
	return p ? (size_t)p->p_filesz : 0;
}

void k23_pristine_room(void *room, size_t len)
{
	pristine_room = room;
	pristine_room_len = len;
}

/* The file bytes of the writable segment, as the next image must start
 * with them. Started by the launcher, k23-core's own pages: a read-only
 * mapping of them, which stays valid if the file is deleted or renamed
 * over, as the text mapped from it does; nothing is read or copied (a
 * fresh page written costs ~5 us on the reference VM, and these are read
 * only when k23's file is gone, docs/benchmarks.md). Executed itself (the
 * mappings of k23's file are replaced, none may stay): copied, into the
 * room the loader set aside where it did (one mmap fewer per start), else
 * into a mapping of their own. */
static int keep_pristine(int self_fd, const Elf64_Phdr *p)
{
	size_t len = PAGE_UP(p->p_filesz);
	void *a = pristine_room;

	if (!len)
		return 0;
	if (k23_launched_core_fd() == self_fd) {
		unsigned long in = p->p_offset & 4095UL;

		a = mmap(NULL, PAGE_UP(in + p->p_filesz), PROT_READ, MAP_PRIVATE, self_fd,
			 (off_t)(p->p_offset - in));
		if (a == MAP_FAILED)
			return -errno;
		k23_rt.pristine = (const char *)a + in;
		k23_rt.pristine_off = p->p_offset;
		k23_rt.pristine_len = p->p_filesz;
		return 0;
	}
	if (!a || pristine_room_len < p->p_filesz) {
		a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
			 -1, 0);
		if (a == MAP_FAILED)
			return -errno;
	} else {
		len = 0; /* the loader's, never unmapped */
	}
	if (pread(self_fd, a, p->p_filesz, (off_t)p->p_offset) != (ssize_t)p->p_filesz) {
		if (len)
			munmap(a, len);
		return -EIO;
	}
	k23_rt.pristine = a;
	k23_rt.pristine_off = p->p_offset;
	k23_rt.pristine_len = p->p_filesz;
	return 0;
}

static int scan_self(struct self *s, int self_fd)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long phnum = getauxval(AT_PHNUM);
	int r = 0;

	s->lo = ~0UL, s->hi = 0, s->file_end = 0;
	for (unsigned long i = 0; !r && ph && i < phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((ph[i].p_vaddr & ~4095UL) < s->lo)
			s->lo = ph[i].p_vaddr & ~4095UL;
		if (PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz) > s->hi)
			s->hi = PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz);
		if (ph[i].p_offset + ph[i].p_filesz > s->file_end)
			s->file_end = ph[i].p_offset + ph[i].p_filesz;
		if (ph[i].p_flags & PF_W)
			r = keep_pristine(self_fd, &ph[i]);
	}
	return r ? r : s->hi ? 0 : -ENOEXEC;
}

/* Which k23 binary a copy was made of: a trailer after its loadable bytes. */
struct stamp {
	char magic[8];		/* "K23IMG1\0" */
	uint64_t dev, ino, size, mtime_sec, mtime_nsec, len;
};

static void stamp_of(struct stamp *t, const struct stat *st, size_t len)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->magic, "K23IMG1", 8);
	t->dev = st->st_dev;
	t->ino = st->st_ino;
	t->size = (uint64_t)st->st_size;
	t->mtime_sec = (uint64_t)st->st_mtim.tv_sec;
	t->mtime_nsec = (uint64_t)st->st_mtim.tv_nsec;
	t->len = len;
}

/* Writes the loadable part of k23's file and its stamp at path, atomically
 * replacing the copy of an earlier k23 binary (mappings of that one stay
 * valid). Only calls a policy must leave k23 anyway (policy/needs.c): no
 * sendfile, unlink or mkdir (without a cache directory there is no copy). */
static int make_image(int self_fd, const char *path, size_t len, const struct stamp *t)
{
	char tmp[4200], *buf;
	size_t off = 0;
	int w, ok = 1;

	if (snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, getpid()) >= (int)sizeof(tmp))
		return -1;
	buf = scratch_map();
	if (!buf)
		return -1;
	w = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
	if (w < 0) {
		munmap(buf, SCRATCH);
		return -1;
	}
	while (ok && off < len) {
		size_t n = len - off < SCRATCH ? len - off : SCRATCH;

		ok = pread(self_fd, buf, n, (off_t)off) == (ssize_t)n && write(w, buf, n) == (ssize_t)n;
		off += n;
	}
	munmap(buf, SCRATCH);
	ok = ok && write(w, t, sizeof(*t)) == (ssize_t)sizeof(*t);
	close(w);
	/* A failed copy goes in place too, rather than littering: without its
	 * stamp it never fits, and the next start replaces it. */
	if (syscall(SYS_renameat, AT_FDCWD, tmp, AT_FDCWD, path) != 0)
		return -1;
	return ok ? 0 : -1;
}

/* The copy is usable: made by this user, writable by nobody (code k23 will
 * run; the sidecar cache is the user's own), and of this k23 binary. */
static int image_fits(int fd, const struct stamp *want)
{
	struct stamp got;
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	       !(st.st_mode & 0222) && st.st_size == (off_t)(want->len + sizeof(got)) &&
	       pread(fd, &got, sizeof(got), (off_t)want->len) == (ssize_t)sizeof(got) &&
	       !memcmp(&got, want, sizeof(got));
}

/* The copy of k23's loadable bytes kept in the sidecar cache, made on the
 * first start of this k23 binary. One name: a new binary replaces the copy
 * of the one before, so copies do not pile up. */
static int open_image(const struct self *s, int self_fd)
{
	char path[4200];
	struct stamp want;
	struct stat st;
	int fd;

	if (!k23_rt.cache_dir[0] || fstat(self_fd, &st) != 0 ||
	    snprintf(path, sizeof(path), "%s/.k23-image", k23_rt.cache_dir) >= (int)sizeof(path))
		return -1;
	stamp_of(&want, &st, s->file_end);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !image_fits(fd, &want)) {
		close(fd);
		fd = -1;
	}
	/* --prepare=never: nothing is written; the pages are copied instead */
	if (fd < 0 && k23_rt.cache_write && make_image(self_fd, path, s->file_end, &want) == 0) {
		fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && !image_fits(fd, &want)) {
			close(fd);
			fd = -1;
		}
	}
	return fd;
}

int k23_selfcopy(void)
{
	struct self s;
	int fd = k23_launched_core_fd(), r;

	/* Started by the launcher: nothing maps the executed file any more,
	 * and the writable segment's bytes come from k23-core. */
	if (fd >= 0)
		return scan_self(&s, fd);
	fd = openat(AT_FDCWD, "/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = scan_self(&s, fd);
	s.image_fd = r ? -1 : open_image(&s, fd);
	close(fd);
	if (!r)
		r = replace_own_mappings(&s);
	if (s.image_fd >= 0)
		close(s.image_fd);
	return r;
}
