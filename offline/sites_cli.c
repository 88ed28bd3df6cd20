/* sites_cli.c - `k23 sites`: what `k23 prepare` found and planned for one file, as a table or JSON. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "elf_dyn.h"
#include "log.h"
#include "offline.h"

static const char *kind_name(uint8_t k)
{
	return k == K23_SC_KIND_SYSENTER ? "sysenter" : "syscall";
}

static const char *verify_name(uint8_t v)
{
	return v == K23_SC_VERIFIED ? "verified" : v == K23_SC_DISAGREE ? "disagree" : "observed-only";
}

static void hex(FILE *f, const uint8_t *p, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%02x", i ? sep : "", p[i]);
}

/* --- text ------------------------------------------------------------------- */

static void summary_counts(const struct k23_sidecar *sc, size_t c[5])
{
	memset(c, 0, 5 * sizeof(*c));
	for (size_t i = 0; i < sc->nsites; i++) {
		const struct k23_sidecar_site *s = &sc->sites[i].rec;

		c[0] += s->verify == K23_SC_VERIFIED;
		c[1] += s->verify == K23_SC_DISAGREE;
		c[2] += s->verify == K23_SC_NOT_FOUND;
		c[3] += s->strategy != K23_SC_PLAN_NONE;
		c[4] += !!(s->flags & K23_SC_F_OBSERVED);
	}
}

static void print_text(const char *file, const char *spath, const struct k23_sidecar *sc)
{
	size_t c[5];

	summary_counts(sc, c);
	printf("%s\n  sidecar  %s\n  object   %llu bytes, hash %016llx, build-id ", file, spath,
	       (unsigned long long)sc->obj.size, (unsigned long long)sc->obj.hash);
	if (sc->obj.build_id_len)
		hex(stdout, sc->obj.build_id, sc->obj.build_id_len, "");
	else
		printf("none");
	printf("\n  scan     %u function ranges, %u code anchors; left alone: %u in data, "
	       "%u unreached\n", sc->nfuncs, sc->nanchors, sc->skipped_in_data, sc->skipped_unreached);
	printf("  sites    %zu: %zu verified, %zu disagreements%s; %zu planned, %zu catch-all only",
	       sc->nsites, c[0], c[1], c[2] ? ", some observed only" : "", c[3], sc->nsites - c[3]);
	if (sc->flags & K23_SIDECAR_F_RECORDED)
		printf("; recorded: %zu observed, %zu not found statically", c[4], c[2]);
	printf("\n");
	if (!sc->nsites)
		return;
	printf("\n  %-18s %-8s %-13s %-8s %-20s %-40s %s\n", "address", "kind", "check", "where",
	       "patch", "replaced bytes", "reason");
	for (size_t i = 0; i < sc->nsites; i++) {
		const struct k23_sidecar_site *s = &sc->sites[i].rec;
		char patch[32] = "catch-all", bytes[64] = "";

		if (s->strategy != K23_SC_PLAN_NONE) {
			snprintf(patch, sizeof(patch), "jmp %#llx+%u",
				 (unsigned long long)s->patch_vaddr, s->patch_len);
			for (unsigned k = 0, at = 0, o = 0; k < s->ninsns; k++) {
				for (unsigned b = 0; b < s->insn_len[k] && o + 4 < sizeof(bytes); b++)
					o += (unsigned)snprintf(bytes + o, sizeof(bytes) - o, "%02x",
								s->orig[at + b]);
				at += s->insn_len[k];
				if (k + 1 < s->ninsns && o + 2 < sizeof(bytes))
					bytes[o++] = '|', bytes[o] = 0;
			}
		}
		printf("  0x%016llx %-8s %-13s %-8s %-20s %-40s %s%s\n", (unsigned long long)s->vaddr,
		       kind_name(s->kind), verify_name(s->verify), s->in_function ? "function" : "outside",
		       patch, bytes, sc->sites[i].reason,
		       s->flags & K23_SC_F_OBSERVED ? " [observed]" : "");
	}
}

/* --- JSON ------------------------------------------------------------------- */


