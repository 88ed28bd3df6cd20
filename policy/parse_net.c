/* parse_net.c - destinations of network rules (to:): address ranges and ports, unix socket paths, abstract names.
 *
 *   "127.0.0.0/8:8080"  "10.1.2.3"  "10.0.0.0/8:8000-8100"
 *   "[::1]:8080"  "[fd00::/8]:443"  "::1"  "fd00::/8"
 *   "unix:/run/postgresql/.s.PGSQL.5432"  "unix-abstract:name"  any
 * A missing port means every port; a missing prefix, the one address.
 * Host bits set below the prefix are an error (a typo more often than
 * intended), naming the network meant.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "policy/yamlw.h"

#define UNIX_PATH_MAX 108

static int port_range(struct yw *w, yaml_node_t *n, const char *s, struct pol_dest_rule *d)
{
	unsigned long lo, hi;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return yw_err(w, n, "destination: port '%s': expected a number or a range LOW-HIGH", s);
	lo = strtoul(s, &end, 10);
	hi = lo;
	if (end != s && *end == '-' && end[1] >= '0' && end[1] <= '9')
		hi = strtoul(end + 1, &end, 10);
	if (end == s || *end)
		return yw_err(w, n, "destination: port '%s': expected a number or a range LOW-HIGH", s);
	if (lo > 65535 || hi > 65535 || lo > hi)
		return yw_err(w, n, "destination: port range '%s' is invalid (0-65535, low before high)", s);
	d->lo = (unsigned)lo;
	d->hi = (unsigned)hi;
	return 0;
}

/* "ADDR" or "ADDR/PREFIX" of one family into d (IPv4 mapped into IPv6). */
static int address(struct yw *w, yaml_node_t *n, const char *whole, char *a, int v6,
		   struct pol_dest_rule *d)
{
	char *slash = strchr(a, '/'), *end, text[INET6_ADDRSTRLEN];
	unsigned max = v6 ? 128 : 32;
	unsigned long bits = max;
	uint8_t net[16];

	if (slash) {
		*slash = 0;
		if (slash[1] < '0' || slash[1] > '9')
			return yw_err(w, n, "destination '%s': invalid prefix length", whole);
		bits = strtoul(slash + 1, &end, 10);
		if (*end || bits > max)
			return yw_err(w, n, "destination '%s': invalid prefix length (0-%u)", whole, max);
	}
	memset(net, 0, sizeof(net));
	if (v6 ? inet_pton(AF_INET6, a, net) != 1 : inet_pton(AF_INET, a, net + 12) != 1)
		return yw_err(w, n, "destination '%s': '%s' is not an IPv%d address", whole, a,
			      v6 ? 6 : 4);
	if (!v6) {
		net[10] = net[11] = 0xff;
		bits += 96;
	}
	memcpy(d->addr, net, 16);
	for (unsigned i = (unsigned)bits; i < 128; i++)
		d->addr[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	if (memcmp(d->addr, net, 16)) {
		inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ? (void *)d->addr : (void *)(d->addr + 12), text,
			  sizeof(text));
		return yw_err(w, n, "destination '%s': host bits set below the prefix (the network "
			      "is %s/%lu)", whole, text, v6 ? bits : bits - 96);
	}
	d->prefix = (unsigned)bits;
	d->kind = POL_DEST_INET;
	return 0;
}

static int name(struct yw *w, yaml_node_t *n, const char *s, const char *what, int path,
		struct pol_dest_rule *d)
{
	size_t len = strlen(s);

	if (!len)
		return yw_err(w, n, "destination: %s: the name is empty", what);
	if (path && s[0] != '/')
		return yw_err(w, n, "destination: unix:%s: the socket path is not absolute", s);
	if (len >= UNIX_PATH_MAX - !path)
		return yw_err(w, n, "destination: %s: longer than a unix socket name (%d bytes)", what,
			      UNIX_PATH_MAX - 1 - !path);
	d->kind = path ? POL_DEST_UNIX : POL_DEST_ABSTRACT;
	d->name = strdup(s);
	return 0;
}

/* One destination of to: into d (kind, address or name, ports). */
int k23_pol_parse_dest(struct yw *w, yaml_node_t *n, const char *s, struct pol_dest_rule *d)
{
	char buf[128], *port = NULL;
	int r;

	d->lo = 0;
	d->hi = 65535;
	if (!strcmp(s, "any")) {
		d->kind = POL_DEST_ANY;
		return 0;
	}
	if (!strncmp(s, "unix:", 5))
		return name(w, n, s + 5, s, 1, d);
	if (!strncmp(s, "unix-abstract:", 14))
		return name(w, n, s + 14, s, 0, d);
	if (strlen(s) >= sizeof(buf))
		return yw_err(w, n, "destination '%.40s...': too long", s);
	strcpy(buf, s);
	/* A word before the first ':' that is no hex or dotted number (with a prefix): a scheme. */
	if (buf[0] != '[' && (port = strchr(buf, ':')) && port > buf &&
	    buf[strspn(buf, "0123456789abcdefABCDEF./")] != ':')
		return yw_err(w, n, "destination '%s': unknown scheme '%.*s' (unix:, unix-abstract:, an "
			      "address, or any)", s, (int)(port - buf), buf);
	port = NULL;
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');

		if (!close)
			return yw_err(w, n, "destination '%s': '[' without ']'", s);
		*close = 0;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			return yw_err(w, n, "destination '%s': expected ':PORT' after ']'", s);
		if ((r = address(w, n, s, buf + 1, 1, d)))
			return r;
	} else if (strchr(buf, ':') && strchr(buf, ':') != strrchr(buf, ':')) {
		r = address(w, n, s, buf, 1, d); /* IPv6 without a port */
		if (r)
			return r;
	} else if (buf[0] >= '0' && buf[0] <= '9' && strchr(buf, '.')) {
		if ((port = strchr(buf, ':')))
			*port++ = 0;
		if ((r = address(w, n, s, buf, 0, d)))
			return r;
	} else {
		char *colon = strchr(buf, ':');

		if (colon)
			return yw_err(w, n, "destination '%s': unknown scheme '%.*s' (unix:, "
				      "unix-abstract:, an address, or any)", s, (int)(colon - buf), buf);
		return yw_err(w, n, "destination '%s': expected an address (10.1.0.0/16:5432, "
			      "[::1]:8080), unix:PATH, unix-abstract:NAME or any", s);
	}
	return port ? port_range(w, n, port, d) : 0;
}
