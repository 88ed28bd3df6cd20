/* parse_synth.c - synthesize: files whose content the policy gives (inline text, or a template filled when k23 starts), and identity: hostname:.
 *
 *   synthesize:
 *     - path: /etc/myapp.conf             # absolute; its directory must exist
 *       text: "port=5432\n"
 *     - path: /etc/myapp/id
 *       template: "host=${HOSTNAME} tree=${K23_TREE_ID} user=${USER}\n"
 *   identity:
 *     hostname: node7                     # uname's nodename, /etc/hostname, ${HOSTNAME}
 *     hosts: {db.internal: 10.77.0.5}     # parse_identity.c; /etc/hosts here
 *
 * A template is filled here, when the policy is read: `k23 run --policy`
 * reads it (k23-prepare policy compile) just before the program starts,
 * in k23's environment, which is the program's. Its variables:
 *   ${HOSTNAME}      identity: hostname:, else the machine's host name
 *   ${K23_TREE_ID}   32 hex digits, random, one per `k23 run`: every process
 *                    of the tree sees the same files
 *   ${NAME}          any other: the environment variable NAME (unset: an error)
 *   $$               a '$'
 * The runtime serves the content as a regular read-only file
 * (online/virtual/vfile.c); docs/virtual.md.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include "policy/yamlw.h"

static const char *const synth_keys[] = { "path", "text", "template", "comment", NULL };

struct buf {
	char *d;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		if (!(b->d = realloc(b->d, b->cap)))
			abort();
	}
	memcpy(b->d + b->n, s, n);
	b->n += n;
	b->d[b->n] = 0;
}

static const char *tree_id(struct policy *p)
{
	unsigned char r[16];
	size_t got = 0;

	if (p->tree_id[0])
		return p->tree_id;
	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			abort(); /* the kernel's random source is always there on 3.17+ */
		got += (size_t)n;
	}
	for (int i = 0; i < 16; i++)
		sprintf(p->tree_id + 2 * i, "%02x", r[i]);
	return p->tree_id;
}

static const char *host_name(struct policy *p, struct utsname *u)
{
	if (p->hostname)
		return p->hostname;
	return uname(u) == 0 ? u->nodename : NULL;
}

