/* prefault.h - which new mappings k23 populates in their mmap instead of
 * letting them fault in page by page.
 *
 * On a paravirtualized MMU a page fault costs ~12 us and a page populated
 * in one call ~1 us (docs/benchmarks.md, "Pages populated"). A small private
 * data, bss or read-only segment of an ELF object is all but always touched
 * as soon as it is mapped (relocations, the loader's and libc's own state),
 * so populating it costs nothing it would not cost anyway. Text is left
 * alone (its patched copy may replace it), shared mappings too (populating
 * them is not copy-on-write) and large ones (a program may map far more
 * than it touches). A private writable file mapping is populated by
 * copy-on-write: the file is never written.
 */
#ifndef K23_PREFAULT_H
#define K23_PREFAULT_H

#include <linux/mman.h>

#define K23_PREFAULT_MAX (64 * 1024UL)

/* Nonzero for a mapping of len bytes, prot and mmap flags to populate. */
static inline int k23_prefault_worth(unsigned long len, unsigned long prot, unsigned long flags)
{
	return len <= K23_PREFAULT_MAX && !(prot & PROT_EXEC) && (prot & PROT_READ) &&
	       (flags & 3) == MAP_PRIVATE;
}

#endif
