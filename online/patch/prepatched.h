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
 * nothing changed and the caller patches in place.
 *
 * With premap, [addr, addr+len) does not map the object yet (the caller
 * would map it there with MAP_FIXED): the copy goes there directly, unless
 * the object's mount forbids executing it (noexec, where the object's own
 * mapping would fail); 0 leaves the range to the caller's own mmap. */
int k23_prepatched_map(const struct k23_rt_object *o, unsigned long addr, unsigned long len,
		       unsigned long off, int prot, struct k23_prepatch_counts *n, int premap);
/* ... or this: the cache holds a marker saying that the mapping has no
 * planned site (written by k23_prepatched_save_none while the object and
 * its sidecar were as they are): nothing was mapped, nothing is to be
 * patched, the counts of the start that wrote it are in *n. */
#define K23_PREPATCHED_NONE 2

/* After a private mapping of an object with a valid, fresh sidecar turned
 * out to hold no planned site: writes the marker, a one-page file of the
 * copy's name holding only the trailer, so that later starts learn it
 * from that page instead of the sidecar and its stamp. */
void k23_prepatched_save_none(const struct k23_rt_object *o, const struct k23_rt_sidecar *sc,
			      unsigned long len, unsigned long off, int prot,
			      const struct k23_prepatch_counts *n);

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
