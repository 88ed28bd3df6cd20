/* sidecar_rt.h - the runtime's view of sidecars: find, validate and map the sidecar of an object the program maps.
 *
 * The format and the staleness rules are in docs/sidecar.md; the checks are
 * the hosted reader's own (common/rt/sidecar_check.c).
 */
#ifndef K23_SIDECAR_RT_H
#define K23_SIDECAR_RT_H

#include <stddef.h>
#include <stdint.h>
#include "k23/sidecar.h"
#include "online/sidecar/sidecar_stamp.h"

/* An object the program maps: its descriptor, identity and build-id. */
struct k23_rt_object {
	int fd;
	struct k23_stamp_file file;
	uint8_t id[K23_SIDECAR_BUILD_ID_MAX];
	uint32_t idlen;
};

#define K23_RTSC_SMALL 1024

struct k23_rt_sidecar {
	const struct k23_sidecar_header *hdr;
	const struct k23_sidecar_site *sites;	/* hdr->nsites records, sorted by vaddr */
	uint32_t nsites;
	void *map;
	size_t map_len;				/* the sidecar file, mapped read-only */
	struct k23_stamp_file file;		/* the sidecar file's identity */
	/* A sidecar this small (an object with a few sites or none) is
	 * read here, not mapped: one pread instead of an mmap and a munmap,
	 * two page-table changes (map is small then). */
	uint64_t small[K23_RTSC_SMALL / 8];
};

enum {
	K23_RTSC_OK = 0,
	K23_RTSC_NO_CACHE = 1,		/* k23_rt.cache_dir is "" */
	K23_RTSC_NO_BUILD_ID = 2,	/* not ELF64 x86-64, malformed, or no usable build-id */
	K23_RTSC_MISSING = 3,		/* no sidecar of that name */
	K23_RTSC_STALE = 4,		/* it describes another object (size, hash or build-id) */
	K23_RTSC_CORRUPT = 5,		/* k23_sidecar_validate rejects it */
	K23_RTSC_IO = 6,		/* a system call failed, or the path is too long */
};

/* Finds the sidecar of the ELF object open as obj_fd in k23_rt.cache_dir:
 * reads the object's build-id from its PT_NOTE segments with pread (ELF64
 * little-endian x86-64 only; anything malformed -> K23_RTSC_NO_BUILD_ID,
 * never a crash), opens <cache>/<hex build-id>.k23, maps and validates it,
 * then checks the build-id, object_size and object_hash (of the whole file)
 * against the object. Returns K23_RTSC_*; on K23_RTSC_OK fills *out, which
 * k23_rt_sidecar_close releases (on failure *out is zeroed, and closing it
 * does nothing). obj_fd's file offset is not moved. *out holds the
 * sidecar itself when it is small: it must not be copied while open. */
int k23_rt_sidecar_open(int obj_fd, struct k23_rt_sidecar *out);
/* The same in two steps: the object's identity and build-id (K23_RTSC_OK,
 * _NO_CACHE, _IO or _NO_BUILD_ID), then its sidecar, mapped at hint if
 * that is free (0: where the kernel likes). */
int k23_rt_object_identify(int obj_fd, struct k23_rt_object *o);
/* The same, keeping the object's first bytes it reads (up to size) in
 * head, *head_len of them: K23_RT_OBJ_HEAD hold the ELF header, the
 * program headers and the notes of an ordinary object. */
#define K23_RT_OBJ_HEAD 2048
int k23_rt_object_identify_head(int obj_fd, struct k23_rt_object *o, uint8_t *head, size_t size,
				size_t *head_len);
/* The same, without reading the object's first bytes again if they are
 * head (head_len of them, read when the file was read_as) and the file is
 * still that one. */
int k23_rt_object_identify_read(int obj_fd, struct k23_rt_object *o, const struct k23_stamp_file *read_as,
				const void *head, size_t head_len);
/* The same for a regular file whose identity f the caller took (fstat)
 * when it read head, its first head_len bytes: no system call. */
int k23_rt_object_identify_as(int obj_fd, struct k23_rt_object *o, const struct k23_stamp_file *f,
			      const void *head, size_t head_len);
int k23_rt_sidecar_open_object(const struct k23_rt_object *o, struct k23_rt_sidecar *out,
				unsigned long hint);
/* The identity of a kernel struct stat (asm/stat.h). */
struct stat;
void k23_file_id_of(struct k23_stamp_file *f, const struct stat *st);
void k23_rt_sidecar_close(struct k23_rt_sidecar *sc);
/* The hash of a sidecar's object_hash (rt/hash64.h) of fd's first size
 * bytes, read through a buffer: K23_RTSC_OK, _STALE if the file is
 * shorter, _IO. */
int k23_rt_file_hash(int fd, uint64_t size, uint64_t *hash);
/* "<cache>/<hex id><suffix>" into path; 0 or -ENAMETOOLONG. */
int k23_rt_cache_path(char *path, size_t size, const uint8_t *id, uint32_t len, const char *suffix);

/* "no sidecar", "stale sidecar", ...: a static string for any status. */
const char *k23_rt_sidecar_strerror(int status);

#endif
