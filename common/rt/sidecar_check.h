/* sidecar_check.h - the sidecar reader's checks, freestanding: one set of rules for k23 prepare, k23 sites and the runtime.
 *
 * The rules are listed in docs/sidecar.md, "What the reader checks". Hosted
 * code (common/sidecar.c) validates with these same functions before
 * decoding and before writing, so a sidecar the writer accepts is one the
 * runtime accepts.
 */
#ifndef K23_SIDECAR_CHECK_H
#define K23_SIDECAR_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "k23/sidecar.h"

/* Larger files are refused unread: ~4 million sites, far beyond any object. */
#define K23_SIDECAR_MAX_SIZE (256u << 20)

/* The reader's checks of one site record (its reason offset excepted):
 * NULL if it is well-formed, else what is wrong. Lets a writer drop a bad
 * plan instead of writing a sidecar the reader would reject. */
const char *k23_sidecar_check_site(const struct k23_sidecar_site *s);

/* Every check of a whole sidecar file image buf[0..len): NULL if valid (the
 * header and records can then be used as they are, without further tests),
 * else the one reason it is rejected. buf must be 8-byte aligned (malloc and
 * mmap give that): header and records are read in place, not copied. */
const char *k23_sidecar_validate(const uint8_t *buf, size_t len);

#endif
