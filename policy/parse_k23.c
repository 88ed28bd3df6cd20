/* parse_k23.c - k23's own policy form: default, calls (names, @groups, errno, argument conditions), files, network.
 *
 *   default: allow | deny | kill | kill-thread | log     default-errno: EPERM
 *   calls:
 *     - deny: ["@mount", ptrace]        # also allow:, kill:, kill-thread:, log:
 *       errno: EPERM                    # deny only; default EPERM
 *     - errno: EPERM                    # the same as deny: with errno:
 *       calls: [personality]
 *       args: [{arg: 0, op: ne, value: 0}]
 *   files:
 *     - allow: read | read-write
 *       paths: [/usr, "${CWD}"]
 *     - deny: all                       # inside a grant: the in-process layer
 *       paths: [/etc/shadow]
 *       errno: ENOENT                   # deny only; default EACCES
 *   network:
 *     - allow: [connect, bind]          # TCP ports: Landlock
 *       ports: [8080, "9000-9010"]
 *     - allow: [connect, sendto]        # destinations: in-process (parse_net.c)
 *       to: ["127.0.0.0/8:8080", "[::1]:8080", "unix:/run/x.sock"]
 *     - deny: connect
 *       to: [any]
 *       errno: ECONNREFUSED             # to: rules only; default EACCES
 *   scope:                              # in-process only; deny rules only
 *     - exe: /usr/bin/cat
 *       files: [{deny: all, paths: [/etc/motd]}]
 *       network: [{deny: connect, to: ["127.0.0.1:8080"]}]
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "policy/yamlw.h"

static const struct { const char *name; enum pol_action a; } actions[] = {
	{ "allow", POL_ALLOW }, { "deny", POL_ERRNO }, { "kill", POL_KILL_PROCESS },
	{ "kill-thread", POL_KILL_THREAD }, { "log", POL_LOG },
};
#define NACTIONS (int)(sizeof(actions) / sizeof(actions[0]))

static int action_of(const char *s)
{
	for (int i = 0; i < NACTIONS; i++)
		if (!strcmp(actions[i].name, s))
			return (int)actions[i].a;
	return -1;
}

static int parse_errno(struct yw *w, yaml_node_t *n, int *e)
{
	const char *s = yw_str(w, n, "errno"), *near;

	if (!s)
		return 2;
	*e = k23_pol_errno(s);
	if (*e > 0)
		return 0;
	near = k23_pol_suggest_errno(s);
	if (near)
		return yw_err(w, n, "unknown errno '%s' (did you mean '%s'?)", s, near);
	return yw_err(w, n, "unknown errno '%s' (a name such as EPERM, or a number 1-4095)", s);
}

int k23_pol_parse_default(struct yw *w, yaml_node_t *def, yaml_node_t *err)
{
	struct policy *p = w->p;
	const char *s;

	if (def) {
		if (!(s = yw_str(w, def, "default")))
			return 2;
		p->def_at = yw_at(def);
		if (action_of(s) < 0)
			return yw_err(w, def, "default: '%s' is not an action (allow, deny, kill, "
				      "kill-thread, log)", s);
		p->def = (enum pol_action)action_of(s);
	}
	if (err) {
		if (p->def != POL_ERRNO)
			return yw_err(w, err, "default-errno is given but the default is not deny");
		return parse_errno(w, err, &p->def_errno);
	}
	return 0;
}

struct name_ctx {
	struct pol_call_rule *r;
	int depth;
};

static int add_group(struct yw *w, yaml_node_t *n, const char *g, struct pol_call_rule *r,
		     int depth, const char *top)
{
	const char *m = k23_pol_group(g, NULL), *near;

	if (!m) {
		near = k23_pol_suggest_group(g);
		if (near)
			return yw_err(w, n, "unknown group '%s' (did you mean '%s'?)", g, near);
		return yw_err(w, n, "unknown group '%s' (systemd's groups: see k23-policy(5))", g);
	}
	for (; *m; m += strlen(m) + 1) {
		if (*m == '@') {
			if (depth < 4 && add_group(w, n, m, r, depth + 1, top))
				return 2;
			continue;
		}
		/* Groups list calls of every architecture; those x86-64 lacks
		 * cannot be made here. */
		if (k23_pol_call_nr(m) >= 0)
			k23_pol_rule_name(r, m, top, yw_at(n));
	}
	return 0;
}

