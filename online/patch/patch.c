/* patch.c - patching the sites a sidecar plans, in code just mapped.
 *
 * Called right after the mmap that creates an executable file mapping
 * (ld.so loading a library, dlopen included) or by k23's loader for the
 * program and its interpreter: no thread can be executing the new mapping
 * yet, so the windows are written plainly - made writable, written, given
 * back their protection - before the mapping's address is returned to
 * anyone. Each site is checked against the sidecar's bytes first; a
 * mismatch leaves it to the catch-all.
 *
 * Only private mappings are ever written. A write to a MAP_SHARED mapping
 * (a JIT cache file, a code file the program maintains, memfd or shm) goes
 * to the file itself: it would change the file on disk and every other
 * mapping of it, in this process and others, where the jump leads to a
 * stub that does not exist there. The mmap's flags say which it is; a
 * shared mapping's sites are left to the catch-all and counted.
 *
 * A private mapping patched once is kept in the sidecar cache, stubs
 * included, and later starts map that copy instead of patching again
 * (prepatched.c); this file's in-place patching is what writes it, and
 * what runs whenever there is no usable copy.
 */
#include <asm/unistd.h>
#include <linux/mman.h>
#include <linux/elf.h>
#include "k23/sidecar.h"
#include "online/arch/x86_64/patch_layout.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/sidecar/sidecar_rt.h"
#include "online/patch/stub.h"
#include "online/patch/patch.h"
#include "online/patch/prepatched.h"

#define MAX_PHDRS 64
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23	/* Linux 5.14; older kernels refuse it, harmlessly */
#endif

int k23_maps_code(const struct k23_call *c)
{
	return c->nr == __NR_mmap && (c->args[2] & PROT_EXEC) && !(c->args[3] & MAP_ANONYMOUS) &&
	       (int)c->args[4] >= 0 && k23_rt.patch != K23_PATCH_OFF && k23_rt.cache_dir[0];
}


/* n bytes of the object at off: from its first bytes (head, len of them)
 * where they lie there, else read. 0 or -1. */
static int head_read(int fd, const uint8_t *head, unsigned long len, void *buf, unsigned long n,
		     unsigned long off)
{
	if (off <= len && n <= len - off) {
		k23_memcpy(buf, head + off, n);
		return 0;
	}
	return k23_syscall4(__NR_pread64, fd, (long)buf, (long)n, (long)off) == (long)n ? 0 : -1;
}

/* The object's executable PT_LOADs, to turn link-time addresses into file
 * offsets; head holds its first len bytes, read when it was identified. */
static int read_phdrs(int fd, const uint8_t *head, unsigned long len, struct elf64_phdr *ph)
{
	struct elf64_hdr eh;

	if (head_read(fd, head, len, &eh, sizeof(eh), 0) || eh.e_phentsize != sizeof(*ph) ||
	    eh.e_phnum == 0 || eh.e_phnum > MAX_PHDRS ||
	    head_read(fd, head, len, ph, (unsigned long)eh.e_phnum * sizeof(*ph), eh.e_phoff))
		return -1;
	return eh.e_phnum;
}

/* File offset of [vaddr, vaddr+len) if one executable segment holds it in
 * its file bytes; -1 otherwise. */
static long file_offset(const struct elf64_phdr *ph, int n, uint64_t vaddr, unsigned len)
{
	for (int i = 0; i < n; i++) {
		const struct elf64_phdr *p = &ph[i];

		if (p->p_type == PT_LOAD && (p->p_flags & PF_X) && vaddr >= p->p_vaddr &&
		    vaddr + len <= p->p_vaddr + p->p_filesz)
			return (long)(vaddr - p->p_vaddr + p->p_offset);
	}
	return -1;
}

/* One site of the sidecar in this mapping: its window's run-time address, or 0. */
static unsigned long placed(const struct k23_sidecar_site *s, const struct elf64_phdr *ph, int n,
			    unsigned long addr, unsigned long len, unsigned long off)
{
	long fo = file_offset(ph, n, s->patch_vaddr, s->patch_len);

	if (fo < 0 || (unsigned long)fo < off || (unsigned long)fo + s->patch_len > off + len)
		return 0;
	return addr + ((unsigned long)fo - off);
}

static void window_of(struct k23_window *w, const struct k23_sidecar_site *s, unsigned long at)
{
	w->addr = at;
	w->bytes = s->orig;
	w->len = s->patch_len;
	w->ninsns = s->ninsns;
	w->site_index = s->site_index;
	w->insn_len = s->insn_len;
	w->disp_offset = s->disp_offset;
	w->rip_relative_mask = s->rip_relative_mask;
	w->fallback_to_site = 0;
}