static void json_site(const struct k23_sc_entry *e)
{
	const struct k23_sidecar_site *s = &e->rec;

	printf("    {\"vaddr\": %llu, \"kind\": \"%s\", \"check\": \"%s\", \"in_function\": %s, "
	       "\"static\": %s, \"observed\": %s, \"reason\": ", (unsigned long long)s->vaddr,
	       kind_name(s->kind), verify_name(s->verify), s->in_function ? "true" : "false",
	       s->flags & K23_SC_F_STATIC ? "true" : "false",
	       s->flags & K23_SC_F_OBSERVED ? "true" : "false");
	k23_json_str(e->reason);
	if (s->strategy == K23_SC_PLAN_NONE) {
		printf(", \"plan\": null}");
		return;
	}
	printf(", \"plan\": {\"strategy\": \"jmp_stub\", \"vaddr\": %llu, \"length\": %u, "
	       "\"bytes\": \"", (unsigned long long)s->patch_vaddr, s->patch_len);
	hex(stdout, s->orig, s->patch_len, "");
	printf("\", \"site_index\": %u, \"insns\": [", s->site_index);
	for (unsigned k = 0; k < s->ninsns; k++)
		printf("%s{\"length\": %u, \"rip_relative\": %s, \"disp_offset\": %u}", k ? ", " : "",
		       s->insn_len[k], s->rip_relative_mask & (1u << k) ? "true" : "false",
		       s->disp_offset[k]);
	printf("]}}");
}

static void print_json(const char *file, const char *spath, const struct k23_sidecar *sc)
{
	size_t c[5];

	summary_counts(sc, c);
	printf("{\n  \"file\": ");
	k23_json_str(file);
	printf(",\n  \"sidecar\": ");
	k23_json_str(spath);
	printf(",\n  \"format\": %d,\n  \"object\": {\"size\": %llu, \"hash\": \"%016llx\", "
	       "\"build_id\": ", K23_SIDECAR_VERSION, (unsigned long long)sc->obj.size,
	       (unsigned long long)sc->obj.hash);
	if (sc->obj.build_id_len) {
		putchar('"');
		hex(stdout, sc->obj.build_id, sc->obj.build_id_len, "");
		putchar('"');
	} else {
		printf("null");
	}
	printf(", \"prepared_from\": ");
	k23_json_str(sc->object_path ? sc->object_path : "");
	printf("},\n  \"scan\": {\"function_ranges\": %u, \"anchors\": %u, \"skipped_in_data\": %u, "
	       "\"skipped_unreached\": %u},\n", sc->nfuncs, sc->nanchors, sc->skipped_in_data,
	       sc->skipped_unreached);
	printf("  \"recorded\": %s,\n  \"summary\": {\"sites\": %zu, \"verified\": %zu, "
	       "\"disagreements\": %zu, \"observed_only\": %zu, \"planned\": %zu},\n  \"sites\": [",
	       sc->flags & K23_SIDECAR_F_RECORDED ? "true" : "false", sc->nsites, c[0], c[1], c[2],
	       c[3]);
	for (size_t i = 0; i < sc->nsites; i++) {
		printf("%s\n", i ? "," : "");
		json_site(&sc->sites[i]);
	}
	printf("%s]\n}\n", sc->nsites ? "\n  " : "");
}

/* --- finding the sidecar ------------------------------------------------------ */

/* Without a build-id the name follows the content, so a changed file finds
 * no sidecar at all: look for one prepared from the same path. */
static int prepared_from(const char *dir, const char *path, char *found, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char real[PATH_MAX], p[PATH_MAX];
	int hit = 0;

	if (!d || !realpath(path, real)) {
		if (d)
			closedir(d);
		return 0;
	}
	while (!hit && (e = readdir(d))) {
		struct k23_sidecar sc;
		const char *why;
		size_t l = strlen(e->d_name);

		if (e->d_name[0] == '.' || l < 5 || strcmp(e->d_name + l - 4, K23_SIDECAR_SUFFIX) ||
		    snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) >= (int)sizeof(p))
			continue;
		if (k23_sidecar_load(p, &sc, &why) == K23_SC_OK && sc.object_path &&
		    (!strcmp(sc.object_path, path) || !strcmp(sc.object_path, real))) {
			snprintf(found, size, "%s", p);
			hit = 1;
		}
		k23_sidecar_free(&sc);
	}
	closedir(d);
	return hit;
}

