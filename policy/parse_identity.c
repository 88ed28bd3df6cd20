/* parse_identity.c - the identity: section: host names the program resolves (hosts:) and destinations rewritten (rewrite:).
 *
 *   identity:
 *     hosts: {db.internal: 10.77.0.5, cache.internal: "fd00::7"}
 *     rewrite:
 *       - from: "db.internal:5432"        # a name of hosts:, or an address
 *         to: "127.0.0.1:15432"           # an address
 *       - from: "[fd00::7]:6379"
 *         to: "[::1]:16379"
 *     hostname: node7                     # parse_synth.c: uname's nodename, /etc/hostname
 *
 * Addresses are written as the destinations of network rules (parse_net.c,
 * which reads them): IPv4, or IPv6 in brackets when a port follows. Each
 * side names one address and one port: the reverse mapping (what
 * getpeername, getsockname, accept and recvfrom show) is by address and
 * port, so a rewrite of a whole address would make every connection to the
 * real one look like the virtual host's. Two rewrites to the same real
 * destination would make the address shown for it ambiguous: refused.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "policy/yamlw.h"

static const char *const rewrite_keys[] = { "from", "to", "comment", NULL };

static int is_mapped(const uint8_t a[16])
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return !memcmp(a, prefix, 12);
}

/* An address as a destination of a network rule: one address, no port. */
static int one_address(struct yw *w, yaml_node_t *n, const char *what, const char *s, uint8_t addr[16])
{
	struct pol_dest_rule d = { 0 };
	int r;

	if ((r = k23_pol_parse_dest(w, n, s, &d))) {
		free(d.name);
		return r;
	}
	free(d.name);
	if (d.kind != POL_DEST_INET)
		return yw_err(w, n, "%s: '%s' is not an IP address", what, s);
	if (d.prefix != 128)
		return yw_err(w, n, "%s: '%s' is a network: name one address", what, s);
	memcpy(addr, d.addr, 16);
	return 0;
}

/* A host name as resolvers and /etc/hosts take it: labels of letters,
 * digits, '-' and '_' separated by dots; not an address itself. */
static int host_name(struct yw *w, yaml_node_t *n, const char *s)
{
	size_t len = strlen(s), label = 0;
	struct in_addr ia;

	if (!len || len > 253)
		return yw_err(w, n, "hosts: '%s': a host name has 1 to 253 characters", s);
	for (const char *c = s; *c; c++) {
		int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			 (*c >= '0' && *c <= '9') || *c == '-' || *c == '_';

		if (*c == '.' && label) {
			label = 0;
			continue;
		}
		if (!ok || ++label > 63)
			return yw_err(w, n, "hosts: '%s' is not a host name (labels of letters, digits, "
				      "'-' and '_' up to 63 characters, separated by dots)", s);
	}
	if (!label)
		return yw_err(w, n, "hosts: '%s' is not a host name (an empty label)", s);
	if (inet_aton(s, &ia))
		return yw_err(w, n, "hosts: '%s' is an address, not a name", s);
	return 0;
}

static const struct pol_host *find_host(const struct policy *p, const char *name)
{
	for (int i = 0; i < p->nhosts; i++)
		if (!strcasecmp(p->hosts[i].name, name))
			return &p->hosts[i];
	return NULL;
}

static int parse_hosts(struct yw *w, yaml_node_t *n)
{
	struct policy *p = w->p;

	if (n->type != YAML_MAPPING_NODE)
		return yw_err(w, n, "hosts: expected a mapping of names to addresses "
			      "({db.internal: 10.77.0.5})");
	for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top; q++) {
		yaml_node_t *k = yw_node(w, q->key), *v = yw_node(w, q->value);
		const struct pol_host *seen;
		const char *name = yw_str(w, k, "hosts"), *a;
		struct pol_host h = { .at = yw_at(k) };
		int r;

		if (!name || (r = host_name(w, k, name)))
			return 2;
		if ((seen = find_host(p, name)))
			return yw_err(w, k, "hosts: '%s' given twice (line %d)", name, seen->at.line);
		if (!(a = yw_str(w, v, "hosts")))
			return 2;
		if (strstr(a, "]:") || (a[0] != '[' && strchr(a, ':') && strchr(a, ':') == strrchr(a, ':')))
			return yw_err(w, v, "hosts: %s: '%s': write the address alone, without a port",
				      name, a);
		if (a[0] != '[' && !strchr(a, ':') && strspn(a, "0123456789./") != strlen(a))
			return yw_err(w, v, "hosts: %s: '%s' is not an address (10.77.0.5, fd00::5)",
				      name, a);
		if ((r = one_address(w, v, "hosts", a, h.addr)))
			return r;
		h.v6 = !is_mapped(h.addr);
		h.name = strdup(name);
		p->hosts = realloc(p->hosts, (size_t)(p->nhosts + 1) * sizeof(*p->hosts));
		if (!p->hosts || !h.name)
			abort();
		p->hosts[p->nhosts++] = h;
	}
	return 0;
}

