/* sidecar_stamp.h - remembering that an object was hashed and matched its sidecar, so the next start skips the hash. */
#ifndef K23_SIDECAR_STAMP_H
#define K23_SIDECAR_STAMP_H

#include <stdint.h>

/* A file's identity as a stamp records it: any write to the file changes
 * its ctime, which users cannot set. */
struct k23_stamp_file {
	uint64_t dev, ino, size, mtime, mtime_ns, ctime, ctime_ns;
};

/* 1 if "<cache>/<id>.seen" records exactly this file (device, inode, size,
 * mtime and ctime) as having hashed to object_hash. */
int k23_stamp_matches(const uint8_t *id, uint32_t len, const struct k23_stamp_file *f,
		      uint64_t object_hash);

/* Records it, atomically; silently nothing if the cache is not writable. */
void k23_stamp_write(const uint8_t *id, uint32_t len, const struct k23_stamp_file *f,
		     uint64_t object_hash);

/* The same for k23 prepare, which has just hashed the object (so the first
 * `k23 run` does not hash it again): the cache is dir, the file's identity
 * given field by field (hosted code has libc's struct stat). */
void k23_stamp_record(const char *dir, const uint8_t *id, uint32_t len,
		      const struct k23_stamp_file *f, uint64_t object_hash);

/* The same two for a stamp of another file than an object, kept at path
 * (prepatched.c: "<copy>.seen", the copy's identity after its hash). */
int k23_stamp_matches_at(const char *path, const struct k23_stamp_file *f, uint64_t hash);
void k23_stamp_write_at(const char *path, const struct k23_stamp_file *f, uint64_t hash);

/* Files of the cache are written as a temporary file beside path
 * ("<path>.tmp<tid>", into tmp, of at least K23_TMP_PATH bytes), created
 * exclusively, then renamed over path; -errno if it cannot be created.
 * k23_cache_tmp_commit renames it when ok, else (or if the rename fails)
 * removes it; 0 when path is now the new file. */
#define K23_TMP_PATH (4096 + 32)
long k23_cache_tmp_create(const char *path, char *tmp, int flags);
int k23_cache_tmp_commit(const char *tmp, const char *path, int ok);

#endif
