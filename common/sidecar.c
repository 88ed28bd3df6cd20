/* sidecar.c - the k23 sidecar file format: encoding, decoding, merging recorded sites.
 *
 * THE FORMAT
 *
 * A sidecar describes one ELF object: every syscall/sysenter site `k23
 * prepare` found in its executable segments, how each was verified, and the
 * patch plan for it. It never describes a process: addresses are link-time
 * virtual addresses (p_vaddr based), so a run-time address minus the object's
 * load bias gives the site's vaddr. Sidecars live in a cache directory, one
 * file per object, named after the object's GNU build-id in hex
 * ("<build-id>.k23") or, for objects without one, after its content hash
 * ("h<16 hex digits>.k23").
 *
 * All integers are little-endian and fixed-width; the file is three parts,
 * back to back, with no gaps and nothing after them:
 *
 *     0          header (struct k23_sidecar_header, 176 bytes)
 *     sites_off  nsites records (struct k23_sidecar_site, 64 bytes each),
 *                sorted by vaddr, no two with the same vaddr
 *     strings_off  string table: NUL-terminated strings; its first and last
 *                bytes are NUL, so offset 0 is "" and every offset inside the
 *                table reaches a NUL before the end
 *
 * Positions are offsets from the start of the file, strings are offsets into
 * the string table. The object is identified by its size, the XXH64 hash of
 * its whole content (object_hash) and its build-id: a sidecar whose object's
 * size, hash or build-id differs is stale and must be ignored (the bytes it describes
 * are not the bytes being run). self_hash is the XXH64 of the sidecar itself
 * with self_hash taken as zero: it catches a torn or bit-flipped file that
 * still looks well-formed, which is why writers need not fsync.
 *
 * A site record says where the syscall is (vaddr, kind), whether both
 * decoders agreed on it (verify), whether it lies in an .eh_frame function
 * (in_function), how it was found (flags: by the static scan and/or seen
 * executing by a --record run) and its plan: replace patch_len bytes at
 * patch_vaddr, whose original content is orig[], made of ninsns instructions
 * of insn_len[] bytes, the syscall being number site_index; rip_relative_mask
 * says which need relocating when moved and disp_offset[] where their disp32
 * is. A record without a plan (strategy 0) has all plan fields zero: that
 * site is left to the catch-all.
 *
 * The reader trusts nothing: it checks the magic, version, every size, offset
 * and count against the file's real length, the self hash, and that each
 * record is consistent (known enum values, the plan's instructions add up to
 * patch_len, the syscall opcode sits at an instruction boundary inside orig[],
 * reserved bytes are zero). Anything else is rejected with one reason. The
 * checks and the hash are freestanding (common/rt/sidecar_check.c,
 * common/rt/hash64.c) so that the runtime applies the very same rules.
 *
 * WHEN THE VERSION MUST CHANGE
 *
 * K23_SIDECAR_VERSION changes with any change a version-1 reader could
 * misread: a field added, removed, moved or resized (the _Static_asserts in
 * include/k23/sidecar.h fail first), a new enum value or flag bit, a change of
 * meaning of an existing field, or a different hash function. Readers accept
 * exactly their own version: sidecars are a cache, so an old one is simply
 * prepared again; there is no compatibility to keep. A change of how the
 * scanner finds sites does not change the format: producer_hash (the hash of
 * the k23-prepare binary) makes `k23 prepare` redo sidecars written by another
 * build.
 */
#include <stdlib.h>
#include <string.h>
#include "sidecar.h"

#define MAX_SIDECAR K23_SIDECAR_MAX_SIZE

/* --- in memory ---------------------------------------------------------------- */

void k23_sidecar_init(struct k23_sidecar *sc)
{
	memset(sc, 0, sizeof(*sc));
}

void k23_sidecar_free(struct k23_sidecar *sc)
{
	free((void *)sc->object_path);
	free(sc->sites);
	free(sc->blob);
	k23_sidecar_init(sc);
}

int k23_sidecar_set_path(struct k23_sidecar *sc, const char *path)
{
	char *p = strdup(path);

	if (!p)
		return -1;
	free((void *)sc->object_path);
	sc->object_path = p;
	return 0;
}

