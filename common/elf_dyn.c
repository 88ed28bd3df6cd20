/* elf_dyn.c - dynamic sections, ld.so.cache and program lookup: what resolving dependencies needs.
 *
 * Everything read here comes from files k23 does not trust: counts and string
 * offsets are bounded and checked against what was actually read.
 */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <immintrin.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "elf_dyn.h"

#define MAX_DYN_ENTRIES 65536
#define MAX_STRTAB (64u << 20)
#define MAX_CACHE (64u << 20)

static int range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* --- the dynamic section --------------------------------------------------- */

static int vaddr_to_off(const struct k23_elf *e, uint64_t vaddr, uint64_t len, uint64_t *off)
{
	for (unsigned i = 0; i < e->phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type == PT_LOAD && vaddr >= p->p_vaddr && vaddr - p->p_vaddr < p->p_filesz &&
		    len <= p->p_filesz - (vaddr - p->p_vaddr)) {
			*off = p->p_offset + (vaddr - p->p_vaddr);
			return 0;
		}
	}
	return -1;
}

static char *dup_str(const char *tab, uint64_t size, uint64_t off)
{
	if (off >= size || !memchr(tab + off, 0, size - off))
		return NULL;
	return strdup(tab + off);
}

void k23_dyn_free(struct k23_dyn *d)
{
	for (size_t i = 0; i < d->nneeded; i++)
		free(d->needed[i]);
	free(d->needed);
	free(d->soname);
	free(d->rpath);
	free(d->runpath);
	memset(d, 0, sizeof(*d));
}

static int read_entries(int fd, const struct k23_elf *e, const Elf64_Phdr *p, Elf64_Dyn **out,
			size_t *n, const char **why)
{
	size_t cnt = p->p_filesz / sizeof(Elf64_Dyn);

	*why = "malformed dynamic section";
	if (!range_ok(p->p_offset, p->p_filesz, (uint64_t)e->size) || cnt == 0 ||
	    cnt > MAX_DYN_ENTRIES)
		return -1;
	*out = malloc(cnt * sizeof(Elf64_Dyn));
	if (!*out) {
		*why = "out of memory";
		return -1;
	}
	if (pread(fd, *out, cnt * sizeof(Elf64_Dyn), (off_t)p->p_offset) !=
	    (ssize_t)(cnt * sizeof(Elf64_Dyn))) {
		free(*out);
		*why = "cannot read the dynamic section";
		return -1;
	}
	*n = cnt;
	return 0;
}

int k23_dyn_read(int fd, const struct k23_elf *e, struct k23_dyn *d, const char **why)
{
	const Elf64_Phdr *p = NULL;
	Elf64_Dyn *dyn;
	size_t n, nneeded = 0;
	uint64_t strtab = 0, strsz = 0, stroff, rpath = ~0ULL, runpath = ~0ULL, soname = ~0ULL;
	char *tab;

	memset(d, 0, sizeof(*d));
	for (unsigned i = 0; i < e->phnum; i++)
		if (e->ph[i].p_type == PT_DYNAMIC)
			p = &e->ph[i];
	if (!p)
		return 0;
	if (read_entries(fd, e, p, &dyn, &n, why))
		return -1;
	for (size_t i = 0; i < n && dyn[i].d_tag != DT_NULL; i++) {
		switch (dyn[i].d_tag) {
		case DT_STRTAB: strtab = dyn[i].d_un.d_ptr; break;
		case DT_STRSZ: strsz = dyn[i].d_un.d_val; break;
		case DT_NEEDED: nneeded++; break;
		case DT_RPATH: rpath = dyn[i].d_un.d_val; break;
		case DT_RUNPATH: runpath = dyn[i].d_un.d_val; break;
		case DT_SONAME: soname = dyn[i].d_un.d_val; break;
		case DT_FLAGS_1: d->flags_1 = dyn[i].d_un.d_val; break;
		}
	}
	*why = "malformed dynamic string table";
	if (nneeded > K23_DYN_MAX_NEEDED || strsz == 0 || strsz > MAX_STRTAB ||
	    vaddr_to_off(e, strtab, strsz, &stroff) != 0) {
		free(dyn);
		return -1;
	}
	tab = malloc(strsz + 1);
	d->needed = calloc(nneeded + 1, sizeof(char *));
	if (!tab || !d->needed || pread(fd, tab, strsz, (off_t)stroff) != (ssize_t)strsz) {
		*why = tab && d->needed ? "cannot read the dynamic string table" : "out of memory";
		goto fail;
	}
	tab[strsz] = 0;		/* a string may end at the table's end, not past it */
	*why = "dynamic entry names a string outside its table";
	for (size_t i = 0; i < n && dyn[i].d_tag != DT_NULL; i++) {
		if (dyn[i].d_tag != DT_NEEDED)
			continue;
		d->needed[d->nneeded] = dup_str(tab, strsz + 1, dyn[i].d_un.d_val);
		if (!d->needed[d->nneeded++])
			goto fail;
	}
	if ((rpath != ~0ULL && !(d->rpath = dup_str(tab, strsz + 1, rpath))) ||
	    (runpath != ~0ULL && !(d->runpath = dup_str(tab, strsz + 1, runpath))) ||
	    (soname != ~0ULL && !(d->soname = dup_str(tab, strsz + 1, soname))))
		goto fail;
	free(tab);
	free(dyn);
	return 0;
fail:
	free(tab);
	free(dyn);
	k23_dyn_free(d);
	return -1;
}

