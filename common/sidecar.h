/* sidecar.h - k23 sidecars in memory: reading, validating, writing atomically, merging recorded sites. */
#ifndef K23_SIDECAR_H
#define K23_SIDECAR_H

#include <stddef.h>
#include <stdint.h>
#include "k23/sidecar.h"
#include "rt/hash64.h"		/* k23_hash64 */
#include "rt/sidecar_check.h"	/* k23_sidecar_check_site, k23_sidecar_validate */

/* What identifies the ELF object a sidecar describes. */
struct k23_sidecar_ident {
	uint64_t size;
	uint64_t hash;			/* k23_hash64 of the whole file */
	uint32_t build_id_len;		/* 0: none */
	uint8_t build_id[K23_SIDECAR_BUILD_ID_MAX];
};

/* One site in memory: the on-disk record (whose .reason offset is only
 * meaningful on disk) and its reason string. */
struct k23_sc_entry {
	struct k23_sidecar_site rec;
	const char *reason;		/* static, or owned by the sidecar */
};

/* A sidecar in memory, loaded from a file or being built. */
struct k23_sidecar {
	struct k23_sidecar_ident obj;
	uint64_t producer_hash;
	uint32_t flags;			/* K23_SIDECAR_F_* */
	uint32_t nfuncs, nanchors;	/* what the scan was given */
	uint32_t skipped_in_data, skipped_unreached;	/* what it left alone */
	const char *object_path;	/* owned */
	struct k23_sc_entry *sites;	/* sorted by rec.vaddr, no duplicates */
	size_t nsites, cap;
	void *blob;			/* the file a loaded sidecar was read from */
};

enum k23_sc_status {
	K23_SC_OK = 0,
	K23_SC_MISSING,		/* no such sidecar */
	K23_SC_IO,		/* read or write failed: errno is set */
	K23_SC_CORRUPT,		/* not a valid sidecar: *why says what is wrong */
	K23_SC_NOMEM,
};

void k23_sidecar_init(struct k23_sidecar *sc);
void k23_sidecar_free(struct k23_sidecar *sc);
/* Copies path. Returns 0 or -1 (out of memory). */
int k23_sidecar_set_path(struct k23_sidecar *sc, const char *path);
/* Appends a site; sites must be added in increasing vaddr order (the
 * encoder rejects anything else). reason must outlive sc. */
int k23_sidecar_add(struct k23_sidecar *sc, const struct k23_sidecar_site *s, const char *reason);

/* The file image of sc (malloc'd into *out), self_hash included. Fails with
 * K23_SC_CORRUPT and *why if sc breaks a rule the reader would enforce. */
enum k23_sc_status k23_sidecar_encode(const struct k23_sidecar *sc, void **out, size_t *len,
				      const char **why);
/* Validates every field, offset and count of buf[0..len) and fills sc;
 * sc takes ownership of buf (malloc'd) whatever the outcome. */
enum k23_sc_status k23_sidecar_decode(void *buf, size_t len, struct k23_sidecar *sc,
				      const char **why);

/* Reads and validates the sidecar at path. */
enum k23_sc_status k23_sidecar_load(const char *path, struct k23_sidecar *sc, const char **why);
/* Writes sc as dir/name atomically: a temporary file in dir, renamed over
 * name only when complete, so readers see the old file or the new one. */
enum k23_sc_status k23_sidecar_store(const char *dir, const char *name, const struct k23_sidecar *sc,
				     const char **why);

/* 1 if sc describes exactly obj (size, content hash and build-id agree). */
int k23_sidecar_matches(const struct k23_sidecar *sc, const struct k23_sidecar_ident *obj);

/* The sidecar's file name for obj: "<build-id hex>.k23", or
 * "h<content hash hex>.k23" without a build-id. Returns 0 or -1 (too long). */
int k23_sidecar_name(const struct k23_sidecar_ident *obj, char *buf, size_t size);

/* The cache directory: opt (--cache) if given, else $K23_CACHE, else
 * $XDG_CACHE_HOME/k23 (if absolute), else $HOME/.cache/k23. Returns 0, or
 * -1 with *why when none can be determined or it does not fit. */
int k23_sidecar_cache_dir(const char *opt, char *buf, size_t size, const char **why);

/* Creates dir and its missing parents (mode 0755). Returns 0 or -1 (errno). */
int k23_mkdir_p(const char *dir);

/* --record support: one syscall site observed executing at run time. */
struct k23_observed {
	uint64_t vaddr;		/* link-time address (run-time address - load bias) */
	uint8_t kind;		/* K23_SC_KIND_* */
};

/* Merges observations into sc: known sites get K23_SC_F_OBSERVED; the others
 * are added as K23_SC_NOT_FOUND (never patched) and counted in *unknown,
 * which the caller must report loudly: the static scan missed them. Sets
 * K23_SIDECAR_F_RECORDED. Returns 0 or -1 (out of memory; sc unchanged). */
int k23_sidecar_merge_observed(struct k23_sidecar *sc, const struct k23_observed *obs, size_t n,
			       size_t *unknown);

#endif