static int reserve(struct k23_sidecar *sc, size_t n)
{
	struct k23_sc_entry *v;
	size_t cap = sc->cap ? sc->cap : 64;

	if (n <= sc->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	v = realloc(sc->sites, cap * sizeof(*v));
	if (!v)
		return -1;
	sc->sites = v;
	sc->cap = cap;
	return 0;
}

int k23_sidecar_add(struct k23_sidecar *sc, const struct k23_sidecar_site *s, const char *reason)
{
	if (reserve(sc, sc->nsites + 1))
		return -1;
	sc->sites[sc->nsites].rec = *s;
	sc->sites[sc->nsites].reason = reason ? reason : "";
	sc->nsites++;
	return 0;
}

/* --- encoding ----------------------------------------------------------------- */

struct strtab {
	char *buf;
	size_t len, cap;
	const char **keys;	/* distinct strings already added, and where */
	uint32_t *offs;
	size_t n, kcap;
};

/* Offset of s in the table, added once: sites share a handful of reasons. */
static int64_t str_add(struct strtab *t, const char *s)
{
	size_t l = strlen(s) + 1, i;

	if (!*s)
		return 0;
	for (i = 0; i < t->n; i++)
		if (t->keys[i] == s || !strcmp(t->keys[i], s))
			return t->offs[i];
	if (t->len + l > UINT32_MAX)
		return -1;
	if (t->len + l > t->cap) {
		size_t cap = (t->cap + l) * 2;
		char *b = realloc(t->buf, cap);

		if (!b)
			return -1;
		t->buf = b;
		t->cap = cap;
	}
	if (t->n == t->kcap) {
		size_t cap = t->kcap ? t->kcap * 2 : 16;
		const char **k = realloc(t->keys, cap * sizeof(*k));
		uint32_t *o = k ? realloc(t->offs, cap * sizeof(*o)) : NULL;

		if (k)
			t->keys = k;
		if (!o)
			return -1;
		t->offs = o;
		t->kcap = cap;
	}
	memcpy(t->buf + t->len, s, l);
	t->keys[t->n] = s;
	t->offs[t->n++] = (uint32_t)t->len;
	t->len += l;
	return (int64_t)t->len - (int64_t)l;
}

static void str_free(struct strtab *t)
{
	free(t->buf);
	free(t->keys);
	free(t->offs);
}

enum k23_sc_status k23_sidecar_encode(const struct k23_sidecar *sc, void **out, size_t *len,
				      const char **why)
{
	struct strtab t = { 0 };
	struct k23_sidecar_header h;
	uint32_t *reasons = NULL;
	uint8_t *buf = NULL;
	int64_t path;
	size_t sites_bytes, total, i;

	*out = NULL;
	*why = "out of memory";
	if (sc->nsites > (MAX_SIDECAR - sizeof(h)) / sizeof(struct k23_sidecar_site)) {
		*why = "too many sites";
		return K23_SC_CORRUPT;
	}
	t.buf = malloc(1);	/* offset 0: the empty string */
	reasons = malloc((sc->nsites + 1) * sizeof(*reasons));
	if (!t.buf || !reasons)
		goto nomem;
	t.buf[0] = 0;
	t.len = t.cap = 1;
	path = str_add(&t, sc->object_path ? sc->object_path : "");
	if (path < 0)
		goto nomem;
	for (i = 0; i < sc->nsites; i++) {
		int64_t o = str_add(&t, sc->sites[i].reason ? sc->sites[i].reason : "");

		if (o < 0)
			goto nomem;
		reasons[i] = (uint32_t)o;
	}
	sites_bytes = sc->nsites * sizeof(struct k23_sidecar_site);
	total = sizeof(h) + sites_bytes + t.len;
	if (total > MAX_SIDECAR) {
		*why = "sidecar would be too large";
		free(reasons);
		str_free(&t);
		return K23_SC_CORRUPT;
	}
	buf = calloc(1, total);
	if (!buf)
		goto nomem;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, K23_SIDECAR_MAGIC, 8);
	h.version = K23_SIDECAR_VERSION;
	h.header_size = sizeof(h);
	h.file_size = total;
	h.object_size = sc->obj.size;
	h.object_hash = sc->obj.hash;
	h.producer_hash = sc->producer_hash;
	h.flags = sc->flags;
	h.object_path = (uint32_t)path;
	h.sites_off = sizeof(h);
	h.nsites = (uint32_t)sc->nsites;
	h.site_size = sizeof(struct k23_sidecar_site);
	h.strings_off = sizeof(h) + sites_bytes;
	h.strings_size = (uint32_t)t.len;
	h.nfuncs = sc->nfuncs;
	h.nanchors = sc->nanchors;
	h.skipped_in_data = sc->skipped_in_data;
	h.skipped_unreached = sc->skipped_unreached;
	h.build_id_len = sc->obj.build_id_len <= K23_SIDECAR_BUILD_ID_MAX ? sc->obj.build_id_len : 0;
	memcpy(h.build_id, sc->obj.build_id, h.build_id_len);
	memcpy(buf, &h, sizeof(h));
	for (i = 0; i < sc->nsites; i++) {
		struct k23_sidecar_site s = sc->sites[i].rec;

		s.reason = reasons[i];
		memcpy(buf + sizeof(h) + i * sizeof(s), &s, sizeof(s));
	}
	memcpy(buf + h.strings_off, t.buf, t.len);
	h.self_hash = k23_hash64(buf, total);
	memcpy(buf + offsetof(struct k23_sidecar_header, self_hash), &h.self_hash, 8);
	free(reasons);
	str_free(&t);
	/* What is written must read back: the writer obeys the reader's rules. */
	*why = k23_sidecar_validate(buf, total);
	if (*why) {
		free(buf);
		return K23_SC_CORRUPT;
	}
	*out = buf;
	*len = total;
	return K23_SC_OK;
nomem:
	free(reasons);
	str_free(&t);
	return K23_SC_NOMEM;
}