/* --- ld.so.cache ---------------------------------------------------------------- */

#define CACHE_OLD "ld.so-1.7.0"
#define CACHE_NEW "glibc-ld.so.cache1.1"
#define NEW_HDR 48		/* struct cache_file_new without its entries */
#define NEW_ENT 24		/* struct file_entry_new */
#define FLAG_X86_64_LIBC6 0x0303	/* FLAG_ELF_LIBC6 | FLAG_X8664_LIB64 */
#define HWCAP_EXTENSION (1ULL << 62)
#define EXT_MAGIC 0xEAA42174u
#define EXT_TAG_HWCAPS 1

static uint32_t u32at(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* A string at offset off of the new-format part, or NULL. */
static const char *cstr(const struct k23_ldcache *c, uint64_t off)
{
	const char *s = (const char *)c->data + c->base;
	uint64_t size = c->size - c->base;

	if (off >= size || !memchr(s + off, 0, size - off))
		return NULL;
	return s + off;
}

static void load_hwcaps(struct k23_ldcache *c, uint32_t ext)
{
	uint64_t size = c->size - c->base;
	const uint8_t *b = c->data + c->base;
	uint32_t count;

	if (!ext || !range_ok(ext, 8, size) || u32at(b + ext) != EXT_MAGIC)
		return;
	count = u32at(b + ext + 4);
	if (count > 64 || !range_ok(ext + 8, (uint64_t)count * 16, size))
		return;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *s = b + ext + 8 + i * 16;
		uint32_t off = u32at(s + 8), len = u32at(s + 12);

		if (u32at(s) == EXT_TAG_HWCAPS && range_ok(off, len, size) && off % 4 == 0) {
			c->hwcaps_off = off;
			c->hwcaps_n = len / 4;
		}
	}
}

int k23_ldcache_load(const char *path, struct k23_ldcache *c)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t base = 0;

	memset(c, 0, sizeof(*c));
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || st.st_size < NEW_HDR || st.st_size > MAX_CACHE ||
	    !(c->data = malloc((size_t)st.st_size)) ||
	    pread(fd, c->data, (size_t)st.st_size, 0) != st.st_size) {
		close(fd);
		k23_ldcache_free(c);
		return -1;
	}
	close(fd);
	c->size = (size_t)st.st_size;
	if (!memcmp(c->data, CACHE_OLD, sizeof(CACHE_OLD) - 1)) {
		/* The old table (12-byte entries) comes first; the new part
		 * starts after it, 8-aligned. */
		uint64_t nold = u32at(c->data + 12);

		base = (16 + nold * 12 + 7) & ~7ULL;
		if (nold > c->size || base + NEW_HDR > c->size)
			goto bad;
	}
	c->base = base;
	if (memcmp(c->data + base, CACHE_NEW, sizeof(CACHE_NEW) - 1) != 0)
		goto bad;
	c->nlibs = u32at(c->data + base + 20);
	if (!range_ok(NEW_HDR, (uint64_t)c->nlibs * NEW_ENT, c->size - base))
		goto bad;
	load_hwcaps(c, u32at(c->data + base + 32));
	return 0;
bad:
	k23_ldcache_free(c);
	return -1;
}

void k23_ldcache_free(struct k23_ldcache *c)
{
	free(c->data);
	memset(c, 0, sizeof(*c));
}

static int hwcaps_level_of(const char *subdir)
{
	if (!strcmp(subdir, "x86-64-v2"))
		return 2;
	if (!strcmp(subdir, "x86-64-v3"))
		return 3;
	if (!strcmp(subdir, "x86-64-v4"))
		return 4;
	return 99;	/* unknown: never selected */
}

/* glibc's choice among entries for one name: an x86-64 libc6 entry, the
 * highest supported glibc-hwcaps level first, a plain entry last. */
