/* parse_remote.c - the remote: section: trees of the program served by a 9P2000.L server (docs/remote.md).
 *
 *   remote:
 *     /mnt/data: "9p://127.0.0.1:5640/srv/export"   # PATH: URL
 *     /mnt/logs:                                     # or PATH: a mapping
 *       url: "9p://[fd00::2]/logs"                   # port 564 when none is given
 *       unreachable: start     # fail (default): k23 run exits 1 naming the server;
 *                              # start: the program runs, its remote calls fail with EIO
 *       timeout: 10            # seconds a remote call waits for the server (1-3600, default 10)
 *
 * PATH is what the program names (absolute, made normal as map:'s paths;
 * it need not exist locally). The URL is 9p://HOST[:PORT]/EXPORT: HOST an
 * IPv4 address, an IPv6 address in brackets, or a host name the proxy
 * resolves when it starts; EXPORT the tree the server exports (diod's
 * aname), from its '/'. A URL that does not parse is one line
 * FILE:LINE:COL naming the character at fault, and exit status 2.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "policy/yamlw.h"

static const char *const mount_keys[] = { "url", "unreachable", "timeout", "comment", NULL };

/* Where character i of scalar n's text is in the file: a quoted scalar
 * starts one column before its text. Multi-line scalars: the start. */
static struct pol_where char_at(const yaml_node_t *n, size_t i)
{
	struct pol_where at = yw_at(n);
	int quoted = n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		     n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;

	if (n->start_mark.line == n->end_mark.line)
		at.col += quoted + (int)i;
	return at;
}

static int url_err(struct yw *w, const yaml_node_t *n, const char *url, size_t i, const char *why)
{
	return k23_pol_error(w->file, char_at(n, i), "remote: URL '%s': %s (9p://HOST[:PORT]/EXPORT)",
			     url, why);
}

static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.' || c == '_';
}

/* HOST[:PORT] from url[i]: the host into m->host, i past the port. */
static int url_host(struct yw *w, const yaml_node_t *n, const char *url, size_t *i, struct pol_remote *m)
{
	size_t s = *i, e;
	char addr[INET6_ADDRSTRLEN + 1];
	unsigned char bin[16];

	if (url[s] == '[') {
		for (e = s + 1; url[e] && url[e] != ']'; e++)
			;
		if (!url[e])
			return url_err(w, n, url, s, "no ']' after the IPv6 address");
		if (e - s - 1 >= sizeof(addr) || (memcpy(addr, url + s + 1, e - s - 1), addr[e - s - 1] = 0,
						   inet_pton(AF_INET6, addr, bin) != 1))
			return url_err(w, n, url, s + 1, "not an IPv6 address");
		m->host = strndup(url + s + 1, e - s - 1);
		e++;
	} else {
		for (e = s; host_char(url[e]); e++)
			;
		if (e == s)
			return url_err(w, n, url, s, url[s] ? "a host name or address was expected here"
							    : "no host");
		if (e - s > 253)
			return url_err(w, n, url, s, "the host name is longer than 253 characters");
		m->host = strndup(url + s, e - s);
	}
	if (!m->host)
		abort();
	m->port = 564;
	if (url[e] == ':') {
		unsigned long v = 0;
		size_t p = ++e;

		while (url[e] >= '0' && url[e] <= '9' && v <= 65535)
			v = v * 10 + (unsigned long)(url[e++] - '0');
		if (e == p || v < 1 || v > 65535 || (url[e] >= '0' && url[e] <= '9'))
			return url_err(w, n, url, p, "the port is not a number 1-65535");
		m->port = (unsigned)v;
	} else if (url[e] && url[e] != '/') {
		return url_err(w, n, url, e, "unexpected character in the host");
	}
	*i = e;
	return 0;
}

/* 9p://HOST[:PORT]/EXPORT into m. */
static int parse_url(struct yw *w, yaml_node_t *n, const char *url, struct pol_remote *m)
{
	size_t i = 0;
	int r;

	if (strncmp(url, "9p://", 5)) {
		const char *c = strstr(url, "://");

		return url_err(w, n, url, 0, c ? "the scheme is not 9p" : "no scheme (9p://)");
	}
	i = 5;
	if ((r = url_host(w, n, url, &i, m)))
		return r;
	if (url[i] != '/')
		return url_err(w, n, url, i, "no export: the path the server exports follows the host");
	for (size_t k = i; url[k]; k++)
		if ((unsigned char)url[k] < 0x21 || url[k] == 0x7f)
			return url_err(w, n, url, k, "a space or control character in the export");
	if (strlen(url + i) >= PATH_MAX)
		return url_err(w, n, url, i, "the export is too long");
	m->export = strdup(url + i);
	m->url = strdup(url);
	if (!m->export || !m->url)
		abort();
	return 0;
}

