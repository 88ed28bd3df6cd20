/* elf_closure.c - a program's dependency closure, resolved the way glibc's ld.so resolves it.
 *
 * The search order is glibc 2.36's (elf/dl-load.c, _dl_map_object): a name
 * with a slash is used as is (after $ORIGIN, $LIB, $PLATFORM expansion);
 * otherwise the DT_RPATH of the requesting object and of each object up its
 * loader chain (only while the requester has no DT_RUNPATH), the
 * executable's DT_RPATH, LD_LIBRARY_PATH, the requester's DT_RUNPATH,
 * /etc/ld.so.cache and the system directories (both skipped under
 * DF_1_NODEFLIB). In every directory ld.so first tries the glibc-hwcaps
 * subdirectories the CPU supports and the legacy platform subdirectories, in
 * the order `LD_DEBUG=libs` prints on this machine. Candidates of another
 * class or machine are skipped, as ld.so skips them. An object is loaded
 * once: a request matches a loaded object by name, soname or path, and two
 * paths to the same file (device, inode) are one object.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "elf_dyn.h"

#define MAX_CLOSURE 4096	/* objects; ld.so itself has no limit, hostile inputs need one */

/* Debian's multiarch system directories and $LIB, as ld.so --help and
 * LD_DEBUG=libs report them here. */
static const char *const system_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib",
};
#define DST_LIB "lib/x86_64-linux-gnu"
#define DST_PLATFORM "x86_64"
static const char *const legacy_subdirs[] = {
	"tls/x86_64/x86_64/", "tls/x86_64/", "tls/", "x86_64/x86_64/", "x86_64/",
};

struct resolver {
	const struct k23_ld_config *cfg;
	struct k23_closure *c;
	struct k23_ldcache cache;
	int cache_tried;
	char main_origin[PATH_MAX];
};

/* The directory of path, made absolute; "" if it does not fit. */
static void dirname_into(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0, n = 0;

	out[0] = 0;
	if (path[0] != '/') {
		if (!getcwd(out, size)) {
			out[0] = 0;
			return;
		}
		n = strlen(out);
		if (dl && n + 1 < size)
			out[n++] = '/';
	}
	if (n + dl >= size) {
		out[0] = 0;
		return;
	}
	memcpy(out + n, path, dl);
	out[n + dl] = 0;
	if (!out[0] && size > 1)
		strcpy(out, "/");
}

static int is_ident_char(char ch)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9');
}

/* ld.so's $ORIGIN: the executable's real directory (the kernel resolves
 * it through /proc/self/exe), a library's directory as found. */
static void origin_of(struct resolver *r, int i, char *out, size_t size)
{
	if (i <= 0) {
		snprintf(out, size, "%s", r->main_origin);
		return;
	}
	dirname_into(r->c->v[i].path, out, size);
}

/* Expands $ORIGIN, $LIB and $PLATFORM (also in braces) in in[0..len). */
static int expand(const char *in, size_t len, const char *origin, char *out, size_t size)
{
	static const struct { const char *name, *fixed; } dst[] = {
		{ "ORIGIN", NULL }, { "LIB", DST_LIB }, { "PLATFORM", DST_PLATFORM },
	};
	size_t o = 0;

	for (size_t i = 0; i < len; ) {
		const char *val = NULL;
		size_t skip = 1;

		if (in[i] == '$') {
			for (size_t k = 0; k < 3 && !val; k++) {
				size_t nl = strlen(dst[k].name);
				int brace = i + 1 < len && in[i + 1] == '{';
				const char *n = in + i + 1 + brace;

				if (i + 1 + brace + nl + brace > len || strncmp(n, dst[k].name, nl) ||
				    (brace && n[nl] != '}'))
					continue;
				/* $ORIGINX is not $ORIGIN followed by X */
				if (!brace && i + 1 + nl < len && is_ident_char(in[i + 1 + nl]))
					continue;
				val = dst[k].fixed ? dst[k].fixed : origin;
				skip = 1 + nl + 2 * brace;
			}
		}
		if (!val) {
			if (o + 1 >= size)
				return -1;
			out[o++] = in[i];
		} else {
			size_t vl = strlen(val);

			if (o + vl >= size)
				return -1;
			memcpy(out + o, val, vl);
			o += vl;
		}
		i += skip;
	}
	out[o] = 0;
	return 0;
}

