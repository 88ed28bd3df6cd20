/* sidecar_check.c - validation of sidecar files and site records, freestanding (see sidecar_check.h).
 *
 * Runs in the interposed process on a read-only mapping of a file anyone
 * could have written: every offset and count is checked against the real
 * length before it is followed, and nothing is written to buf.
 */
#include "rt/sidecar_check.h"
#include "rt/hash64.h"

#define VADDR_LIMIT (1ULL << 47)

/* The file is read-only (a mapping in the runtime): self_hash is zeroed in a
 * copy of the first 32-byte hash stripe instead. */
_Static_assert(offsetof(struct k23_sidecar_header, self_hash) + 8 <= 32,
	       "self_hash must lie in the first 32 bytes");

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

static int is_magic(const uint8_t *p)
{
	for (int i = 0; i < 8; i++)
		if (p[i] != (uint8_t)K23_SIDECAR_MAGIC[i])
			return 0;
	return 1;
}

static const char *check_plan(const struct k23_sidecar_site *s)
{
	static const uint8_t op[3][2] = { { 0, 0 }, { 0x0f, 0x05 }, { 0x0f, 0x34 } };
	unsigned at = 0, off = 0;

	if (s->strategy != K23_SC_PLAN_JMP_STUB)
		return "site has an unknown patch strategy";
	if (s->verify != K23_SC_VERIFIED)
		return "site has a patch plan but is not verified";
	if (s->patch_len < 2 || s->patch_len > K23_SIDECAR_ORIG_MAX || s->ninsns < 1 ||
	    s->ninsns > K23_SIDECAR_INSNS_MAX || s->site_index >= s->ninsns)
		return "site's patch plan has a bad length or instruction count";
	for (unsigned i = 0; i < K23_SIDECAR_INSNS_MAX; i++) {
		uint8_t len = s->insn_len[i], d = s->disp_offset[i];

		if (i >= s->ninsns) {
			if (len || d)
				return "site's patch plan has stray instruction lengths";
			continue;
		}
		if (len < 1 || len > 15)
			return "site's patch plan has a bad instruction length";
		if (i == s->site_index)
			off = at;
		at += len;
		if (!(s->rip_relative_mask & (1u << i)) ? d != 0 : d < 1 || d + 4u > len)
			return "site's patch plan has a bad displacement offset";
	}
	if (at != s->patch_len || (s->rip_relative_mask >> s->ninsns) != 0)
		return "site's patch plan instructions do not add up";
	if (s->insn_len[s->site_index] != 2 || s->patch_vaddr + off != s->vaddr ||
	    s->vaddr < s->patch_vaddr)
		return "site is not where its patch plan puts it";
	if (!all_zero(s->orig + s->patch_len, K23_SIDECAR_ORIG_MAX - s->patch_len))
		return "site's patch plan has stray bytes";
	if (s->orig[off] != op[s->kind][0] || s->orig[off + 1] != op[s->kind][1])
		return "site's original bytes are not a syscall/sysenter instruction";
	return NULL;
}

static const char *check_site(const struct k23_sidecar_site *s, uint32_t strings_size)
{
	if (s->kind != K23_SC_KIND_SYSCALL && s->kind != K23_SC_KIND_SYSENTER)
		return "site has an unknown kind";
	if (s->verify > K23_SC_DISAGREE)
		return "site has an unknown verification state";
	if (s->in_function > 1 || !all_zero(s->zero, sizeof(s->zero)))
		return "site has bad reserved or boolean fields";
	if ((s->flags & ~K23_SC_F_ALL) || !s->flags)
		return "site has unknown flags";
	if ((s->verify == K23_SC_NOT_FOUND) != !(s->flags & K23_SC_F_STATIC) ||
	    (s->verify == K23_SC_NOT_FOUND && !(s->flags & K23_SC_F_OBSERVED)))
		return "site's origin contradicts its verification state";
	if (s->vaddr >= VADDR_LIMIT)
		return "site address out of range";
	if (s->reason >= strings_size)
		return "site's reason lies outside the string table";
	if (s->strategy == K23_SC_PLAN_NONE) {
		if (s->patch_vaddr || s->patch_len || s->ninsns || s->site_index ||
		    s->rip_relative_mask || !all_zero(s->orig, sizeof(s->orig)) ||
		    !all_zero(s->insn_len, sizeof(s->insn_len)) ||
		    !all_zero(s->disp_offset, sizeof(s->disp_offset)))
			return "site without a plan has plan fields set";
		return NULL;
	}
	return check_plan(s);
}