/* FILE as named: a path, a program in $PATH, or a library name the
 * ld.so.cache knows (`k23 sites libc.so.6`). */
static int find_file(const char *name, char *out, size_t size)
{
	const char *why;
	int rc = k23_find_program(name, out, size, &why);

	if (rc && !strchr(name, '/')) {
		struct k23_ld_config cfg;
		struct k23_ldcache c;
		const char *p;

		k23_ld_config_default(&cfg);
		if (k23_ldcache_load(cfg.cache_file, &c) == 0) {
			p = k23_ldcache_lookup(&c, name, cfg.hwcaps_level);
			if (p && snprintf(out, size, "%s", p) < (int)size)
				rc = 0;
			k23_ldcache_free(&c);
		}
	}
	return rc ? k23_fail(rc, "%s: %s", name, why) : 0;
}

static int usage_error(const char *what)
{
	return k23_fail(2, "sites: %s (usage: k23 sites [--cache DIR] [--json] FILE)", what);
}

int k23_sites_main(int argc, char **argv)
{
	const char *cache = NULL, *file = NULL, *why;
	char path[PATH_MAX], dir[PATH_MAX], spath[PATH_MAX], other[PATH_MAX];
	struct k23_elf_obj o;
	struct k23_sidecar_ident id;
	struct k23_sidecar sc;
	enum k23_elf_err err;
	enum k23_sc_status st;
	int json = 0, rc, i;

	for (i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--cache") && i + 1 < argc)
			cache = argv[++i];
		else if (!strncmp(argv[i], "--cache=", 8))
			cache = argv[i] + 8;
		else
			return usage_error(!strcmp(argv[i], "--cache") ? "--cache needs a directory" :
					   "unknown option");
	}
	i += i < argc && !strcmp(argv[i], "--");
	if (i + 1 != argc)
		return usage_error(i == argc ? "no file named" : "one file only");
	file = argv[i];
	if ((rc = find_file(file, path, sizeof(path))) != 0)
		return rc;
	if (k23_sidecar_cache_dir(cache, dir, sizeof(dir), &why) != 0)
		return k23_fail(1, "%s", why);
	if (realpath(dir, other) && strlen(other) < sizeof(dir))
		strcpy(dir, other);	/* messages name it unambiguously */
	err = k23_elf_load(path, &o);
	if (err)
		return k23_elf_load_error(path, err, &o);
	k23_object_ident(&o, &id);
	k23_elf_unload(&o);
	if (k23_sidecar_path(dir, &id, spath, sizeof(spath)))
		return k23_fail(1, "%s: sidecar path too long", path);
	st = k23_sidecar_load(spath, &sc, &why);
	if (st == K23_SC_MISSING) {
		if (prepared_from(dir, path, other, sizeof(other)))
			return k23_fail(1, "%s: stale: the file changed since `k23 prepare` (%s describes "
					"an older version); prepare it again", path, other);
		return k23_fail(1, "%s: not prepared (no sidecar in %s); run `k23 prepare` first", path, dir);
	}
	if (st == K23_SC_IO)
		return k23_fail(1, "%s: %s", spath, strerror(errno));
	if (st != K23_SC_OK) {
		rc = k23_fail(1, "%s: corrupt sidecar (%s); run `k23 prepare` again", spath, why);
	} else if (!k23_sidecar_matches(&sc, &id)) {
		rc = k23_fail(1, "%s: stale: the file changed since `k23 prepare` (%s describes %llu "
			      "bytes, hash %016llx); prepare it again", path, spath,
			      (unsigned long long)sc.obj.size, (unsigned long long)sc.obj.hash);
	} else {
		(json ? print_json : print_text)(path, spath, &sc);
		rc = fflush(stdout) ? k23_fail(1, "writing the output: %s", strerror(errno)) : 0;
	}
	k23_sidecar_free(&sc);
	return rc;
}