static int find_loaded(const struct k23_closure *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct k23_dep *d = &c->v[i];

		if (!strcmp(d->name, name) || (d->path && !strcmp(d->path, name)) ||
		    (d->dyn.soname && !strcmp(d->dyn.soname, name)))
			return (int)i;
	}
	return -1;
}

/* 1 if path is a usable candidate (sets *why for a found but bad file), 0 to
 * keep searching. */
static int try_file(const char *path, struct stat *st, const char **why)
{
	struct k23_elf e;
	enum k23_elf_err err;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*why = NULL;
	if (fd < 0)
		return 0;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return 0;
	}
	err = k23_elf_read(fd, &e);
	close(fd);
	if (err == K23_ELF_WRONG_ARCH)
		return 0;	/* ld.so skips other classes and machines */
	if (err)
		*why = err == K23_ELF_NOT_ELF ? "not an ELF file" : err == K23_ELF_WRONG_TYPE ?
		       "not a shared object" : "truncated or malformed ELF file";
	return 1;
}

/* try_file on the file an open of path opens: the bundle's under a
 * policy's libraries: (cfg->redirect), whose name then replaces path. */
static int try_open(struct resolver *r, char *path, struct stat *st, const char **why)
{
	char real[PATH_MAX];

	if (r->cfg->redirect && r->cfg->redirect(path, real, r->cfg->redirect_arg))
		memcpy(path, real, strlen(real) + 1);
	return try_file(path, st, why);
}

/* Tries dir/<subdir>/name for every subdirectory ld.so searches. */
static int try_dir(struct resolver *r, const char *dir, const char *name, char *out, struct stat *st,
		   const char **why)
{
	const char *sep = *dir && dir[strlen(dir) - 1] == '/' ? "" : "/";

	if (!*dir)
		dir = ".";
	for (int level = 4; level >= 2; level--) {
		if (level > r->cfg->hwcaps_level)
			continue;
		if (snprintf(out, PATH_MAX, "%s%sglibc-hwcaps/x86-64-v%d/%s", dir, sep, level, name) <
		    PATH_MAX && try_open(r, out, st, why))
			return 1;
	}
	for (size_t k = 0; k < sizeof(legacy_subdirs) / sizeof(*legacy_subdirs); k++)
		if (snprintf(out, PATH_MAX, "%s%s%s%s", dir, sep, legacy_subdirs[k], name) < PATH_MAX &&
		    try_open(r, out, st, why))
			return 1;
	return snprintf(out, PATH_MAX, "%s%s%s", dir, sep, name) < PATH_MAX && try_open(r, out, st, why);
}

/* Searches a colon-separated list (DSTs expanded against origin). */
static int try_list(struct resolver *r, const char *list, const char *origin, const char *name,
		    char *out, struct stat *st, const char **why)
{
	char dir[PATH_MAX];

	while (list) {
		const char *end = strpbrk(list, ":;");
		size_t len = end ? (size_t)(end - list) : strlen(list);

		/* An empty element is the current directory, as for ld.so. */
		if (expand(list, len, origin, dir, sizeof(dir)) == 0 &&
		    try_dir(r, dir, name, out, st, why))
			return 1;
		list = end ? end + 1 : NULL;
	}
	return 0;
}