static const char *check_header(const struct k23_sidecar_header *h, const uint8_t *buf, size_t len)
{
	uint64_t sites_end;

	if (!is_magic((const uint8_t *)h->magic))
		return "not a k23 sidecar (bad magic)";
	if (h->version != K23_SIDECAR_VERSION)
		return "sidecar format version not supported by this k23 (prepare again)";
	if (h->header_size != sizeof(*h) || h->site_size != sizeof(struct k23_sidecar_site))
		return "bad header or record size";
	if (h->file_size != len)
		return "file size differs from the size in its header (truncated?)";
	if (h->flags & ~K23_SIDECAR_F_ALL)
		return "unknown header flags";
	if (h->build_id_len > K23_SIDECAR_BUILD_ID_MAX ||
	    !all_zero(h->build_id + h->build_id_len, K23_SIDECAR_BUILD_ID_MAX - h->build_id_len))
		return "bad build-id length";
	if (h->object_size < 64)	/* sizeof(Elf64_Ehdr) */
		return "object size too small for an ELF file";
	if (h->sites_off != sizeof(*h))
		return "site table is not right after the header";
	sites_end = h->sites_off + (uint64_t)h->nsites * sizeof(struct k23_sidecar_site);
	if (sites_end > len)
		return "site table reaches past the end of the file (bad count or truncated)";
	if (h->strings_off != sites_end || h->strings_size < 1 ||
	    h->strings_off + h->strings_size != len)
		return "string table is not where the header says (bad offset or size)";
	if (buf[h->strings_off] != 0 || buf[len - 1] != 0)
		return "string table is not NUL-delimited";
	if (h->object_path >= h->strings_size)
		return "object path lies outside the string table";
	if (h->nsites && h->nsites > (uint64_t)h->object_size / 2)
		return "more sites than the object has bytes for";
	return NULL;
}

const char *k23_sidecar_check_site(const struct k23_sidecar_site *s)
{
	return check_site(s, UINT32_MAX);
}

const char *k23_sidecar_validate(const uint8_t *buf, size_t len)
{
	const struct k23_sidecar_header *h = (const void *)buf;
	const struct k23_sidecar_site *sites;
	struct k23_hash64_state hs;
	uint8_t head[32];
	const char *why;

	if (len < sizeof(*h))
		return len >= 8 && is_magic(buf) ?
		       "truncated: shorter than its header" : "not a k23 sidecar (too short)";
	if (len > K23_SIDECAR_MAX_SIZE)
		return "too large to be a sidecar";
	if ((uintptr_t)buf & 7)
		return "sidecar image is not 8-byte aligned in memory";
	why = check_header(h, buf, len);
	if (why)
		return why;
	/* The self hash covers the file with self_hash read as zero. */
	for (size_t i = 0; i < sizeof(head); i++)
		head[i] = buf[i];
	for (size_t i = 0; i < 8; i++)
		head[offsetof(struct k23_sidecar_header, self_hash) + i] = 0;
	k23_hash64_init(&hs);
	k23_hash64_stripes(&hs, head, sizeof(head));
	if (k23_hash64_finish(&hs, buf + sizeof(head), len - sizeof(head)) != h->self_hash)
		return "checksum mismatch (the file is corrupt)";
	sites = (const void *)(buf + h->sites_off);
	for (uint32_t i = 0; i < h->nsites; i++) {
		why = check_site(&sites[i], h->strings_size);
		if (why)
			return why;
		if (i && sites[i].vaddr <= sites[i - 1].vaddr)
			return "sites are not sorted by address";
	}
	return NULL;
}