/* HOST:PORT, [IPV6]:PORT; HOST a name of hosts: where names_ok. */
static int endpoint(struct yw *w, yaml_node_t *n, const char *what, const char *s, int names_ok,
		    uint8_t addr[16], unsigned *port)
{
	char buf[300], *colon, *end;
	const struct pol_host *h;
	unsigned long v;

	if (strlen(s) >= sizeof(buf))
		return yw_err(w, n, "%s: '%.40s...': too long", what, s);
	strcpy(buf, s);
	if (buf[0] == '[') {
		colon = strchr(buf, ']');
		if (colon && colon[1] != ':')
			return yw_err(w, n, "%s: '%s': no port (write [ADDRESS]:PORT)", what, s);
		colon = colon ? colon + 1 : NULL;
	} else {
		colon = strchr(buf, ':');
		if (colon && colon != strrchr(buf, ':'))
			return yw_err(w, n, "%s: '%s': an IPv6 address goes in brackets before its "
				      "port ([ADDRESS]:PORT)", what, s);
	}
	if (!colon)
		return yw_err(w, n, "%s: '%s': no port (write %s:PORT)", what, s, buf);
	*colon++ = 0;
	v = strtoul(colon, &end, 10);
	if (*colon < '0' || *colon > '9' || *end || v < 1 || v > 65535)
		return yw_err(w, n, "%s: '%s': port '%s': expected a number 1-65535", what, s, colon);
	*port = (unsigned)v;
	if (buf[0] == '[' || strspn(buf, "0123456789./") == strlen(buf))
		return one_address(w, n, what, buf, addr);
	if (names_ok && (h = find_host(w->p, buf))) {
		memcpy(addr, h->addr, 16);
		return 0;
	}
	if (!names_ok)
		return yw_err(w, n, "%s: '%s' is not an address (the destination the kernel receives: "
			      "127.0.0.1:15432, [::1]:15432)", what, buf);
	if (w->p->nhosts) {
		const char **names = calloc((size_t)(unsigned)w->p->nhosts, sizeof(char *)), *near;

		if (!names)
			abort();
		for (int i = 0; i < w->p->nhosts; i++)
			names[i] = w->p->hosts[i].name;
		near = k23_pol_nearest(buf, (const char *const *)names, w->p->nhosts);
		free(names);
		if (near)
			return yw_err(w, n, "%s: '%s' is neither a name of hosts: nor an address (did you "
				      "mean '%s'?)", what, buf, near);
	}
	return yw_err(w, n, "%s: '%s' is neither a name of hosts: nor an address", what, buf);
}

static int same(const uint8_t a[16], unsigned pa, const uint8_t b[16], unsigned pb)
{
	return pa == pb && !memcmp(a, b, 16);
}

static int one_rewrite(struct yw *w, yaml_node_t *n, void *arg)
{
	struct policy *p = w->p;
	struct pol_rewrite rw = { .at = yw_at(n) };
	yaml_node_t *f, *t;
	const char *fs, *ts;
	int r;

	(void)arg;
	if ((r = yw_keys(w, n, "rewrite", rewrite_keys)))
		return r;
	if (!(f = yw_get(w, n, "from")) || !(t = yw_get(w, n, "to")))
		return yw_err(w, n, "rewrite: write from: (HOST:PORT the program names) and to: "
			      "(ADDRESS:PORT the kernel receives)");
	if (!(fs = yw_str(w, f, "from")) || !(ts = yw_str(w, t, "to")))
		return 2;
	if ((r = endpoint(w, f, "from", fs, 1, rw.from, &rw.from_port)) ||
	    (r = endpoint(w, t, "to", ts, 0, rw.to, &rw.to_port)))
		return r;
	if (is_mapped(rw.from) && !is_mapped(rw.to))
		return yw_err(w, t, "to: '%s': an IPv6 destination for an IPv4 one: a program's IPv4 "
			      "socket cannot reach it", ts);
	for (int i = 0; i < p->nrewrite; i++) {
		if (same(p->rewrite[i].from, p->rewrite[i].from_port, rw.from, rw.from_port))
			return yw_err(w, f, "from: '%s' is rewritten twice (line %d)", fs,
				      p->rewrite[i].at.line);
		if (same(p->rewrite[i].to, p->rewrite[i].to_port, rw.to, rw.to_port))
			return yw_err(w, t, "to: '%s' is also where line %d goes: the address the "
				      "program sees for it would be ambiguous", ts, p->rewrite[i].at.line);
	}
	rw.from_written = strdup(fs);
	rw.to_written = strdup(ts);
	p->rewrite = realloc(p->rewrite, (size_t)(p->nrewrite + 1) * sizeof(*p->rewrite));
	if (!p->rewrite || !rw.from_written || !rw.to_written)
		abort();
	p->rewrite[p->nrewrite++] = rw;
	return 0;
}

static int parse_rewrite(struct yw *w, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return yw_err(w, n, "rewrite: expected a list (- from: HOST:PORT, to: ADDRESS:PORT)");
	return yw_each(w, n, "rewrite", one_rewrite, NULL);
}

/* The keys of identity:, each with its parser, in the order they run
 * (rewrite: names the hosts of hosts:). */
static const struct {
	const char *key;
	int (*parse)(struct yw *w, yaml_node_t *n);
} parts[] = {
	{ "hosts", parse_hosts },
	{ "rewrite", parse_rewrite },
	{ "hostname", k23_pol_parse_hostname },
};
#define NPARTS (int)(sizeof(parts) / sizeof(parts[0]))

int k23_pol_parse_identity(struct yw *w, yaml_node_t *n)
{
	const char *keys[NPARTS + 2];
	yaml_node_t *v;
	int r;

	if (yw_is_null(n))
		return 0;
	for (int i = 0; i < NPARTS; i++)
		keys[i] = parts[i].key;
	keys[NPARTS] = "comment";
	keys[NPARTS + 1] = NULL;
	if ((r = yw_keys(w, n, "identity", keys)))
		return r;
	for (int i = 0; i < NPARTS; i++)
		if ((v = yw_get(w, n, parts[i].key)) && !yw_is_null(v) && (r = parts[i].parse(w, v)))
			return r;
	return 0;
}