static int search(struct resolver *r, const char *name, int req, char *out, struct stat *st,
		  const char **why)
{
	const struct k23_dep *q = req >= 0 ? &r->c->v[req] : &r->c->v[0];
	char origin[PATH_MAX];
	int did_main = 0;

	if (!q->dyn.runpath) {
		for (int l = req; l >= 0; l = r->c->v[l].parent) {
			const struct k23_dep *d = &r->c->v[l];

			if (!d->dyn.rpath || d->dyn.runpath)
				continue;
			origin_of(r, l, origin, sizeof(origin));
			if (try_list(r, d->dyn.rpath, origin, name, out, st, why))
				return 1;
			did_main |= l == 0;
		}
		if (!did_main && r->c->v[0].dyn.rpath && !r->c->v[0].dyn.runpath &&
		    try_list(r, r->c->v[0].dyn.rpath, r->main_origin, name, out, st, why))
			return 1;
	}
	if (r->cfg->library_path && *r->cfg->library_path &&
	    try_list(r, r->cfg->library_path, r->main_origin, name, out, st, why))
		return 1;
	if (q->dyn.runpath) {
		origin_of(r, req, origin, sizeof(origin));
		if (try_list(r, q->dyn.runpath, origin, name, out, st, why))
			return 1;
	}
	if (q->dyn.flags_1 & DF_1_NODEFLIB)
		return 0;
	if (!r->cache_tried) {
		r->cache_tried = 1;
		k23_ldcache_load(r->cfg->cache_file, &r->cache);
	}
	{
		const char *p = k23_ldcache_lookup(&r->cache, name, r->cfg->hwcaps_level);

		if (p && snprintf(out, PATH_MAX, "%s", p) < PATH_MAX && try_open(r, out, st, why))
			return 1;
	}
	for (size_t k = 0; k < sizeof(system_dirs) / sizeof(*system_dirs); k++)
		if (try_dir(r, system_dirs[k], name, out, st, why))
			return 1;
	return 0;
}

static void read_dynamic(struct k23_dep *d)
{
	int fd = open(d->path, O_RDONLY | O_CLOEXEC);
	struct k23_elf e;

	if (fd < 0 || k23_elf_read(fd, &e) != K23_ELF_OK)
		d->why = "cannot be read";
	else if (k23_dyn_read(fd, &e, &d->dyn, &d->why) != 0)
		;	/* d->why says what is wrong */
	else
		d->why = NULL;
	if (fd >= 0)
		close(fd);
}

/* Appends an object (or finds it again); returns its index or -1 (memory). */
static int add(struct resolver *r, const char *name, const char *path, const struct stat *st,
	       int parent, const char *why)
{
	struct k23_closure *c = r->c;
	struct k23_dep *d;

	if (path && st)
		for (size_t i = 0; i < c->n; i++)
			if (c->v[i].path && c->v[i].dev == st->st_dev && c->v[i].ino == st->st_ino)
				return (int)i;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct k23_dep *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	d = &c->v[c->n];
	memset(d, 0, sizeof(*d));
	d->name = strdup(name);
	d->path = path ? strdup(path) : NULL;
	if (!d->name || (path && !d->path)) {
		free(d->name);
		free(d->path);
		return -1;
	}
	d->parent = parent;
	d->why = why;
	if (st) {
		d->dev = st->st_dev;
		d->ino = st->st_ino;
	}
	c->n++;
	if (path && !why)	/* its dependencies are needed to go on */
		read_dynamic(d);
	return (int)(c->n - 1);
}

/* Resolves one request of object req; returns -1 only when memory runs out. */
static int request(struct resolver *r, const char *name, int req)
{
	char out[PATH_MAX], exp[PATH_MAX], origin[PATH_MAX];
	struct stat st;
	const char *why = NULL;
	int found;

	if (find_loaded(r->c, name) >= 0)
		return 0;
	if (strchr(name, '/')) {
		origin_of(r, req, origin, sizeof(origin));
		found = expand(name, strlen(name), origin, exp, sizeof(exp)) == 0 &&
			try_open(r, exp, &st, &why);
		if (found)
			snprintf(out, sizeof(out), "%s", exp);
	} else {
		found = search(r, name, req, out, &st, &why);
	}
	if (r->c->n >= MAX_CLOSURE)
		return 0;
	return add(r, name, found ? out : NULL, found ? &st : NULL, req,
		   found ? why : "not found") < 0 ? -1 : 0;
}

