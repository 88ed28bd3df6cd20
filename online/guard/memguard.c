/* memguard.c - the program's memory calls on k23's own fixed pages: as if they were a hole.
 *
 * k23's image sits at a fixed address (0x23000000, Makefile K23_TEXT), and
 * with --patch=page0 page 0 is k23's too. Natively both are free, so a
 * program may map, unmap or protect them: done as asked, that would take
 * k23's code or data away under it and the process would die with no
 * message. The program sees those pages as a hole in its address space:
 *
 *   mmap with a hint         the kernel already places it elsewhere (as it
 *                            does natively when the hint is taken)
 *   mmap MAP_FIXED_NOREPLACE EEXIST, from the kernel (the range is taken)
 *   mmap MAP_FIXED           ENOMEM, nothing mapped: the range cannot be given
 *   munmap                   the rest of the range is unmapped; 0 (unmapping
 *                            a hole succeeds natively)
 *   mprotect, pkey_mprotect  the part below the hole is changed; ENOMEM (the
 *                            kernel's answer for a range with a hole)
 *   madvise                  both sides are advised; ENOMEM (likewise)
 *   mremap                   EFAULT when the old range touches the hole
 *                            (nothing mapped there); ENOMEM when the fixed
 *                            new range does
 * docs/differences.md lists these. Calls that do not touch the pages, or
 * whose arguments the kernel refuses anyway (unaligned, empty, wrapping),
 * pass through unchanged.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/mman.h>
#include "online/arch/x86_64/patch_layout.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/patch/patch.h"
#include "online/guard/memguard.h"
#include "online/core/prefault.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif

#define PAGE 4096UL

extern const char __ehdr_start[], _end[];	/* k23's image, from the linker */

struct span {
	unsigned long lo, hi;
};

/* The pages the program must not reach: at most two, lowest first. */
static int own_spans(struct span *s)
{
	int n = 0;

	if (k23_rt.patch == K23_PATCH_PAGE0 && k23_page0_gadget)
		s[n++] = (struct span){ 0, PAGE };
	s[n++] = (struct span){ (unsigned long)__ehdr_start & ~(PAGE - 1),
				((unsigned long)_end + PAGE - 1) & ~(PAGE - 1) };
	return n;
}

/* The first of k23's spans [a, a+len) overlaps (*s), or 0 if none. Only
 * for ranges the kernel would take: aligned, non-empty, not wrapping. */
static int hits(unsigned long a, unsigned long len, struct span *out)
{
	struct span s[2];
	int n = own_spans(s);
	unsigned long end = a + ((len + PAGE - 1) & ~(PAGE - 1));

	if ((a & (PAGE - 1)) || len == 0 || end <= a)
		return 0;
	for (int i = 0; i < n; i++) {
		if (a < s[i].hi && end > s[i].lo) {
			*out = s[i];
			return 1;
		}
	}
	return 0;
}

/* The call c with its range [a, a+len) replaced. */
static long redo(const struct k23_call *c, unsigned long a, unsigned long len)
{
	struct k23_call part = *c;

	part.args[0] = (long)a;
	part.args[1] = (long)len;
	return k23_passthrough(&part);
}

/* munmap, mprotect, pkey_mprotect, madvise over k23's pages. */
static long around(const struct k23_call *c, struct span h)
{
	unsigned long a = (unsigned long)c->args[0];
	unsigned long end = a + (((unsigned long)c->args[1] + PAGE - 1) & ~(PAGE - 1));
	long r = 0;

	if (a < h.lo)
		r = redo(c, a, h.lo - a);
	if (c->nr == __NR_mprotect || c->nr == __NR_pkey_mprotect)
		return r < 0 ? r : -ENOMEM; /* stops at the hole, as the kernel does */
	if (end > h.hi) {
		/* The part above may hold another of k23's spans: checked again. */
		struct k23_call up = *c;

		up.args[0] = (long)h.hi;
		up.args[1] = (long)(end - h.hi);
		k23_do_memory(&up);
		if (r == 0 || r == -ENOMEM)
			r = up.ret;
	}
	if (c->nr == __NR_madvise)
		return r < 0 && r != -ENOMEM ? r : -ENOMEM;
	return r; /* munmap: a hole unmaps without complaint */
}

/* A small private readable mapping is populated in its mmap
 * (online/core/prefault.h): each segment ld.so places with MAP_FIXED in the
 * span it reserved, its cache, a TLS block. The call as the program made it
 * is what tools and policies see; only the kernel gets MAP_POPULATE, which
 * changes no result (its failures to populate are not reported). */
static long prefaulted(const struct k23_call *c)
{
	struct k23_call p;

	if (!k23_prefault_worth((unsigned long)c->args[1], (unsigned long)c->args[2],
				(unsigned long)c->args[3]))
		return k23_passthrough(c);
	p = *c;
	p.args[3] |= MAP_POPULATE;
	return k23_passthrough(&p);
}

void k23_do_memory(struct k23_call *c)
{
	unsigned long a = (unsigned long)c->args[0], fl = (unsigned long)c->args[3];
	struct span h;

	switch (c->nr) {
	case __NR_mmap:
		if ((fl & MAP_FIXED) && !(fl & MAP_FIXED_NOREPLACE) && hits(a, (unsigned long)c->args[1], &h)) {
			c->ret = -ENOMEM;
			return;
		}
		if (k23_maps_code(c))
			k23_patch_mmap(c); /* text: never populated (prefault.h) */
		else
			c->ret = prefaulted(c);
		return;
	case __NR_munmap: case __NR_mprotect: case __NR_pkey_mprotect: case __NR_madvise:
		c->ret = hits(a, (unsigned long)c->args[1], &h) ? around(c, h) : k23_passthrough(c);
		return;
	case __NR_mremap:
		/* old_len 0 duplicates a shared mapping: the old address alone counts. */
		if (hits(a, c->args[1] ? (unsigned long)c->args[1] : 1, &h))
			c->ret = -EFAULT;
		else if (((unsigned long)c->args[3] & MREMAP_FIXED) &&
			 hits((unsigned long)c->args[4], (unsigned long)c->args[2], &h))
			c->ret = -ENOMEM;
		else
			c->ret = k23_passthrough(c);
		return;
	}
	c->ret = k23_passthrough(c);
}