static int one_name(struct yw *w, yaml_node_t *n, void *arg)
{
	struct pol_call_rule *r = arg;
	const char *s = yw_str(w, n, "call"), *near;

	if (!s)
		return 2;
	if (*s == '@')
		return add_group(w, n, s, r, 0, s);
	if (k23_pol_call_nr(s) >= 0) {
		k23_pol_rule_name(r, s, NULL, yw_at(n));
		return 0;
	}
	near = k23_pol_suggest_call(s);
	if (near)
		return yw_err(w, n, "unknown system call '%s' (did you mean '%s'?)", s, near);
	return yw_err(w, n, "unknown system call '%s' on x86-64", s);
}

static const char *const rule_keys[] = {
	"allow", "deny", "kill", "kill-thread", "log", "errno", "calls", "args", "comment", NULL,
};

static int parse_call_rule(struct yw *w, yaml_node_t *n, void *arg)
{
	struct pol_call_rule *r;
	yaml_node_t *names = NULL, *e, *k = NULL, *args;
	int act = -1, rc;

	(void)arg;
	if ((rc = yw_keys(w, n, "call rule", rule_keys)))
		return rc;
	for (int i = 0; i < NACTIONS; i++) {
		yaml_node_t *v = yw_get(w, n, actions[i].name);

		if (!v)
			continue;
		if (act >= 0)
			return yw_err(w, v, "call rule: one action per rule (%s and %s)",
				      actions[act].name, actions[i].name);
		act = i;
		names = v;
		k = yw_key_node(w, n, actions[i].name);
	}
	e = yw_get(w, n, "errno");
	if (yw_get(w, n, "calls")) {
		if (names)
			return yw_err(w, yw_key_node(w, n, "calls"), "call rule: the calls are given "
				      "twice (%s: and calls:)", actions[act].name);
		if (!e)
			return yw_err(w, yw_key_node(w, n, "calls"), "call rule: calls: needs errno: "
				      "(or write allow:/deny:/kill:/log: [calls])");
		names = yw_get(w, n, "calls");
		k = yw_key_node(w, n, "calls");
		act = 1; /* deny */
	}
	if (!names)
		return yw_err(w, n, "call rule: no calls (allow:, deny:, kill:, kill-thread: or log:)");
	r = k23_pol_add_rule(w->p, yw_at(k));
	r->action = actions[act].a;
	r->err = 1; /* EPERM */
	if (e && r->action != POL_ERRNO)
		return yw_err(w, e, "errno: only a deny rule returns an errno");
	if (e && (rc = parse_errno(w, e, &r->err)))
		return rc;
	if ((rc = yw_each(w, names, "calls", one_name, r)))
		return rc;
	if ((args = yw_get(w, n, "args")) && !yw_is_null(args))
		return k23_pol_parse_cond(w, args, r, 0);
	return 0;
}

