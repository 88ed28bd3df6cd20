/* memguard.h - mmap, munmap, mprotect, madvise and mremap, kept off k23's own fixed pages. */
#ifndef K23_MEMGUARD_H
#define K23_MEMGUARD_H

#include "k23/tool.h"

/* Performs c (one of the calls above) unless it would map over, unmap,
 * protect or advise k23's image or page 0: those pages then act as a hole
 * (memguard.c says how each call answers). An mmap of code is patched
 * afterwards (patch.c). Sets c->ret. */
void k23_do_memory(struct k23_call *c);

#endif