/* --- decoding ----------------------------------------------------------------- */

enum k23_sc_status k23_sidecar_decode(void *buf, size_t len, struct k23_sidecar *sc,
				      const char **why)
{
	struct k23_sidecar_header h;
	uint8_t *b = buf;
	const char *strings;

	k23_sidecar_init(sc);
	sc->blob = buf;
	*why = k23_sidecar_validate(b, len);
	if (*why)
		return K23_SC_CORRUPT;
	memcpy(&h, b, sizeof(h));
	strings = (const char *)b + h.strings_off;
	sc->obj.size = h.object_size;
	sc->obj.hash = h.object_hash;
	sc->obj.build_id_len = h.build_id_len;
	memcpy(sc->obj.build_id, h.build_id, sizeof(h.build_id));
	sc->producer_hash = h.producer_hash;
	sc->flags = h.flags;
	sc->nfuncs = h.nfuncs;
	sc->nanchors = h.nanchors;
	sc->skipped_in_data = h.skipped_in_data;
	sc->skipped_unreached = h.skipped_unreached;
	if (k23_sidecar_set_path(sc, strings + h.object_path) || reserve(sc, h.nsites)) {
		*why = "out of memory";
		return K23_SC_NOMEM;
	}
	for (uint32_t i = 0; i < h.nsites; i++) {
		struct k23_sc_entry *e = &sc->sites[i];

		memcpy(&e->rec, b + h.sites_off + (uint64_t)i * sizeof(e->rec), sizeof(e->rec));
		e->reason = strings + e->rec.reason;
	}
	sc->nsites = h.nsites;
	return K23_SC_OK;
}

/* --- --record ------------------------------------------------------------------ */

static int by_vaddr(const void *a, const void *b)
{
	const struct k23_sc_entry *x = a, *y = b;

	return x->rec.vaddr < y->rec.vaddr ? -1 : x->rec.vaddr > y->rec.vaddr;
}

static struct k23_sc_entry *find_site(struct k23_sidecar *sc, size_t n, uint64_t vaddr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sc->sites[mid].rec.vaddr == vaddr)
			return &sc->sites[mid];
		if (sc->sites[mid].rec.vaddr < vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int k23_sidecar_merge_observed(struct k23_sidecar *sc, const struct k23_observed *obs, size_t n,
			       size_t *unknown)
{
	size_t base = sc->nsites, added = 0;

	*unknown = 0;
	if (reserve(sc, base + n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct k23_sc_entry *e = find_site(sc, base, obs[i].vaddr);

		if (!e) {	/* seen twice in obs? */
			for (size_t j = base; j < base + added && !e; j++)
				if (sc->sites[j].rec.vaddr == obs[i].vaddr)
					e = &sc->sites[j];
		}
		if (e) {
			e->rec.flags |= K23_SC_F_OBSERVED;
			continue;
		}
		e = &sc->sites[base + added++];
		memset(e, 0, sizeof(*e));
		e->rec.vaddr = obs[i].vaddr;
		e->rec.kind = obs[i].kind == K23_SC_KIND_SYSENTER ? K23_SC_KIND_SYSENTER :
				K23_SC_KIND_SYSCALL;
		e->rec.verify = K23_SC_NOT_FOUND;
		e->rec.flags = K23_SC_F_OBSERVED;
		e->reason = "executed at run time but not found by the static scan";
	}
	sc->nsites = base + added;
	if (added)
		qsort(sc->sites, sc->nsites, sizeof(*sc->sites), by_vaddr);
	sc->flags |= K23_SIDECAR_F_RECORDED;
	*unknown = added;
	return 0;
}
