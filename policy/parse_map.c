/* parse_map.c - the map: section: trees the program names, served from other trees (docs/virtual.md).
 *
 *   map:
 *     - path: /etc/myapp                # what the program names
 *       to: /srv/bundle/etc/myapp       # what it gets (must exist)
 *       access: read-only               # or read-write; default read-only
 *
 * path is kept as written once made normal (no ".", "..", "//", trailing
 * "/"): it need not exist. to is resolved (realpath) here, once: the
 * runtime rewrites names by prefix and never follows a symlink in to's own
 * prefix. Maps do not chain: a target that lies inside a mapped path would
 * be served from yet another tree (or loop back), and is refused.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "common/rt/path_part.h"
#include "policy/yamlw.h"

static const char *const map_keys[] = { "path", "to", "access", "comment", NULL };

/* s made normal into out (PATH_MAX): 0, or an error message. */
const char *k23_pol_normal_path(const char *s, char *out)
{
	size_t o = 0, n;
	const char *c;

	if (s[0] != '/')
		return "is not absolute";
	while ((c = k23_path_next(&s, &n))) {
		if (n == 1 && c[0] == '.')
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return "has a '..' component (write the path it names)";
		if (o + n + 2 > PATH_MAX)
			return "is too long";
		out[o++] = '/';
		memcpy(out + o, c, n);
		o += n;
	}
	out[o] = 0;
	if (!o)
		return "is the root (map trees below /)";
	return NULL;
}

static int inside(const char *path, const char *tree)
{
	size_t n = strlen(tree);

	return !strncmp(path, tree, n) && (path[n] == '/' || !path[n]);
}

static int one_map(struct yw *w, yaml_node_t *n, void *arg)
{
	struct policy *p = w->p;
	yaml_node_t *pn, *tn, *an;
	const char *path, *to, *why, *acc = "read-only";
	char npath[PATH_MAX], nto[PATH_MAX], real[PATH_MAX];
	int r;

	(void)arg;
	if (n->type != YAML_MAPPING_NODE)
		return yw_err(w, n, "map: expected a mapping (path:, to:, access:)");
	if ((r = yw_keys(w, n, "map", map_keys)))
		return r;
	if (!(pn = yw_get(w, n, "path")))
		return yw_err(w, n, "map: no path: (the name the program uses)");
	if (!(tn = yw_get(w, n, "to")))
		return yw_err(w, n, "map: no to: (the tree that serves it)");
	if (!(path = yw_str(w, pn, "path")) || !(to = yw_str(w, tn, "to")))
		return 2;
	if ((an = yw_get(w, n, "access")) && !(acc = yw_str(w, an, "access")))
		return 2;
	if (strcmp(acc, "read-only") && strcmp(acc, "read-write"))
		return yw_err(w, an, "access: '%s' (read-only or read-write)", acc);
	if ((why = k23_pol_normal_path(path, npath)))
		return yw_err(w, pn, "path '%s' %s", path, why);
	if ((why = k23_pol_normal_path(to, nto)))
		return yw_err(w, tn, "to '%s' %s", to, why);
	if (!realpath(nto, real))
		return yw_err(w, tn, "to '%s': %s (a map's target must exist)", to, strerror(errno));
	for (int i = 0; i < p->nmap; i++)
		if (!strcmp(p->map[i].path, npath))
			return yw_err(w, pn, "path '%s' is mapped twice (also at line %d)", path,
				      p->map[i].at.line);
	p->map = realloc(p->map, (size_t)(p->nmap + 1) * sizeof(*p->map));
	if (!p->map)
		abort();
	p->map[p->nmap++] = (struct pol_map){ .at = yw_at(pn), .to_at = yw_at(tn),
		.path = strdup(npath), .to = strdup(real), .read_only = !strcmp(acc, "read-only") };
	return 0;
}

/* A target inside a mapped path: two maps that point at each other loop,
 * any other would chain (refused: a name is rewritten once). */
static int check_loops(struct yw *w)
{
	struct policy *p = w->p;

	for (int i = 0; i < p->nmap; i++)
		for (int j = 0; j < p->nmap; j++) {
			const struct pol_map *a = &p->map[i], *b = &p->map[j];

			if (!inside(a->to, b->path))
				continue;
			if (i == j)
				return k23_pol_error(p->file, a->to_at, "map: the target %s lies inside "
						     "its own path %s: the map would loop", a->to, a->path);
			if (inside(b->to, a->path))
				return k23_pol_error(p->file, a->to_at, "maps loop: %s -> %s, and %s -> %s "
						     "(line %d)", a->path, a->to, b->path, b->to,
						     b->at.line);
			return k23_pol_error(p->file, a->to_at, "map: the target %s lies inside %s, "
					     "mapped at line %d: maps do not chain (write the final "
					     "target)", a->to, b->path, b->at.line);
		}
	return 0;
}

int k23_pol_parse_map(struct yw *w, yaml_node_t *n)
{
	int r;

	if (yw_is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return yw_err(w, n, "map: expected a list of maps (- path: ..., to: ...)");
	if ((r = yw_each(w, n, "map", one_map, NULL)))
		return r;
	return check_loops(w);
}
