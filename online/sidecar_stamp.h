/* sidecar_stamp.h - remembering that an object was hashed and matched its sidecar, so the next start skips the hash. */
#ifndef K23_SIDECAR_STAMP_H
#define K23_SIDECAR_STAMP_H

#include <stdint.h>
#include <asm/stat.h>

/* 1 if "<cache>/<id>.seen" records exactly this file (device, inode, size,
 * mtime and ctime) as having hashed to object_hash. */
int k23_stamp_matches(const uint8_t *id, uint32_t len, const struct stat *st, uint64_t object_hash);

/* Records it, atomically; silently nothing if the cache is not writable. */
void k23_stamp_write(const uint8_t *id, uint32_t len, const struct stat *st, uint64_t object_hash);

#endif