static const char *cache_lookup(const struct k23_ldcache *c, const char *name, int level)
{
	const uint8_t *b = c->data + c->base;
	const char *best = NULL;
	int best_prio = -1;

	for (uint32_t i = 0; i < c->nlibs; i++) {
		const uint8_t *ent = b + NEW_HDR + (uint64_t)i * NEW_ENT;
		uint64_t hwcap;
		const char *key = cstr(c, u32at(ent + 4)), *val;
		int prio = 0;

		if ((int32_t)u32at(ent) != FLAG_X86_64_LIBC6 || !key || strcmp(key, name))
			continue;
		memcpy(&hwcap, ent + 16, 8);
		if (hwcap & HWCAP_EXTENSION) {
			uint32_t idx = (uint32_t)hwcap;
			const char *sub;

			if (idx >= c->hwcaps_n)
				continue;
			sub = cstr(c, u32at(b + c->hwcaps_off + 4 * idx));
			prio = sub ? hwcaps_level_of(sub) : 99;
			if (prio > level)
				continue;
		} else if (hwcap) {
			continue;	/* legacy hwcap bits: not produced by current ldconfig */
		}
		val = cstr(c, u32at(ent + 8));
		if (val && prio > best_prio) {
			best = val;
			best_prio = prio;
		}
	}
	return best;
}

const char *k23_ldcache_lookup(const struct k23_ldcache *c, const char *name, int hwcaps_level)
{
	return c->data ? cache_lookup(c, name, hwcaps_level) : NULL;
}

const char *k23_ldcache_path(const struct k23_ldcache *c, uint32_t i)
{
	const uint8_t *ent;

	if (!c->data || i >= c->nlibs)
		return NULL;
	ent = c->data + c->base + NEW_HDR + (uint64_t)i * NEW_ENT;
	if ((int32_t)u32at(ent) != FLAG_X86_64_LIBC6)
		return NULL;
	return cstr(c, u32at(ent + 8));
}

/* --- finding programs ----------------------------------------------------------- */

int k23_find_program(const char *prog, char *out, size_t size, const char **why)
{
	const char *p = getenv("PATH");
	struct stat st;
	int denied = 0;

	if (!*prog) {
		*why = "No such file or directory";
		return 127;
	}
	if (strchr(prog, '/')) {
		if (snprintf(out, size, "%s", prog) >= (int)size) {
			*why = "File name too long";
			return 126;
		}
		if (stat(out, &st) != 0) {
			*why = strerror(errno);
			return errno == ENOENT || errno == ENOTDIR ? 127 : 126;
		}
		*why = S_ISDIR(st.st_mode) ? "Is a directory" : !S_ISREG(st.st_mode) ?
		       "not a regular file" : access(out, R_OK) ? "Permission denied" : NULL;
		return *why ? 126 : 0;
	}
	if (!p)
		p = "/bin:/usr/bin";
	for (;;) {
		const char *end = strchrnul(p, ':');
		int dlen = (int)(end - p);

		if (snprintf(out, size, "%.*s%s%s", dlen, p, dlen ? "/" : "", prog) < (int)size &&
		    stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(out, X_OK) == 0)
				return 0;
			denied = 1;
		}
		if (!*end)
			break;
		p = end + 1;
	}
	*why = denied ? "Permission denied" : "command not found";
	return denied ? 126 : 127;
}

/* --- configuration ----------------------------------------------------------------- */

/* The highest x86-64 ISA level (glibc's get-isa-level.h definitions) this
 * CPU and kernel support: which glibc-hwcaps subdirectories ld.so searches.
 * Plain cpuid rather than __builtin_cpu_supports("x86-64-v3"), which not
 * every compiler knows. */
__attribute__((target("xsave"))) static uint64_t xcr0(void)
{
	return _xgetbv(0);
}

static int isa_level(void)
{
	unsigned a, b, c1, c, d, c81, b7;
	const unsigned v2 = 1u << 0 | 1u << 9 | 1u << 13 | 1u << 19 | 1u << 20 | 1u << 23;
	const unsigned v3 = 1u << 12 | 1u << 22 | 1u << 27 | 1u << 28 | 1u << 29;
	const unsigned v3_7 = 1u << 3 | 1u << 5 | 1u << 8;
	const unsigned v4_7 = 1u << 16 | 1u << 17 | 1u << 28 | 1u << 30 | 1u << 31;

	if (!__get_cpuid(1, &a, &b, &c1, &d))
		return 1;
	if (!__get_cpuid(0x80000001, &a, &b, &c81, &d))
		c81 = 0;
	if (!__get_cpuid_count(7, 0, &a, &b7, &c, &d))
		b7 = 0;
	if ((c1 & v2) != v2 || !(c81 & 1))		/* + LAHF/SAHF */
		return 1;
	if ((c1 & v3) != v3 || (b7 & v3_7) != v3_7 || !(c81 & (1u << 5)) || (xcr0() & 0x6) != 0x6)
		return 2;
	if ((b7 & v4_7) != v4_7 || (xcr0() & 0xe0) != 0xe0)
		return 3;
	return 4;
}

void k23_ld_config_default(struct k23_ld_config *cfg)
{
	static int level = -1;

	cfg->library_path = getenv("LD_LIBRARY_PATH");
	cfg->preload = getenv("LD_PRELOAD");
	cfg->preload_file = "/etc/ld.so.preload";
	cfg->cache_file = "/etc/ld.so.cache";
	if (level < 0)
		level = isa_level();
	cfg->hwcaps_level = level;
	cfg->redirect = NULL;
	cfg->redirect_arg = NULL;
}