/* LD_PRELOAD (spaces or colons) and /etc/ld.so.preload (whitespace). */
static int preloads(struct resolver *r, const char *list, const char *seps)
{
	char *copy = list ? strdup(list) : NULL, *save = NULL;
	int rc = 0;

	if (list && !copy)
		return -1;
	for (char *t = copy ? strtok_r(copy, seps, &save) : NULL; t && !rc; t = strtok_r(NULL, seps, &save)) {
		size_t before = r->c->n;

		rc = request(r, t, 0);
		if (r->c->n > before)
			r->c->v[before].preload = 1;
	}
	free(copy);
	return rc;
}

static int preload_file(struct resolver *r)
{
	char buf[8192];
	int fd = open(r->cfg->preload_file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return preloads(r, buf, " \t\n");
}

int k23_closure_resolve(const char *prog, const struct k23_ld_config *cfg, struct k23_closure *c)
{
	struct resolver r = { .cfg = cfg, .c = c };
	char real[PATH_MAX], interp[PATH_MAX];
	struct stat st;
	const char *why;
	int rc = -1, fd = -1, i;
	struct k23_elf e;

	memset(c, 0, sizeof(*c));
	dirname_into(realpath(prog, real) ? real : prog, r.main_origin, sizeof(r.main_origin));
	if (!try_file(prog, &st, &why))
		why = "not a usable x86-64 ELF file";
	if (add(&r, prog, prog, &st, -1, why) < 0 || c->v[0].why)
		return -1;
	fd = open(prog, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && k23_elf_read(fd, &e) == K23_ELF_OK &&
	    k23_elf_interp(fd, &e, interp, sizeof(interp)) == 1) {
		int ok = try_file(interp, &st, &why);

		i = add(&r, interp, ok ? interp : NULL, ok ? &st : NULL, -1, ok ? why : "not found");
		if (i < 0)
			goto out;
		c->v[i].interp = 1;
	}
	if (preloads(&r, cfg->preload, " :") || preload_file(&r))
		goto out;
	/* Breadth first, like ld.so: c->n grows while the loop runs. */
	for (size_t k = 0; k < c->n; k++)
		for (size_t n = 0; n < c->v[k].dyn.nneeded; n++)
			if (request(&r, c->v[k].dyn.needed[n], (int)k))
				goto out;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	k23_ldcache_free(&r.cache);
	return rc;
}

void k23_ld_search_dirs(const char *cache_file, void (*fn)(const char *dir, void *arg), void *arg)
{
	struct k23_ldcache cache;
	char dir[PATH_MAX];

	for (size_t k = 0; k < sizeof(system_dirs) / sizeof(*system_dirs); k++) {
		fn(system_dirs[k], arg);
		for (int level = 4; level >= 2; level--) {
			snprintf(dir, sizeof(dir), "%s/glibc-hwcaps/x86-64-v%d", system_dirs[k], level);
			fn(dir, arg);
		}
		for (size_t s = 0; s < sizeof(legacy_subdirs) / sizeof(*legacy_subdirs); s++) {
			snprintf(dir, sizeof(dir), "%s/%s", system_dirs[k], legacy_subdirs[s]);
			dir[strlen(dir) - 1] = 0; /* without the subdirectory's trailing '/' */
			fn(dir, arg);
		}
	}
	if (k23_ldcache_load(cache_file, &cache) != 0)
		return;
	for (uint32_t i = 0; i < cache.nlibs; i++) {
		const char *p = k23_ldcache_path(&cache, i), *slash = p ? strrchr(p, '/') : NULL;

		if (!slash || slash == p || (size_t)(slash - p) >= sizeof(dir))
			continue;
		memcpy(dir, p, (size_t)(slash - p));
		dir[slash - p] = 0;
		fn(dir, arg);
	}
	k23_ldcache_free(&cache);
}

void k23_closure_free(struct k23_closure *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].path);
		k23_dyn_free(&c->v[i].dyn);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}