/* The runs of pages holding windows, for the copy kept in the cache. */
#define MAX_RUNS 128
struct runs {
	unsigned long lo[MAX_RUNS], hi[MAX_RUNS];
	unsigned n;
};

static void add_run(struct runs *r, unsigned long lo, unsigned long hi)
{
	if (r->n == MAX_RUNS) {
		r->hi[r->n - 1] = hi; /* the pages between are the file's: copied as they are */
		return;
	}
	r->lo[r->n] = lo, r->hi[r->n] = hi, r->n++;
}

/* Copies the pages holding planned windows before anything reads them: a
 * page first read, then written, costs a TLB flush on the copy-on-write,
 * which dominated start-up on virtual machines (2.6 us per page). Only
 * those pages: libc's 515 windows lie on 60 of the 300 pages they span. */
static void populate_windows(const struct k23_rt_sidecar *sc, const struct elf64_phdr *ph, int n,
			     unsigned long addr, unsigned long len, unsigned long off,
			     struct runs *runs)
{
	unsigned long run_lo = 0, run_hi = 0;

	for (uint32_t i = 0; i <= sc->nsites; i++) {
		const struct k23_sidecar_site *s = i < sc->nsites ? &sc->sites[i] : 0;
		unsigned long at = 0, lo, hi;

		if (s && s->verify == K23_SC_VERIFIED && s->strategy == K23_SC_PLAN_JMP_STUB)
			at = placed(s, ph, n, addr, len, off);
		if (s && !at)
			continue;
		lo = at & ~4095UL;
		hi = (at + (s ? s->patch_len : 0) + 4095) & ~4095UL;
		if (s && run_hi && lo <= run_hi) {
			run_hi = hi > run_hi ? hi : run_hi; /* sites are sorted: extend the run */
			continue;
		}
		if (run_hi) {
			k23_syscall3(__NR_madvise, (long)run_lo, (long)(run_hi - run_lo),
				     MADV_POPULATE_WRITE);
			add_run(runs, run_lo, run_hi);
		}
		run_lo = lo, run_hi = hi;
	}
}

/* Writes the jump (or page0's call) over each checked window. */
static unsigned long write_sites(const struct k23_rt_sidecar *sc, const struct elf64_phdr *ph, int n,
				 unsigned long addr, unsigned long len, unsigned long off,
				 uint8_t *space, unsigned long nslots)
{
	unsigned long done = 0, slot = 0;

	for (uint32_t i = 0; i < sc->nsites; i++) {
		const struct k23_sidecar_site *s = &sc->sites[i];
		unsigned long at = placed(s, ph, n, addr, len, off);
		uint8_t *code = (uint8_t *)at;
		struct k23_window w;

		if (!at || s->strategy != K23_SC_PLAN_JMP_STUB || s->verify != K23_SC_VERIFIED)
			continue;
		if (!k23_memeq(code, s->orig, s->patch_len)) {
			K23_STAT(skipped[K23_SKIP_BYTES], 1);
			continue;
		}
		if (k23_rt.patch == K23_PATCH_PAGE0) {
			uint8_t *sys = code + (s->vaddr - s->patch_vaddr);

			sys[0] = 0xff, sys[1] = 0xd0; /* call *%rax */
			done++;
			continue;
		}
		window_of(&w, s, at);
		unsigned long to = slot < nslots ? k23_stub_write(space + slot * K23_STUB_SLOT, &w) : 0;

		if (!to) {
			K23_STAT(skipped[K23_SKIP_STUB_SPACE], 1);
			continue;
		}
		slot++;
		code[0] = 0xe9;
		*(int32_t *)(code + 1) = (int32_t)(long)(to - (at + 5));
		for (unsigned k = 5; k < s->patch_len; k++)
			code[k] = 0xcc; /* never reached: no branch lands inside a window */
		done++;
	}
	return done;
}

/* The lowest address of the object whose PT_LOAD at file offset off is
 * mapped at addr, or 0 if no PT_LOAD starts on that page. */
static unsigned long image_lo(const struct elf64_phdr *ph, int n, unsigned long addr, unsigned long off)
{
	unsigned long bias = 0, lo = ~0UL;
	int found = 0;

	for (int i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((ph[i].p_offset & ~4095UL) == off && !found) {
			bias = addr - (ph[i].p_vaddr & ~4095UL);
			found = 1;
		}
		if ((ph[i].p_vaddr & ~4095UL) < lo)
			lo = ph[i].p_vaddr & ~4095UL;
	}
	return found ? bias + lo : 0;
}

/* Maps the object's patched copy over the mapping (premap: where the
 * mapping would go) where there is a usable one (prepatched.c): 1 if it did. */
