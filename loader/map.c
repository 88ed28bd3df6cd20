/* map.c - mapping PT_LOAD segments: reserve the whole span, map each segment, zero the bss.
 *
 * A position-independent object first gets one PROT_NONE reservation as large
 * as its span (aligned to its largest p_align), so segments can be placed with
 * MAP_FIXED inside memory k23 owns. A fixed-address executable reserves its
 * span with MAP_FIXED_NOREPLACE, so a clash with k23's own image is an error
 * rather than silent corruption.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "log.h"
#include "map.h"
#include "online/core/rt.h"
#include "online/patch/patch.h"
#include "online/core/prefault.h"

#define PAGE 4096UL
#define DOWN(x) ((x) & ~(PAGE - 1))
#define UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))

static int prot_of(uint32_t f)
{
	return ((f & PF_R) ? PROT_READ : 0) | ((f & PF_W) ? PROT_WRITE : 0) |
	       ((f & PF_X) ? PROT_EXEC : 0);
}

static void span(const struct k23_elf *e, unsigned long *lo, unsigned long *hi,
		 unsigned long *align)
{
	*lo = ~0UL, *hi = 0, *align = PAGE;
	for (unsigned i = 0; i < e->phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (DOWN(p->p_vaddr) < *lo)
			*lo = DOWN(p->p_vaddr);
		if (UP(p->p_vaddr + p->p_memsz) > *hi)
			*hi = UP(p->p_vaddr + p->p_memsz);
		if (p->p_align > *align && p->p_align <= (1UL << 30) &&
		    !(p->p_align & (p->p_align - 1)))
			*align = p->p_align;
	}
}

/* Where the image goes: for ET_DYN, a fresh aligned reservation. */
static int reserve(const struct k23_elf *e, const char *path, unsigned long lo,
		   unsigned long hi, unsigned long align, unsigned long *bias)
{
	unsigned long size = hi - lo, start;
	void *p;

	if (e->eh.e_type == ET_EXEC) {
		*bias = 0;
		p = mmap((void *)lo, size, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED || (unsigned long)p != lo)
			return k23_fail(126, "%s: cannot map at its fixed address %#lx: %s", path, lo,
					p == MAP_FAILED ? strerror(errno) : "range in use");
		return 0;
	}
	/* Page alignment is every mapping's: no room to trim (one munmap
	 * fewer per object). */
	if (align <= PAGE)
		align = 0;
	p = mmap(NULL, size + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return k23_fail(126, "%s: cannot reserve %lu bytes: %s", path, size, strerror(errno));
	if (!align) {
		*bias = (unsigned long)p - lo;
		return 0;
	}
	start = ((unsigned long)p + align - 1) & ~(align - 1);
	if (start > (unsigned long)p)
		munmap(p, start - (unsigned long)p);
	if ((unsigned long)p + size + align > start + size)
		munmap((void *)(start + size), (unsigned long)p + size + align - (start + size));
	*bias = start - lo;
	return 0;
}

/* What k23_elf_read kept of the object (elf_file.h), for patching. */
static void loaded_object(struct k23_loaded_object *l, const struct k23_elf *e)
{
	*l = (struct k23_loaded_object){
		.file = {
			(uint64_t)e->st.st_dev, (uint64_t)e->st.st_ino, (uint64_t)e->st.st_size,
			(uint64_t)e->st.st_mtim.tv_sec, (uint64_t)e->st.st_mtim.tv_nsec,
			(uint64_t)e->st.st_ctim.tv_sec, (uint64_t)e->st.st_ctim.tv_nsec,
		},
		.head = e->head,
		.head_len = e->head_len,
		.ph = e->ph,
		.phnum = e->phnum,
	};
}

/* An executable segment is patched before anything runs it, as for
 * libraries ld.so maps: k23's patched copy of it (prepatched.c) is mapped
 * in its place where there is a usable one, else the segment is mapped and
 * patched in place. Only a segment without a bss tail to clear qualifies
 * (text: the copy's pages are mapped as they are). */
static int patches(const Elf64_Phdr *p)
{
	return (p->p_flags & PF_X) && k23_rt.patch != K23_PATCH_OFF && k23_rt.cache_dir[0];
}

/* Small segments are populated in their mmap, as the kernel's exec cannot
 * (online/core/prefault.h). */
static int populate(unsigned long len, int prot)
{
	return k23_prefault_worth(len, (unsigned long)prot, MAP_PRIVATE) ? MAP_POPULATE : 0;
}

static int map_segment(int fd, const char *path, const struct k23_elf *e, const Elf64_Phdr *p,
		       unsigned long bias)
{
	unsigned long start = DOWN(bias + p->p_vaddr);
	unsigned long file_end = bias + p->p_vaddr + p->p_filesz;
	unsigned long mem_end = UP(bias + p->p_vaddr + p->p_memsz);
	int prot = prot_of(p->p_flags), code = patches(p), tried = 0;
	struct k23_loaded_object l;

	if (code)
		loaded_object(&l, e);
	if (p->p_filesz) {
		unsigned long len = UP(file_end) - start;
		void *m;

		if (code && p->p_memsz == p->p_filesz && S_ISREG(e->st.st_mode)) {
			int r = k23_patch_premap(fd, &l, start, len, DOWN(p->p_offset), prot);

			if (r == 1)
				goto bss;
			tried = 1;
			code = !r; /* a marker: nothing to patch */
		}
		m = mmap((void *)start, len, prot | (p->p_memsz > p->p_filesz ? PROT_WRITE : 0),
			 MAP_PRIVATE | MAP_FIXED | populate(len, prot), fd, (off_t)DOWN(p->p_offset));
		if (m == MAP_FAILED || (unsigned long)m != start)
			return k23_fail(126, "%s: cannot map segment at %#lx: %s", path, start,
					m == MAP_FAILED ? strerror(errno) : "address in use");
		/* The tail of the last file page belongs to the bss. */
		if (p->p_memsz > p->p_filesz) {
			memset((void *)file_end, 0, UP(file_end) - file_end);
			if (!(prot & PROT_WRITE))
				mprotect((void *)start, len, prot);
		}
		if (code)
			k23_patch_region(fd, &l, start, len, DOWN(p->p_offset), prot, tried);
	}
bss:
	if (p->p_filesz)
		start = UP(file_end);
	if (mem_end > start) {
		void *m = mmap((void *)start, mem_end - start, prot,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | populate(mem_end - start, prot),
			       -1, 0);

		if (m == MAP_FAILED || (unsigned long)m != start)
			return k23_fail(126, "%s: cannot map bss at %#lx: %s", path, start,
					m == MAP_FAILED ? strerror(errno) : "address in use");
	}
	return 0;
}

/* AT_PHDR: the program headers as mapped (inside the segment holding them). */
static unsigned long phdr_addr(const struct k23_elf *e, unsigned long bias)
{
	for (unsigned i = 0; i < e->phnum; i++)
		if (e->ph[i].p_type == PT_PHDR)
			return bias + e->ph[i].p_vaddr;
	for (unsigned i = 0; i < e->phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type == PT_LOAD && e->eh.e_phoff >= p->p_offset &&
		    e->eh.e_phoff + e->phnum * sizeof(Elf64_Phdr) <= p->p_offset + p->p_filesz)
			return bias + p->p_vaddr + (e->eh.e_phoff - p->p_offset);
	}
	return 0;
}

int k23_map_elf(int fd, const char *path, const struct k23_elf *e, struct k23_image *img)
{
	unsigned long lo, hi, align, bias;
	int r;

	span(e, &lo, &hi, &align);
	r = reserve(e, path, lo, hi, align, &bias);
	if (r)
		return r;
	for (unsigned i = 0; i < e->phnum; i++) {
		if (e->ph[i].p_type != PT_LOAD)
			continue;
		r = map_segment(fd, path, e, &e->ph[i], bias);
		if (r)
			return r;
	}
	img->bias = bias;
	img->entry = bias + e->eh.e_entry;
	img->phdr = phdr_addr(e, bias);
	img->phnum = e->phnum;
	img->lo = bias + lo;
	img->hi = bias + hi;
	return 0;
}
