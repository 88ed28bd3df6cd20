/* prefault.h - which new mappings k23 populates in their mmap instead of
 * letting them fault in page by page.
 *
 * On a paravirtualized MMU a page fault costs ~10 us and a page populated
 * in one call ~0.1-0.3 us of the page cache or ~0.5-0.9 us of anonymous
 * memory (docs/benchmarks.md, "Pages populated" and "What a page costs").
 * A small private data, bss or read-only mapping is all but always touched
 * as soon as it is made (an ELF segment's relocations, ld.so's cache, a TLS
 * block), so populating it costs nothing it would not cost anyway. Text up
 * to 256 KiB too (ld.so's, a small program's or library's, their stubs): a
 * page of the page cache is mapped, not copied, for ~0.3 us, and each
 * 64 KiB stretch of text run would fault once (a fault maps 16 pages
 * around it). Shared mappings are left alone (populating them is not
 * copy-on-write), as are larger ones (a program may map far more than it
 * touches; libc's 1.4 MiB of text populated made no measurable difference
 * and is resident in every process then) and those the program marks
 * MAP_NORESERVE, MAP_GROWSDOWN or MAP_HUGETLB. A private writable file
 * mapping is populated by copy-on-write: the file is never written.
 */
#ifndef K23_PREFAULT_H
#define K23_PREFAULT_H

#include <linux/mman.h>

#define K23_PREFAULT_MAX (64 * 1024UL)
#define K23_PREFAULT_TEXT_MAX (256 * 1024UL)

/* Nonzero for a mapping of len bytes, prot and mmap flags to populate. */
static inline int k23_prefault_worth(unsigned long len, unsigned long prot, unsigned long flags)
{
	if ((flags & 3) != MAP_PRIVATE || (flags & (MAP_NORESERVE | MAP_GROWSDOWN | MAP_HUGETLB)) ||
	    !(prot & PROT_READ))
		return 0;
	return len <= (prot & PROT_EXEC ? K23_PREFAULT_TEXT_MAX : K23_PREFAULT_MAX);
}

#endif