static int map_copy(const struct k23_rt_object *obj, unsigned long addr, unsigned long len,
		    unsigned long off, int prot, int premap, struct k23_prepatch_counts *counts)
{
	counts->done = counts->no_plan = 0;
	return k23_rt.patch == K23_PATCH_STUB ?
		       k23_prepatched_map(obj, addr, len, off, prot, counts, premap) : 0;
}

/* --stats of a mapping patched from a copy, or found to need nothing by
 * its marker: what the start that patched it in place counted. */
static void count_copy(const struct k23_prepatch_counts *counts)
{
	K23_STAT(objects_patched, 1);
	K23_STAT(skipped[K23_SKIP_NO_PLAN], counts->no_plan);
	K23_STAT(sites_patched, counts->done);
}

static void patch_object(int st, const struct k23_rt_object *obj, const struct elf64_phdr *ph, int n,
			 unsigned long addr, unsigned long len, unsigned long off, int prot,
			 int shared);

/* The program's mmap of file code (k23_maps_code): the object is
 * identified first (fstat, and its first bytes read), so that where it
 * has a usable patched copy and the call places a private mapping at a
 * fixed address (ld.so mapping a library's text inside the span it
 * reserved), the copy is mapped there instead of the object's pages that
 * would be replaced a moment later: one mmap, not two. Otherwise the call
 * is made and its mapping patched: from the copy mapped over it, or in
 * place. The identity taken before the call is the one a later fstat
 * would give: the descriptor's file cannot change but by a write, which a
 * private mapping of it shows until its pages are copied, before or after
 * either fstat alike. */
void k23_patch_mmap(struct k23_call *c)
{
	struct elf64_phdr ph[MAX_PHDRS];
	struct k23_rt_object obj;
	struct k23_prepatch_counts counts;
	uint8_t head[K23_RT_OBJ_HEAD];
	size_t head_len;
	unsigned long fl = (unsigned long)c->args[3], len = (unsigned long)c->args[1];
	unsigned long off = (unsigned long)c->args[5];
	int fd = (int)c->args[4], prot = (int)c->args[2], n, r = 0;
	/* MAP_SHARED (1) and MAP_SHARED_VALIDATE (3) share; only MAP_PRIVATE (2) copies. */
	int shared = (fl & 3) != MAP_PRIVATE;
	int fixed = (fl & MAP_FIXED) && !(fl & MAP_FIXED_NOREPLACE);
	int st = k23_rt_object_identify_head(fd, &obj, head, sizeof(head), &head_len);

	if (st == K23_RTSC_OK && !shared && fixed)
		r = map_copy(&obj, (unsigned long)c->args[0], len, off, prot, 1, &counts);
	if (r == 1) {
		c->ret = c->args[0];
		count_copy(&counts);
		return;
	}
	c->ret = k23_passthrough(c);
	if (k23_is_error(c->ret))
		return;
	if (!r && st == K23_RTSC_OK && !shared && !fixed)
		r = map_copy(&obj, (unsigned long)c->ret, len, off, prot, 0, &counts);
	if (r) {
		count_copy(&counts);
		return;
	}
	n = st == K23_RTSC_OK ? read_phdrs(fd, head, head_len, ph) : -1;
	patch_object(st, &obj, ph, n, (unsigned long)c->ret, len, off, prot, shared);
}

int k23_patch_premap(int fd, const struct k23_loaded_object *l, unsigned long addr,
		     unsigned long len, unsigned long off, int prot)
{
	struct k23_rt_object obj;
	struct k23_prepatch_counts counts;
	int r;

	if (k23_rt_object_identify_as(fd, &obj, &l->file, l->head, l->head_len) != K23_RTSC_OK)
		return 0;
	r = map_copy(&obj, addr, len, off, prot, 1, &counts);
	if (r)
		count_copy(&counts);
	return r;
}

void k23_patch_region(int fd, const struct k23_loaded_object *l, unsigned long addr,
		      unsigned long len, unsigned long off, int prot, int copy_tried)
{
	struct elf64_phdr own[MAX_PHDRS];
	const struct elf64_phdr *ph = own;
	struct k23_rt_object obj;
	struct k23_prepatch_counts counts;
	int n, st = k23_rt_object_identify_read(fd, &obj, &l->file, l->head, l->head_len);

	/* k23's loader maps MAP_PRIVATE */
	if (st == K23_RTSC_OK && !copy_tried && map_copy(&obj, addr, len, off, prot, 0, &counts)) {
		count_copy(&counts);
		return;
	}
	if (st != K23_RTSC_OK) {
		n = -1;
	} else if (k23_memeq(&obj.file, &l->file, sizeof(l->file))) {
		/* the headers the loader checked, as read_phdrs would take them */
		ph = l->ph;
		n = l->phnum && l->phnum <= MAX_PHDRS ? (int)l->phnum : -1;
	} else {
		n = read_phdrs(fd, 0, 0, own);
	}
	patch_object(st, &obj, ph, n, addr, len, off, prot, 0);
}