static int is_name(const char *s, size_t n)
{
	if (!n || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/* The value of ${name}, or NULL if the name is unknown. */
static const char *var(struct policy *p, const char *name, struct utsname *u)
{
	if (!strcmp(name, "HOSTNAME"))
		return host_name(p, u);
	if (!strcmp(name, "K23_TREE_ID"))
		return tree_id(p);
	return getenv(name);
}

static int fill(struct yw *w, yaml_node_t *n, const char *s, size_t len, struct buf *out)
{
	struct utsname u;
	char name[256];

	for (size_t i = 0; i < len;) {
		const char *end, *v;
		size_t k;

		if (s[i] != '$' || i + 1 >= len || (s[i + 1] != '$' && s[i + 1] != '{')) {
			put(out, s + i++, 1);
			continue;
		}
		if (s[i + 1] == '$') {
			put(out, "$", 1);
			i += 2;
			continue;
		}
		end = memchr(s + i + 2, '}', len - i - 2);
		if (!end)
			return yw_err(w, n, "template: '${' without its '}' (write $$ for a '$')");
		k = (size_t)(end - (s + i + 2));
		if (!is_name(s + i + 2, k) || k >= sizeof(name))
			return yw_err(w, n, "template: '${%.*s}' is not a variable name (letters, digits, _)",
				      (int)(k > 64 ? 64 : k), s + i + 2);
		memcpy(name, s + i + 2, k);
		name[k] = 0;
		if (!(v = var(w->p, name, &u)))
			return yw_err(w, n, "template: unknown variable ${%s}: not one of k23's "
				      "(HOSTNAME, K23_TREE_ID) and not set in the environment", name);
		put(out, v, strlen(v));
		if (out->n > POL_SYNTH_MAX_FILE)
			break;
		i = (size_t)(end - s) + 1;
	}
	return 0;
}

/* An absolute path without empty, '.' or '..' components: the name the
 * program uses, compared as written (and by its directory's identity). */
static int check_path(struct yw *w, yaml_node_t *n, const char *s)
{
	const char *c = s, *slash = strrchr(s, '/');
	char dir[PATH_MAX];
	struct stat st;

	if (s[0] != '/')
		return yw_err(w, n, "synthesize: path '%s' is not absolute", s);
	if (strlen(s) >= PATH_MAX || strlen(slash + 1) > NAME_MAX)
		return yw_err(w, n, "synthesize: path '%.64s...' is too long", s);
	while (*c) {
		const char *e = strchr(c + 1, '/');
		size_t k = e ? (size_t)(e - c - 1) : strlen(c + 1);

		if (!k || (k == 1 && c[1] == '.') || (k == 2 && c[1] == '.' && c[2] == '.'))
			return yw_err(w, n, "synthesize: path '%s': write it without empty, '.' or '..' "
				      "components", s);
		c += k + 1;
	}
	memcpy(dir, s, (size_t)(slash - s));
	dir[slash == s ? 1 : slash - s] = 0;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return yw_err(w, n, "synthesize: path '%s': its directory %s %s (k23 synthesizes files, "
			      "not directories)", s, dir, stat(dir, &st) ? "does not exist" : "is not a directory");
	return 0;
}

static int add(struct yw *w, struct pol_where at, const char *path, struct buf *b, int from_identity)
{
	struct policy *p = w->p;
	size_t total = b->n;

	for (int i = 0; i < p->nsynth; i++) {
		if (!strcmp(p->synth[i].path, path))
			return k23_pol_error(p->file, at, "synthesize: path '%s' is given twice (first at "
					     "line %d)", path, p->synth[i].at.line);
		total += p->synth[i].size;
	}
	if (b->n > POL_SYNTH_MAX_FILE)
		return k23_pol_error(p->file, at, "synthesize: %s: more than %u bytes (the limit per "
				     "file)", path, POL_SYNTH_MAX_FILE);
	if (total > POL_SYNTH_MAX_TOTAL)
		return k23_pol_error(p->file, at, "synthesize: %s: the files come to %zu bytes, over "
				     "the limit of %u for all together", path, total, POL_SYNTH_MAX_TOTAL);
	p->synth = realloc(p->synth, (size_t)(p->nsynth + 1) * sizeof(*p->synth));
	if (!p->synth)
		abort();
	p->synth[p->nsynth++] = (struct pol_synth){ at, strdup(path), b->d ? b->d : strdup(""), b->n,
						    from_identity };
	b->d = NULL;
	return 0;
}

static int one_file(struct yw *w, yaml_node_t *n, void *arg)
{
	yaml_node_t *pn, *tn, *gn, *cn;
	struct buf b = { 0 };
	const char *path;
	int r;

	(void)arg;
	if (n->type != YAML_MAPPING_NODE)
		return yw_err(w, n, "synthesize: expected a mapping (path:, and text: or template:)");
	if ((r = yw_keys(w, n, "synthesize", synth_keys)))
		return r;
	if (!(pn = yw_get(w, n, "path")))
		return yw_err(w, n, "synthesize: no path: (the file's absolute name)");
	if (!(path = yw_str(w, pn, "path")) || (r = check_path(w, pn, path)))
		return 2;
	tn = yw_get(w, n, "text");
	gn = yw_get(w, n, "template");
	if (!!tn == !!gn)
		return yw_err(w, n, "synthesize: %s: write either text: or template:", path);
	cn = tn ? tn : gn;
	if (cn->type != YAML_SCALAR_NODE)
		return yw_err(w, cn, "%s: expected a single value (a string)", tn ? "text" : "template");
	/* The scalar's length, not strlen: "\0" in a double-quoted string is content. */
	if (tn)
		put(&b, (const char *)cn->data.scalar.value,
		    cn->data.scalar.length > POL_SYNTH_MAX_FILE ? POL_SYNTH_MAX_FILE + 1
								: cn->data.scalar.length);
	else if ((r = fill(w, cn, (const char *)cn->data.scalar.value, cn->data.scalar.length, &b))) {
		free(b.d);
		return r;
	}
	r = add(w, yw_at(pn), path, &b, 0);
	free(b.d);
	return r;
}

int k23_pol_parse_synth(struct yw *w, yaml_node_t *n)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	w->p->synth_time = (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
	if (yw_is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return yw_err(w, n, "synthesize: expected a list of files (- path: ..., text: ...)");
	return yw_each(w, n, "synthesize", one_file, NULL);
}

/* identity: hostname: NAME - RFC 1123 letters, digits, '-' and '.', and
 * '_', at most 64 (the kernel's nodename holds 64 and a NUL). */
int k23_pol_parse_hostname(struct yw *w, yaml_node_t *n)
{
	const char *s = yw_str(w, n, "hostname");
	size_t len;

	if (!s)
		return 2;
	len = strlen(s);
	if (!len || len > POL_HOSTNAME_MAX)
		return yw_err(w, n, "hostname: '%s': expected 1 to %d characters", s, POL_HOSTNAME_MAX);
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '.' || s[i] == '_'))
			return yw_err(w, n, "hostname: '%s': letters, digits, '-', '.' and '_' only", s);
	free(w->p->hostname);
	w->p->hostname = strdup(s);
	w->p->hostname_at = yw_at(n);
	return 0;
}

static int given(const struct policy *p, const char *path)
{
	for (int i = 0; i < p->nsynth; i++)
		if (!strcmp(p->synth[i].path, path))
			return 1;
	return 0;
}

/* /etc/hosts for identity: the machine's, then each name of hosts: with
 * its address, then the host name on 127.0.1.1 (as Debian's installer
 * writes it) unless hosts: gives it: the program's resolver (glibc's
 * "files") finds them. */
static void hosts_file(const struct policy *p, struct buf *b)
{
	char line[INET6_ADDRSTRLEN + 300], addr[INET6_ADDRSTRLEN];
	FILE *f = fopen("/etc/hosts", "re");
	size_t n;
	int own = 0;

	while (f && (n = fread(line, 1, sizeof(line), f)) > 0)
		put(b, line, n);
	if (f)
		fclose(f);
	if (b->n && b->d[b->n - 1] != '\n')
		put(b, "\n", 1);
	put(b, "# k23: identity:\n", 17);
	for (int i = 0; i < p->nhosts; i++) {
		const struct pol_host *h = &p->hosts[i];

		if (h->v6)
			inet_ntop(AF_INET6, h->addr, addr, sizeof(addr));
		else
			inet_ntop(AF_INET, h->addr + 12, addr, sizeof(addr));
		n = (size_t)snprintf(line, sizeof(line), "%s\t%s\n", addr, h->name);
		put(b, line, n);
		own |= p->hostname && !strcasecmp(h->name, p->hostname);
	}
	if (p->hostname && !own) {
		n = (size_t)snprintf(line, sizeof(line), "127.0.1.1\t%s\n", p->hostname);
		put(b, line, n);
	}
}

int k23_pol_synth_finish(struct yw *w)
{
	struct policy *p = w->p;
	struct buf b = { 0 };
	int r = 0;

	if (!p->hostname && !p->nhosts)
		return 0;
	if (!p->synth_time) {
		struct timespec t;

		clock_gettime(CLOCK_REALTIME, &t);
		p->synth_time = (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
	}
	if (p->hostname && !given(p, "/etc/hostname")) {
		put(&b, p->hostname, strlen(p->hostname));
		put(&b, "\n", 1);
		r = add(w, p->hostname_at, "/etc/hostname", &b, 1);
		free(b.d);
		b = (struct buf){ 0 };
	}
	if (!r && !given(p, "/etc/hosts")) {
		hosts_file(p, &b);
		r = add(w, p->nhosts ? p->hosts[0].at : p->hostname_at, "/etc/hosts", &b, 1);
		free(b.d);
	}
	return r;
}
