/* sidecar_stamp.h - remembering that an object was hashed and matched its sidecar, so the next start skips the hash. */
#ifndef K23_SIDECAR_STAMP_H
#define K23_SIDECAR_STAMP_H

#include <stdint.h>

struct stat;	/* the kernel's (asm/stat.h) in the runtime */

/* 1 if "<cache>/<id>.seen" records exactly this file (device, inode, size,
 * mtime and ctime) as having hashed to object_hash. */
int k23_stamp_matches(const uint8_t *id, uint32_t len, const struct stat *st, uint64_t object_hash);

/* Records it, atomically; silently nothing if the cache is not writable. */
void k23_stamp_write(const uint8_t *id, uint32_t len, const struct stat *st, uint64_t object_hash);

/* The same for k23 prepare, which has just hashed the object (so the first
 * `k23 run` does not hash it again): the cache is dir, the file's identity
 * given field by field (hosted code has libc's struct stat). */
struct k23_stamp_file {
	uint64_t dev, ino, size, mtime, mtime_ns, ctime, ctime_ns;
};
void k23_stamp_record(const char *dir, const uint8_t *id, uint32_t len,
		      const struct k23_stamp_file *f, uint64_t object_hash);

#endif
