/* tidtable.h - open-addressed tables keyed by thread id, claimed lock-free: one lookup for the per-thread state (thread.c) and the ptrace tracer's tracees (ptrace_tracer.c). */
#ifndef K23_TIDTABLE_H
#define K23_TIDTABLE_H

#include <stddef.h>

/* The entry for tid in the table whose address is kept at *table: nslots
 * entries of size bytes, each beginning with its int tid (0: free), mapped
 * on first need, and only when create is set. The entry for tid is looked
 * for at (tid + i) % nslots, i = 0, 1, ...; a free one is claimed with a
 * compare-and-swap of its tid, so threads never take each other's, and an
 * entry is never emptied (probing would break): the next thread with that
 * tid takes it over. *fresh (if fresh is not NULL) is set when this call
 * claimed it, for the caller to reset what a former owner left.
 * NULL: none for tid (create 0), no memory, or the table is full. */
void *k23_tid_entry(void **table, unsigned nslots, size_t size, int tid, int create, int *fresh);

#endif