static int parse_options(struct yw *w, yaml_node_t *v, struct pol_remote *m, yaml_node_t **urln)
{
	yaml_node_t *o;
	uint64_t t;
	int r;

	if ((r = yw_keys(w, v, "remote", mount_keys)))
		return r;
	if (!(*urln = yw_get(w, v, "url")))
		return yw_err(w, v, "remote: %s: no url: (9p://HOST[:PORT]/EXPORT)", m->path);
	if ((o = yw_get(w, v, "unreachable"))) {
		const char *s = yw_str(w, o, "unreachable");

		if (!s)
			return 2;
		if (strcmp(s, "fail") && strcmp(s, "start"))
			return yw_err(w, o, "unreachable: '%s' (fail: k23 run exits; start: the program "
				      "runs and its remote calls fail with EIO)", s);
		m->start_anyway = !strcmp(s, "start");
	}
	if ((o = yw_get(w, v, "timeout"))) {
		if ((r = yw_uint(w, o, "timeout", &t)))
			return r;
		if (t < 1 || t > 3600)
			return yw_err(w, o, "timeout: %llu seconds: expected 1-3600", (unsigned long long)t);
		m->timeout_s = (unsigned)t;
	}
	return 0;
}

static int inside(const char *path, const char *tree)
{
	size_t n = strlen(tree);

	return !strncmp(path, tree, n) && (path[n] == '/' || !path[n]);
}

/* A remote tree may not overlap another remote tree or a map: a name is
 * served by one part of the virtual world. */
static int overlaps(struct yw *w, yaml_node_t *k, const struct pol_remote *m)
{
	const struct policy *p = w->p;

	for (int i = 0; i < p->nremote; i++)
		if (inside(m->path, p->remote[i].path) || inside(p->remote[i].path, m->path))
			return yw_err(w, k, "remote: %s overlaps the remote tree %s (line %d)", m->path,
				      p->remote[i].path, p->remote[i].at.line);
	for (int i = 0; i < p->nmap; i++)
		if (inside(m->path, p->map[i].path) || inside(p->map[i].path, m->path) ||
		    inside(p->map[i].to, m->path))
			return yw_err(w, k, "remote: %s overlaps the map of %s (line %d): a name is served "
				      "by one of them", m->path, p->map[i].path, p->map[i].at.line);
	for (int i = 0; i < p->nsynth; i++)
		if (inside(p->synth[i].path, m->path))
			return yw_err(w, k, "remote: %s holds the synthesized file %s (line %d)", m->path,
				      p->synth[i].path, p->synth[i].at.line);
	return 0;
}

static int one_mount(struct yw *w, yaml_node_t *k, yaml_node_t *v)
{
	struct pol_remote m = { .at = yw_at(k), .timeout_s = POL_REMOTE_TIMEOUT };
	const char *path = yw_str(w, k, "remote"), *why, *url;
	char npath[PATH_MAX];
	yaml_node_t *urln = v;
	int r;

	if (!path)
		return 2;
	if ((why = k23_pol_normal_path(path, npath)))
		return yw_err(w, k, "remote: path '%s' %s", path, why);
	m.path = npath;
	if (v->type == YAML_MAPPING_NODE && (r = parse_options(w, v, &m, &urln)))
		return r;
	if (!(url = yw_str(w, urln, "remote")))
		return 2;
	if ((r = overlaps(w, k, &m)) || (r = parse_url(w, urln, url, &m))) {
		free(m.host);
		free(m.export);
		free(m.url);
		return r;
	}
	if (!(m.path = strdup(npath)))
		abort();
	w->p->remote = realloc(w->p->remote, (size_t)(w->p->nremote + 1) * sizeof(*w->p->remote));
	if (!w->p->remote)
		abort();
	w->p->remote[w->p->nremote++] = m;
	return 0;
}

int k23_pol_parse_remote(struct yw *w, yaml_node_t *n)
{
	int r;

	if (yw_is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return yw_err(w, n, "remote: expected a mapping of paths to URLs "
			      "({/mnt/data: \"9p://HOST:PORT/EXPORT\"})");
	for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top; q++)
		if ((r = one_mount(w, yw_node(w, q->key), yw_node(w, q->value))))
			return r;
	if (w->p->nremote > POL_REMOTE_MAX)
		return yw_err(w, n, "remote: %d trees; at most %d", w->p->nremote, POL_REMOTE_MAX);
	return 0;
}

void k23_pol_free_remote(struct policy *p)
{
	for (int i = 0; i < p->nremote; i++) {
		free(p->remote[i].path);
		free(p->remote[i].url);
		free(p->remote[i].host);
		free(p->remote[i].export);
	}
	free(p->remote);
}