int k23_pol_parse_calls(struct yw *w, yaml_node_t *n)
{
	if (yw_is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return yw_err(w, n, "calls: expected a list of rules");
	return yw_each(w, n, "calls", parse_call_rule, NULL);
}

/* --- files --- */

static const char *const path_keys[] = { "allow", "deny", "paths", "errno", "comment", NULL };

/* ${CWD} and ${HOME}, then the path as the kernel resolves it now. */
static int expand(struct yw *w, yaml_node_t *n, const char *s, char *out, size_t size)
{
	char buf[PATH_MAX * 2], cwd[PATH_MAX];
	size_t o = 0;

	while (*s && o < sizeof(buf) - 1) {
		const char *v = NULL;
		size_t skip = 0;

		if (!strncmp(s, "${CWD}", 6)) {
			v = getcwd(cwd, sizeof(cwd));
			skip = 6;
		} else if (!strncmp(s, "${HOME}", 7)) {
			v = getenv("HOME");
			skip = 7;
		} else if (!strncmp(s, "${", 2)) {
			return yw_err(w, n, "path '%s': unknown variable (${CWD}, ${HOME})", s);
		}
		if (!skip) {
			buf[o++] = *s++;
			continue;
		}
		if (!v)
			return yw_err(w, n, "path: %.*s is not known here", (int)skip, s);
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", v);
		s += skip;
	}
	buf[o < sizeof(buf) ? o : sizeof(buf) - 1] = 0;
	if (buf[0] != '/')
		return yw_err(w, n, "path '%s' is not absolute (write /..., ${CWD}/... or ${HOME}/...)", buf);
	if (!realpath(buf, out)) {
		if (strlen(buf) >= size)
			return yw_err(w, n, "path too long");
		strcpy(out, buf);
		return 1; /* does not exist (yet) */
	}
	return 0;
}

struct path_ctx {
	enum pol_path_kind kind;
	int err, rule;
};

static int one_path(struct yw *w, yaml_node_t *n, void *arg)
{
	struct path_ctx *c = arg;
	struct policy *p = w->p;
	const char *s = yw_str(w, n, "path");
	char real[PATH_MAX];
	int r;

	if (!s)
		return 2;
	r = expand(w, n, s, real, sizeof(real));
	if (r > 1)
		return r;
	if (r == 1 && c->kind != POL_PATH_DENY)
		return yw_err(w, n, "path '%s' does not exist: Landlock grants access to existing "
			      "files and directories only", s);
	p->paths = realloc(p->paths, (size_t)(p->npaths + 1) * sizeof(*p->paths));
	if (!p->paths)
		abort();
	p->paths[p->npaths++] = (struct pol_path_rule){ .at = yw_at(n), .kind = c->kind,
		.path = strdup(real), .written = strdup(s), .err = c->err, .rule = c->rule,
		.scope = w->scope ? strdup(w->scope) : NULL };
	return 0;
}

static int parse_path_rule(struct yw *w, yaml_node_t *n, void *arg)
{
	yaml_node_t *a, *d, *paths, *e;
	struct path_ctx c = { POL_PATH_DENY, 13 /* EACCES, as Landlock answers */, 0 };
	const char *s;
	int r;

	c.rule = ++*(int *)arg;
	if ((r = yw_keys(w, n, "file rule", path_keys)))
		return r;
	/* Inside a scope only the in-process layer decides, and it can only
	 * refuse what the tree's rules let through: a grant for one
	 * executable would need the kernel layers to loosen at its exec. */
	if (w->scope && (a = yw_key_node(w, n, "allow")))
		return yw_err(w, a, "allow: inside a scope: a scope can only tighten (deny: all); "
			      "grant the tree's access in the top-level files:");
	if ((e = yw_get(w, n, "errno")) && yw_get(w, n, "allow"))
		return yw_err(w, yw_key_node(w, n, "errno"), "errno: only a deny rule returns an errno");
	if (e && (r = parse_errno(w, e, &c.err)))
		return r;
	a = yw_get(w, n, "allow");
	d = yw_get(w, n, "deny");
	paths = yw_get(w, n, "paths");
	if (!!a == !!d)
		return yw_err(w, n, "file rule: write either allow: read|read-write or deny: all");
	if (!paths)
		return yw_err(w, n, "file rule: no paths:");
	if (!(s = yw_str(w, a ? a : d, a ? "allow" : "deny")))
		return 2;
	if (a && !strcmp(s, "read"))
		c.kind = POL_PATH_READ;
	else if (a && (!strcmp(s, "read-write") || !strcmp(s, "all")))
		c.kind = POL_PATH_READ_WRITE;
	else if (d && (!strcmp(s, "all") || !strcmp(s, "read-write")))
		c.kind = POL_PATH_DENY;
	else if (a)
		return yw_err(w, a, "allow: '%s' (read or read-write)", s);
	else
		return yw_err(w, d, "deny: '%s' is not supported yet (deny: all; denying only writes "
			      "inside a tree: grant it read)", s);
	return yw_each(w, paths, "paths", one_path, &c);
}

int k23_pol_parse_files(struct yw *w, yaml_node_t *n)
{
	if (!w->scope)
		w->p->has_files = 1;
	if (yw_is_null(n))
		return 0; /* files: with no rules: nothing granted */
	if (n->type != YAML_SEQUENCE_NODE)
		return yw_err(w, n, "files: expected a list of rules");
	return yw_each(w, n, "files", parse_path_rule, &w->file_rules);
}

/* --- scope --- */

/* scope: [{exe: PATH, files: [deny rules], network: [deny to: rules]}]:
 * rules only the images of one executable obey. The kernel layers are
 * inherited across execve and only tighten, so a scope is decided by the
 * in-process layer alone, and holds deny rules only (parse_path_rule and
 * parse_net_rule refuse an allow, and ports:, which only Landlock decides). */
static const char *const scope_keys[] = { "exe", "files", "network", "comment", NULL };

static int one_scope(struct yw *w, yaml_node_t *n, void *arg)
{
	yaml_node_t *e, *f, *net;
	const char *s;
	char real[PATH_MAX];
	int r = 0;

	(void)arg;
	if (n->type != YAML_MAPPING_NODE)
		return yw_err(w, n, "scope: expected a mapping (exe:, files:, network:)");
	if ((r = yw_keys(w, n, "scope", scope_keys)))
		return r;
	if (!(e = yw_get(w, n, "exe")))
		return yw_err(w, n, "scope: no exe: (the executable whose images the rules bind)");
	if (!(s = yw_str(w, e, "exe")))
		return 2;
	if (s[0] != '/')
		return yw_err(w, e, "exe: '%s' is not absolute", s);
	if (!realpath(s, real))
		return yw_err(w, e, "exe: '%s': %s", s, strerror(errno));
	f = yw_get(w, n, "files");
	net = yw_get(w, n, "network");
	if (!f && !net)
		return yw_err(w, n, "scope: no files: or network: (deny rules for the images of %s)", real);
	if (f && !w->p->has_files)
		return yw_err(w, yw_key_node(w, n, "files"), "scope: a scope only tightens the tree's "
			      "files: rules; write the top-level files: (the trees the program may use) too");
	w->scope = real;
	if (f)
		r = k23_pol_parse_files(w, f);
	if (!r && net)
		r = k23_pol_parse_network(w, net);
	w->scope = NULL;
	return r;
}

int k23_pol_parse_scope(struct yw *w, yaml_node_t *n)
{
	if (yw_is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return yw_err(w, n, "scope: expected a list of scopes (- exe: PATH)");
	return yw_each(w, n, "scope", one_scope, NULL);
}

/* --- network --- */

static const char *const net_keys[] = { "allow", "deny", "ports", "to", "errno", "comment", NULL };

struct net_ctx {
	int deny, err, rule;
	unsigned ops;
	int to;			/* a to: rule (sendto is one of its operations only then) */
};

static int one_op(struct yw *w, yaml_node_t *n, void *arg)
{
	struct net_ctx *c = arg;
	const char *s = yw_str(w, n, "network operation");

	if (!s)
		return 2;
	if (!strcmp(s, "connect"))
		c->ops |= POL_NET_CONNECT;
	else if (!strcmp(s, "bind"))
		c->ops |= POL_NET_BIND;
	else if ((!strcmp(s, "sendto") || !strcmp(s, "sendmsg")) && c->to)
		c->ops |= POL_NET_SENDTO;
	else if (!strcmp(s, "sendto") || !strcmp(s, "sendmsg"))
		return yw_err(w, n, "'%s' rules need destinations (to: [...]): Landlock's port rules "
			      "govern TCP bind and connect only", s);
	else
		return yw_err(w, n, "'%s' is not a network operation (connect, bind, sendto)", s);
	return 0;
}

static int one_port(struct yw *w, yaml_node_t *n, void *arg)
{
	struct net_ctx *c = arg;
	struct policy *p = w->p;
	const char *s = yw_str(w, n, "port");
	unsigned long lo, hi;
	char *end;

	if (!s)
		return 2;
	lo = strtoul(s, &end, 10);
	hi = lo;
	if (end != s && *end == '-')
		hi = strtoul(end + 1, &end, 10);
	if (end == s || *end || !*s || *s == '-')
		return yw_err(w, n, "port '%s': expected a number or a range LOW-HIGH", s);
	if (lo > 65535 || hi > 65535 || lo > hi)
		return yw_err(w, n, "port range '%s' is invalid (0-65535, low before high)", s);
	p->net = realloc(p->net, (size_t)(p->nnet + 1) * sizeof(*p->net));
	if (!p->net)
		abort();
	p->net[p->nnet++] = (struct pol_net_rule){ yw_at(n), c->deny, c->ops, (unsigned)lo,
						   (unsigned)hi };
	return 0;
}

static int one_dest(struct yw *w, yaml_node_t *n, void *arg)
{
	struct net_ctx *c = arg;
	struct policy *p = w->p;
	struct pol_dest_rule d = { .at = yw_at(n), .deny = c->deny, .err = c->err, .rule = c->rule,
				   .ops = c->ops, .scope = w->scope ? strdup(w->scope) : NULL };
	const char *s = yw_str(w, n, "destination");
	int r;

	if (!s)
		return 2;
	if ((r = k23_pol_parse_dest(w, n, s, &d))) {
		free(d.name);
		free(d.scope);
		return r;
	}
	d.written = strdup(s);
	p->dest = realloc(p->dest, (size_t)(p->ndest + 1) * sizeof(*p->dest));
	if (!p->dest)
		abort();
	p->dest[p->ndest++] = d;
	return 0;
}

static int parse_net_rule(struct yw *w, yaml_node_t *n, void *arg)
{
	yaml_node_t *a, *d, *k, *e;
	struct net_ctx c = { 0, 13 /* EACCES */, 0, 0, 0 };
	int r;

	c.rule = ++*(int *)arg;
	if ((r = yw_keys(w, n, "network rule", net_keys)))
		return r;
	/* As for files: a scope can only refuse what the tree lets through,
	 * and only in-process; Landlock's port rules bind the whole tree. */
	if (w->scope && (k = yw_key_node(w, n, "allow")))
		return yw_err(w, k, "allow: inside a scope: a scope can only tighten (deny: with to:); "
			      "allow destinations in the top-level network:");
	if (w->scope && (k = yw_key_node(w, n, "ports")))
		return yw_err(w, k, "ports: inside a scope: Landlock's port rules bind the whole tree; "
			      "write the port as a destination: to: [\"0.0.0.0/0:PORT\", \"[::/0]:PORT\"]");
	c.to = yw_get(w, n, "to") != NULL;
	if (c.to && (k = yw_key_node(w, n, "ports")))
		return yw_err(w, k, "network rule: ports: and to: in one rule (write the ports in "
			      "the destinations: \"10.0.0.0/8:443\", or two rules)");
	if ((k = yw_key_node(w, n, "errno")) && !c.to)
		return yw_err(w, k, "errno: on a ports: rule: Landlock refuses with EACCES (errno: "
			      "is for to: rules)");
	a = yw_get(w, n, "allow");
	d = yw_get(w, n, "deny");
	if (!!a == !!d)
		return yw_err(w, n, "network rule: write either allow: or deny: (connect, bind%s)",
			      c.to ? ", sendto" : "");
	if ((e = yw_get(w, n, "errno")) && a)
		return yw_err(w, yw_key_node(w, n, "errno"), "errno: only a deny rule returns an errno");
	if (e && (r = parse_errno(w, e, &c.err)))
		return r;
	c.deny = !!d;
	if ((r = yw_each(w, a ? a : d, "network operations", one_op, &c)))
		return r;
	if (c.to)
		return yw_each(w, yw_get(w, n, "to"), "destinations", one_dest, &c);
	if (!(k = yw_get(w, n, "ports")))
		return yw_err(w, n, "network rule: no ports: or to:");
	return yw_each(w, k, "ports", one_port, &c);
}

int k23_pol_parse_network(struct yw *w, yaml_node_t *n)
{
	struct policy *p = w->p;

	if (w->scope) { /* destination deny rules only: nothing for Landlock */
		if (yw_is_null(n))
			return 0;
		if (n->type != YAML_SEQUENCE_NODE)
			return yw_err(w, n, "network: expected a list of rules");
		return yw_each(w, n, "network", parse_net_rule, &w->net_rules);
	}
	p->has_network = 1;
	if (yw_is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return yw_err(w, n, "network: expected a list of rules");
	if (yw_each(w, n, "network", parse_net_rule, &w->net_rules))
		return 2;
	/* Only destination rules: Landlock has nothing to handle (TCP stays
	 * open to it), and a kernel without its network rules is no obstacle. */
	if (p->ndest && !p->nnet)
		p->has_network = 0;
	/* A port both granted and denied for the same operation. */
	for (int i = 0; i < p->nnet; i++)
		for (int j = 0; j < p->nnet; j++)
			if (p->net[i].deny && !p->net[j].deny && (p->net[i].ops & p->net[j].ops) &&
			    p->net[i].lo <= p->net[j].hi && p->net[j].lo <= p->net[i].hi)
				return k23_pol_error(p->file, p->net[i].at, "contradiction: this port "
						     "is also allowed at line %d", p->net[j].at.line);
	return 0;
}
