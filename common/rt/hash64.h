/* hash64.h - XXH64 with seed 0: k23's content hash of ELF objects and of sidecars.
 *
 * Freestanding: the runtime hashes every object it finds a sidecar for, and
 * hosted code (k23 prepare, k23 sites) hashes with the same code, so the two
 * can never disagree. Not cryptographic: it detects change, not forgery.
 */
#ifndef K23_HASH64_H
#define K23_HASH64_H

#include <stddef.h>
#include <stdint.h>

/* XXH64 (seed 0, the published algorithm, reimplemented) of data[0..len). */
uint64_t k23_hash64(const void *data, size_t len);

/* The same hash of data read in pieces (the runtime reads objects through a
 * small buffer): init, then k23_hash64_stripes for every piece but the last,
 * each a multiple of 32 bytes long, then k23_hash64_finish with the last
 * piece, of any length (0 included). */
struct k23_hash64_state {
	uint64_t v[4];
	uint64_t len;
};
void k23_hash64_init(struct k23_hash64_state *s);
void k23_hash64_stripes(struct k23_hash64_state *s, const void *data, size_t len);
uint64_t k23_hash64_finish(struct k23_hash64_state *s, const void *data, size_t len);

#endif