static void patch_object(int st, const struct k23_rt_object *obj, const struct elf64_phdr *ph, int n,
			 unsigned long addr, unsigned long len, unsigned long off, int prot,
			 int shared)
{
	struct k23_rt_sidecar sc;
	struct k23_prepatch_counts counts = { 0, 0 };
	struct runs runs = { .n = 0 };
	unsigned long nplanned = 0, lo = ~0UL, hi = 0, space_len = 0, done, base;
	uint8_t *space = 0;
	int canonical = 0;

	/* The object's headers first: the sidecar is mapped away from the
	 * room right below the object, where the stubs go when they can. */
	base = n > 0 ? image_lo(ph, n, addr, off) : 0;
	if (st == K23_RTSC_OK)
		st = k23_rt_sidecar_open_object(obj, &sc, base > (2UL << 30) ? (base - (1UL << 30)) & ~4095UL : 0);
	else
		k23_memset(&sc, 0, sizeof(sc));
	if (st == K23_RTSC_STALE || st == K23_RTSC_CORRUPT) {
		K23_STAT(objects_stale, 1);
		return;
	}
	if (st != K23_RTSC_OK) {
		K23_STAT(objects_no_sidecar, 1);
		return;
	}
	K23_STAT(objects_patched, 1);
	for (uint32_t i = 0; n > 0 && i < sc.nsites; i++) {
		const struct k23_sidecar_site *s = &sc.sites[i];
		unsigned long at;

		if (s->verify != K23_SC_VERIFIED || s->strategy != K23_SC_PLAN_JMP_STUB) {
			/* Counted once, in the mapping that holds the syscall. */
			if (file_offset(ph, n, s->vaddr, 2) >= 0 &&
			    placed(&(struct k23_sidecar_site){ .patch_vaddr = s->vaddr, .patch_len = 2 },
				   ph, n, addr, len, off))
				counts.no_plan++;
			continue;
		}
		at = placed(s, ph, n, addr, len, off);
		if (!at)
			continue;
		nplanned++;
		lo = at < lo ? at : lo;
		hi = at + s->patch_len > hi ? at + s->patch_len : hi;
	}
	K23_STAT(skipped[K23_SKIP_NO_PLAN], counts.no_plan);
	if (!nplanned) {
		/* Learnt from one page next time, not from the sidecar and its
		 * stamp (prepatched.c), while both and the object stay as they are. */
		if (n > 0 && !shared && k23_rt.patch == K23_PATCH_STUB)
			k23_prepatched_save_none(obj, &sc, len, off, prot, &counts);
		goto out;
	}
	if (shared) {
		K23_STAT(skipped[K23_SKIP_SHARED], nplanned);
		goto out;
	}
	if (k23_rt.patch == K23_PATCH_STUB) {
		space_len = nplanned * K23_STUB_SLOT;
		/* Where a copy of the result can be kept (prepatched.c), if free. */
		if (base)
			space = k23_stub_space_at(k23_prepatched_stub_at(base, space_len), lo, hi,
						  space_len);
		canonical = space != 0;
		if (!space)
			space = k23_stub_space(lo, hi, space_len);
		if (!space) {
			K23_STAT(skipped[K23_SKIP_STUB_SPACE], nplanned);
			goto out;
		}
	}
	/* Only the pages holding windows change protection and get copied. */
	unsigned long wlo = lo & ~4095UL, wlen = ((hi + 4095) & ~4095UL) - wlo;

	if (k23_syscall3(__NR_mprotect, (long)wlo, (long)wlen, PROT_READ | PROT_WRITE) != 0) {
		K23_STAT(skipped[K23_SKIP_PROTECT], nplanned);
		if (space)
			k23_unmap(space, space_len);
		goto out;
	}
	populate_windows(&sc, ph, n, addr, len, off, &runs);
	done = write_sites(&sc, ph, n, addr, len, off, space, nplanned);
	k23_syscall3(__NR_mprotect, (long)wlo, (long)wlen, prot);
	if (space) {
		k23_stub_seal(space, space_len);
		if (done)
			k23_stub_register(space, space_len);
	}
	K23_STAT(sites_patched, done);
	counts.done = (uint32_t)done;
	if (canonical && done == nplanned)
		k23_prepatched_save(obj, &sc, addr, len, off, prot, space,
				    (space_len + 4095) & ~4095UL, runs.lo, runs.hi, runs.n, &counts);
out:
	k23_rt_sidecar_close(&sc);
}
