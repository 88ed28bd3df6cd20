/* yamlw.c - typed access to a libyaml document, with errors that name the file, line and column. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/yamlw.h"

FILE *k23_pol_errors;

int k23_pol_error(const char *file, struct pol_where at, const char *fmt, ...)
{
	FILE *o = k23_pol_errors ? k23_pol_errors : stderr;
	va_list ap;

	fprintf(o, "%s:%d:%d: ", file, at.line, at.col);
	va_start(ap, fmt);
	vfprintf(o, fmt, ap);
	va_end(ap);
	fputc('\n', o);
	return 2;
}

struct pol_where yw_at(const yaml_node_t *n)
{
	struct pol_where w = { (int)n->start_mark.line + 1, (int)n->start_mark.column + 1 };

	return w;
}

int yw_err(struct yw *w, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return k23_pol_error(w->file, yw_at(n), "%s", msg);
}

yaml_node_t *yw_node(struct yw *w, int id)
{
	return yaml_document_get_node(&w->doc, id);
}

int yw_is_null(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;

	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*s || !strcmp(s, "null") || !strcmp(s, "~"));
}

const char *yw_str(struct yw *w, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		yw_err(w, n, "%s: expected a single value, found a %s", what,
		       n->type == YAML_SEQUENCE_NODE ? "list" : "mapping");
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		yw_err(w, n, "%s: NUL byte in value", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

int yw_uint(struct yw *w, yaml_node_t *n, const char *what, uint64_t *v)
{
	const char *s = yw_str(w, n, what);
	char *end;

	if (!s)
		return 2;
	errno = 0;
	if (*s == '-') { /* a negative value as the kernel sees it: 64-bit two's complement */
		long long x = strtoll(s, &end, 0);

		*v = (uint64_t)x;
	} else {
		*v = strtoull(s, &end, 0);
	}
	if (!*s || *end || errno)
		return yw_err(w, n, "%s: '%s' is not a number", what, s);
	return 0;
}

int yw_each(struct yw *w, yaml_node_t *n, const char *what,
	    int (*fn)(struct yw *, yaml_node_t *, void *), void *arg)
{
	if (n->type == YAML_SCALAR_NODE)
		return yw_is_null(n) ? yw_err(w, n, "%s: empty", what) : fn(w, n, arg);
	if (n->type != YAML_SEQUENCE_NODE)
		return yw_err(w, n, "%s: expected a list", what);
	for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		int r = fn(w, yw_node(w, *i), arg);

		if (r)
			return r;
	}
	return 0;
}

yaml_node_t *yw_key_node(struct yw *w, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yw_node(w, p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
			return k;
	}
	return NULL;
}

yaml_node_t *yw_get(struct yw *w, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yw_node(w, p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
			return yw_node(w, p->value);
	}
	return NULL;
}

int yw_keys(struct yw *w, yaml_node_t *n, const char *what, const char *const *keys)
{
	int nk = 0;

	if (n->type != YAML_MAPPING_NODE)
		return yw_err(w, n, "%s: expected a mapping (key: value)", what);
	while (keys[nk])
		nk++;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yw_node(w, p->key);
		const char *s = yw_str(w, k, what), *near;
		int known = 0, dup = 0;

		if (!s)
			return 2;
		for (int i = 0; i < nk; i++)
			known |= !strcmp(keys[i], s);
		for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
			yaml_node_t *kq = yw_node(w, q->key);

			dup |= kq->type == YAML_SCALAR_NODE && !strcmp((const char *)kq->data.scalar.value, s);
		}
		if (dup)
			return yw_err(w, k, "%s: '%s' given twice", what, s);
		if (known)
			continue;
		near = k23_pol_nearest(s, keys, nk);
		if (near)
			return yw_err(w, k, "%s: unknown key '%s' (did you mean '%s'?)", what, s, near);
		return yw_err(w, k, "%s: unknown key '%s'", what, s);
	}
	return 0;
}
