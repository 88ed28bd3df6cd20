/* prepatched.h - an object's patched text and stubs kept in the sidecar cache and mapped, not rewritten, at each start. */
#ifndef K23_PREPATCHED_H
#define K23_PREPATCHED_H

#include <stdint.h>
#include "online/sidecar/sidecar_rt.h"

/* What patching one mapping did, kept with the copy so that a start that
 * maps it counts in --stats what the start that wrote it counted. */
struct k23_prepatch_counts {
	uint32_t done, no_plan;
};

/* Replaces the fresh private mapping [addr, addr+len) of o (file offset
 * off, protection prot) by the object's patched copy from the cache, and
 * maps its stubs at the distance the copy was made for. 1 when done (the
 * stubs registered, counts in *n), 0 when there is no usable copy: then
 * nothing changed and the caller patches in place. */
int k23_prepatched_map(const struct k23_rt_object *o, unsigned long addr, unsigned long len,
		       unsigned long off, int prot, struct k23_prepatch_counts *n);

/* Where the stubs of a mapping go so that its copy can be kept: right
 * below the object's lowest address (image_lo), space bytes of them. */
unsigned long k23_prepatched_stub_at(unsigned long image_lo, unsigned long space);

/* After a mapping was patched in place with every planned site done and
 * its stubs at k23_prepatched_stub_at: writes the copy (the object's file
 * with the patched pages of the mapping, the stubs, the identities it
 * depends on) to the cache, by rename; nothing if the cache is not
 * writable. The pages holding windows are the runs [lo[i], hi[i]). */
void k23_prepatched_save(const struct k23_rt_object *o, const struct k23_rt_sidecar *sc,
			 unsigned long addr, unsigned long len, unsigned long off, int prot,
			 const void *stubs, unsigned long stubs_len,
			 const unsigned long *lo, const unsigned long *hi, unsigned nruns,
			 const struct k23_prepatch_counts *n);

#endif
