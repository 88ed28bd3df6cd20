/* compile.c - a checked policy into its kernel layers: a seccomp BPF program (libseccomp) and Landlock rules.
 *
 * The filter has no instruction-pointer test: unlike k23's catch-all it
 * binds k23's own text too, so a program that jumps to a `syscall` in k23
 * gains nothing. libseccomp adds the architecture test: a call of an ABI the
 * policy does not list (int $0x80 from a 64-bit program, an x32 call) kills
 * the process.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "policy/blob.h"
#include "policy/landlock.h"
#include "policy/policy.h"

static uint32_t scmp_action(enum pol_action a, int err)
{
	switch (a) {
	case POL_ALLOW: return SCMP_ACT_ALLOW;
	case POL_ERRNO: return SCMP_ACT_ERRNO((uint32_t)err);
	case POL_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case POL_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case POL_LOG: return SCMP_ACT_LOG;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static const enum scmp_compare scmp_ops[] = {
	[POL_NE] = SCMP_CMP_NE, [POL_LT] = SCMP_CMP_LT, [POL_LE] = SCMP_CMP_LE,
	[POL_EQ] = SCMP_CMP_EQ, [POL_GE] = SCMP_CMP_GE, [POL_GT] = SCMP_CMP_GT,
	[POL_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static int add_rule(scmp_filter_ctx ctx, const struct policy *p, const struct pol_call_rule *r,
		    uint32_t def)
{
	uint32_t act = scmp_action(r->action, r->err);
	struct scmp_arg_cmp cmp[6];

	if (act == def)
		return 0; /* what the default does anyway (libseccomp refuses such a rule) */
	for (int i = 0; i < r->ncond; i++)
		cmp[i] = (struct scmp_arg_cmp){ r->cond[i].arg, scmp_ops[r->cond[i].op],
						r->cond[i].value, r->cond[i].value2 };
	for (int i = 0; i < r->nnames; i++) {
		int nr = seccomp_syscall_resolve_name(r->names[i]);
		int rc = seccomp_rule_add_array(ctx, act, nr, (unsigned)r->ncond, cmp);

		if (rc == -EEXIST)
			continue;
		if (rc)
			return k23_pol_error(p->file, r->name_at[i], "libseccomp refuses the rule for %s: %s",
					     r->names[i], strerror(-rc));
	}
	return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct pol_compiled *c)
{
	int fd = memfd_create("k23-bpf", MFD_CLOEXEC), rc;
	struct stat st;

	if (fd < 0)
		return -errno;
	rc = seccomp_export_bpf(ctx, fd);
	if (!rc && fstat(fd, &st) != 0)
		rc = -errno;
	if (!rc) {
		c->bpf = malloc((size_t)st.st_size + 1);
		c->bpf_len = (unsigned)(st.st_size / 8);
		if (!c->bpf || pread(fd, c->bpf, (size_t)st.st_size, 0) != st.st_size)
			rc = -EIO;
	}
	close(fd);
	return rc;
}

/* A ring's openat or connect never passes k23's dispatcher: under file or
 * destination rules that only the in-process layer enforces, the filter
 * refuses io_uring_setup (EPERM),
 * in the kernel, for k23's own text too. A policy that allows it outright
 * contradicts its own deny rules. */
static int refuse_rings(scmp_filter_ctx ctx, const struct policy *p, uint32_t def)
{
	int nr = seccomp_syscall_resolve_name("io_uring_setup"), rc;

	for (int i = 0; i < p->ncalls; i++)
		for (int j = 0; j < p->calls[i].nnames; j++)
			if (!strcmp(p->calls[i].names[j], "io_uring_setup") &&
			    p->calls[i].action == POL_ALLOW)
				return k23_pol_error(p->file, p->calls[i].name_at[j], "io_uring_setup is "
						     "allowed here, but %s enforced in-process, and a ring's "
						     "operations bypass it", p->ndest ? "network destination "
						     "rules (to:) are" : "deny rules inside granted trees are");
	if (def == SCMP_ACT_ERRNO(EPERM))
		return 0;
	rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	if (rc && rc != -EEXIST)
		return k23_pol_error(p->file, p->def_at, "libseccomp refuses to deny io_uring_setup: %s",
				     strerror(-rc));
	return 0;
}

static int compile_calls(struct policy *p, struct pol_compiled *c)
{
	uint32_t def = scmp_action(p->def, p->def_errno);
	scmp_filter_ctx ctx;
	int rc = 0;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		fprintf(stderr, "k23: this kernel has no seccomp filters: the call rules of %s cannot "
			"be enforced\n", p->file);
		return 2;
	}
	ctx = seccomp_init(def);
	if (!ctx)
		return k23_pol_error(p->file, p->def_at, "libseccomp cannot create a filter");
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/* A binary tree over call numbers instead of libseccomp's default
	 * linear list: every call the policy does not name (getppid, read...)
	 * otherwise runs one test per named call before reaching the default,
	 * 128 instructions with 200 rules against about 20 (docs/benchmarks.md). */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (int i = 0; i < p->narch && !rc; i++)
		if (p->arch[i] != SCMP_ARCH_NATIVE && seccomp_arch_exist(ctx, p->arch[i]) == -EEXIST)
			rc = seccomp_arch_add(ctx, p->arch[i]);
	if (rc)
		rc = k23_pol_error(p->file, p->def_at, "libseccomp refuses the architectures: %s",
				   strerror(-rc));
	for (int i = 0; i < p->ncalls && !rc; i++)
		rc = add_rule(ctx, p, &p->calls[i], def);
	if (!rc && c->ring_refused)
		rc = refuse_rings(ctx, p, def);
	if (!rc && (rc = export_bpf(ctx, c)) != 0)
		rc = k23_pol_error(p->file, p->def_at, "cannot export the filter: %s", strerror(-rc));
	seccomp_release(ctx);
	if (!rc && c->bpf_len > K23_POLICY_MAX_BPF)
		rc = k23_pol_error(p->file, p->def_at, "the filter has %u instructions; the kernel "
				   "takes at most %u", c->bpf_len, K23_POLICY_MAX_BPF);
	return rc;
}

int k23_policy_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return abi > 0 ? (int)abi : 0;
}

static uint64_t fs_rights(int abi)
{
	uint64_t r = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1: bits 0-12 */

	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		r |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return r;
}

static int is_inside(const char *path, const char *tree)
{
	size_t n = strlen(tree);

	if (!strcmp(tree, "/"))
		return 1;
	return !strncmp(path, tree, n) && (path[n] == '/' || !path[n]);
}

const struct pol_path_rule *k23_policy_covering(const struct policy *p, const struct pol_path_rule *d)
{
	if (d->scope)
		return NULL; /* in-process whatever grants there are (k23_policy_nscoped) */
	for (int j = 0; j < p->npaths; j++)
		if (p->paths[j].kind != POL_PATH_DENY && is_inside(d->path, p->paths[j].path))
			return &p->paths[j];
	return NULL;
}

int k23_policy_weak_paths(const struct policy *p,
			  void (*fn)(const struct pol_path_rule *, const struct pol_path_rule *, void *),
			  void *arg)
{
	int n = 0;

	for (int i = 0; i < p->npaths; i++) {
		const struct pol_path_rule *g;

		if (p->paths[i].kind != POL_PATH_DENY || !(g = k23_policy_covering(p, &p->paths[i])))
			continue;
		if (fn)
			fn(&p->paths[i], g, arg);
		n++;
	}
	return n;
}

int k23_policy_nscoped(const struct policy *p)
{
	int n = 0;

	for (int i = 0; i < p->npaths; i++)
		n += p->paths[i].scope != NULL;
	return n;
}

int k23_policy_nscoped_dest(const struct policy *p)
{
	int n = 0;

	for (int i = 0; i < p->ndest; i++)
		n += p->dest[i].scope != NULL;
	return n;
}

/* Deny rules inside granted trees are the in-process layer's (online/policy/):
 * Landlock cannot carve them out. Under complain mode nothing is installed
 * in the kernel, and the grants are only evaluated in-process: no Landlock
 * is needed then. */
static int compile_landlock(struct policy *p, int accept_weaker, struct pol_compiled *c)
{
	int abi = k23_policy_landlock_abi();

	if (!p->has_files && !p->has_network)
		return 0;
	if (p->complain) {
		c->landlock_abi = abi ? abi : 1;
		c->handled_fs = p->has_files ? fs_rights(c->landlock_abi) : 0;
		c->handled_net = p->has_network ? LANDLOCK_ACCESS_NET_BIND_TCP |
			LANDLOCK_ACCESS_NET_CONNECT_TCP : 0;
		return 0;
	}
	if (!abi || (p->has_network && abi < 4)) {
		const char *what = !abi ? "no Landlock" : "Landlock without network rules (ABI 4)";

		if (!accept_weaker) {
			fprintf(stderr, "k23: this kernel has %s: the %s rules of %s cannot be enforced "
				"(--accept-weaker runs without them)\n", what,
				p->has_files && (!abi || !p->has_network) ? "file" : "network", p->file);
			return 2;
		}
		if (accept_weaker == 1)
			fprintf(stderr, "k23: warning: this kernel has %s: %s's %s rules are not enforced\n",
				what, p->file, !abi ? "file and network" : "network");
		c->weaker = 1;
		if (!abi)
			return 0;
		p->has_network = 0;
	}
	c->landlock_abi = abi;
	c->handled_fs = p->has_files ? fs_rights(abi) : 0;
	c->handled_net = p->has_network ? LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP : 0;
	return 0;
}

int k23_policy_compile(struct policy *p, const struct pol_self *self, int accept_weaker,
		       struct pol_compiled *c)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if (p->has_files)
		k23_policy_add_own(p, self);
	c->ring_refused = k23_policy_weak_paths(p, NULL, NULL) > 0 || k23_policy_nscoped(p) > 0 ||
			  p->ndest > 0;
	if (p->ncalls || p->def != POL_ALLOW || c->ring_refused) {
		rc = compile_calls(p, c);
		if (rc)
			return rc;
	}
	return compile_landlock(p, accept_weaker, c);
}

/* --- the blob --- */

static int write_all(int fd, const void *buf, size_t n)
{
	const char *b = buf;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

uint64_t k23_pol_path_access(const struct pol_path_rule *r, uint64_t handled)
{
	return r->kind == POL_PATH_READ ? K23_LANDLOCK_READ & handled : handled;
}

static void add_string(char **strings, size_t *strsz, const char *str, uint32_t *off)
{
	size_t len = strlen(str) + 1;

	*strings = realloc(*strings, *strsz + len);
	if (!*strings)
		abort();
	memcpy(*strings + *strsz, str, len);
	*off = (uint32_t)*strsz;
	*strsz += len;
}

static void add_libstr(uint32_t **v, size_t *n, char **strings, size_t *strsz, const char *str)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	if (!*v)
		abort();
	add_string(strings, strsz, str, &(*v)[(*n)++]);
}

/* One record per (call rule, call): what the runtime names as the rule
 * behind a verdict of the filter. */
static struct k23_policy_call *call_records(const struct policy *p, const struct pol_compiled *c,
					    size_t *n)
{
	struct k23_policy_call *v = NULL;

	*n = 0;
	for (int i = 0; i < p->ncalls; i++) {
		const struct pol_call_rule *r = &p->calls[i];

		for (int j = 0; j < r->nnames; j++) {
			int nr = k23_pol_call_nr(r->names[j]);
			struct k23_policy_call *k;

			if (nr < 0)
				continue;
			v = realloc(v, (*n + 1) * sizeof(*v));
			if (!v)
				abort();
			k = &v[(*n)++];
			memset(k, 0, sizeof(*k));
			k->nr = (uint32_t)nr;
			k->rule = (uint32_t)i + 1;
			k->line = (uint32_t)r->at.line;
			k->action = scmp_action(r->action, r->err);
			k->ncond = (uint32_t)r->ncond;
			for (int ci = 0; ci < r->ncond; ci++)
				k->cond[ci] = (struct k23_policy_cond){ r->cond[ci].arg, (uint32_t)r->cond[ci].op,
								       r->cond[ci].value, r->cond[ci].value2 };
		}
	}
	if (c->ring_refused) { /* last, as rule 0: k23's own (refuse_rings) */
		v = realloc(v, (*n + 1) * sizeof(*v));
		if (!v)
			abort();
		memset(&v[*n], 0, sizeof(*v));
		v[*n].nr = (uint32_t)k23_pol_call_nr("io_uring_setup");
		v[(*n)++].action = SCMP_ACT_ERRNO(EPERM);
	}
	return v;
}

int k23_policy_write_blob(const struct policy *p, const struct pol_compiled *c, int fd)
{
	struct k23_policy_hdr h = { K23_POLICY_MAGIC, K23_POLICY_VERSION, c->bpf_len, 0, 0, 0,
				    (uint32_t)c->landlock_abi, 0, c->handled_fs, c->handled_net,
				    p->complain ? K23_POLICY_COMPLAIN : K23_POLICY_ENFORCE, 0, 0,
				    K23_POLICY_NO_LOG, (uint32_t)p->def_at.line,
				    scmp_action(p->def, p->def_errno), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    K23_POLICY_NO_HOSTNAME, 0, p->synth_time, 0, 0 };
	size_t nfs = 0, nnet = 0, strsz = 0, ncall = 0, ndeny = 0, synth_size = 0;
	struct k23_policy_synth *synth;
	struct k23_policy_fs *fs = calloc((size_t)p->npaths + 1, sizeof(*fs));
	struct k23_policy_deny *deny = calloc((size_t)p->npaths + 1, sizeof(*deny));
	struct k23_policy_net *net = NULL;
	struct k23_policy_call *calls = call_records(p, c, &ncall);
	struct k23_policy_dest *dest = calloc((size_t)p->ndest + 1, sizeof(*dest));
	struct k23_policy_map *map = calloc((size_t)p->nmap + 1, sizeof(*map));
	struct k23_policy_host *host = calloc((size_t)p->nhosts + 1, sizeof(*host));
	struct k23_policy_rewrite *rewrite = calloc((size_t)p->nrewrite + 1, sizeof(*rewrite));
	struct k23_policy_lib *lib = calloc((size_t)p->nlibs + 1, sizeof(*lib));
	struct k23_policy_remote *remote = calloc((size_t)p->nremote + 1, sizeof(*remote));
	uint32_t *libstr = NULL;
	size_t nlibstr = 0;
	char *strings = NULL;
	int rc;

	if (!fs || !deny || !dest || !map || !host || !rewrite || !lib || !remote)
		abort();
	for (int i = 0; i < p->npaths; i++) {
		const struct pol_path_rule *r = &p->paths[i];

		if (r->kind == POL_PATH_DENY) {
			/* Every deny rule: the errno is the in-process layer's; one no
			 * grant covers is also refused by Landlock (not granted). */
			deny[ndeny] = (struct k23_policy_deny){ 0, (uint32_t)r->at.line, (uint32_t)r->rule,
								r->err ? r->err : 13, K23_POLICY_EVERY_IMAGE, 0 };
			if (r->scope)
				add_string(&strings, &strsz, r->scope, &deny[ndeny].exe_off);
			add_string(&strings, &strsz, r->path, &deny[ndeny++].path_off);
			continue;
		}
		if (!c->handled_fs)
			continue; /* no Landlock (accepted weaker): no grants */
		fs[nfs] = (struct k23_policy_fs){ k23_pol_path_access(r, c->handled_fs), 0,
						  r->own ? 0 : (uint32_t)r->at.line };
		add_string(&strings, &strsz, r->path, &fs[nfs++].path_off);
	}
	for (int i = 0; c->handled_net && i < p->nnet; i++) {
		if (p->net[i].deny)
			continue;
		for (unsigned port = p->net[i].lo; port <= p->net[i].hi; port++) {
			uint64_t acc = (p->net[i].ops & POL_NET_BIND ? LANDLOCK_ACCESS_NET_BIND_TCP : 0) |
				       (p->net[i].ops & POL_NET_CONNECT ? LANDLOCK_ACCESS_NET_CONNECT_TCP : 0);

			if (nnet >= K23_POLICY_MAX_RULES)
				break;
			net = realloc(net, (nnet + 1) * sizeof(*net));
			if (!net)
				abort();
			net[nnet++] = (struct k23_policy_net){ acc, port, (uint32_t)p->net[i].at.line };
		}
	}
	for (int i = 0; i < p->ndest; i++) {
		const struct pol_dest_rule *r = &p->dest[i];
		struct k23_policy_dest *d = &dest[i];

		*d = (struct k23_policy_dest){ r->ops, (uint32_t)r->kind, (uint32_t)r->deny, r->err,
					       (uint32_t)r->rule, (uint32_t)r->at.line, r->prefix, r->lo,
					       r->hi, 0, { 0 }, K23_POLICY_EVERY_IMAGE, 0 };
		memcpy(d->addr, r->addr, 16);
		if (r->name)
			add_string(&strings, &strsz, r->name, &d->name_off);
		if (r->scope)
			add_string(&strings, &strsz, r->scope, &d->exe_off);
		h.dest_ops |= r->ops;
		if (!r->deny)
			h.dest_closed |= r->ops; /* never a scope's: deny rules only */
	}
	h.n_dest = (uint32_t)p->ndest;
	for (int i = 0; i < p->nmap; i++) {
		map[i] = (struct k23_policy_map){ 0, 0, p->map[i].read_only ? K23_MAP_READ_ONLY : 0,
						  (uint32_t)p->map[i].at.line };
		add_string(&strings, &strsz, p->map[i].path, &map[i].path_off);
		add_string(&strings, &strsz, p->map[i].to, &map[i].to_off);
	}
	h.n_map = (uint32_t)p->nmap;
	for (int i = 0; i < p->nhosts; i++) {
		host[i] = (struct k23_policy_host){ 0, (uint32_t)p->hosts[i].at.line,
						    (uint32_t)p->hosts[i].v6, 0, { 0 } };
		memcpy(host[i].addr, p->hosts[i].addr, 16);
		add_string(&strings, &strsz, p->hosts[i].name, &host[i].name_off);
	}
	h.n_host = (uint32_t)p->nhosts;
	for (int i = 0; i < p->nrewrite; i++) {
		const struct pol_rewrite *r = &p->rewrite[i];

		rewrite[i] = (struct k23_policy_rewrite){ { 0 }, { 0 }, r->from_port, r->to_port,
							  (uint32_t)r->at.line, 0 };
		memcpy(rewrite[i].from, r->from, 16);
		memcpy(rewrite[i].to, r->to, 16);
	}
	h.n_rewrite = (uint32_t)p->nrewrite;
	/* libraries: the directories first, then each bundle's names. */
	for (int i = 0; p->nlibs && i < p->nlibdirs; i++)
		add_libstr(&libstr, &nlibstr, &strings, &strsz, p->libdirs[i]);
	h.n_libdir = (uint32_t)nlibstr;
	for (int i = 0; i < p->nlibs; i++) {
		const struct pol_lib *l = &p->libs[i];

		lib[i] = (struct k23_policy_lib){ 0, 0, (uint32_t)nlibstr, (uint32_t)l->nnames,
						  (uint32_t)l->at.line, 0 };
		add_string(&strings, &strsz, l->exe, &lib[i].exe_off);
		add_string(&strings, &strsz, l->bundle, &lib[i].bundle_off);
		for (int k = 0; k < l->nnames; k++)
			add_libstr(&libstr, &nlibstr, &strings, &strsz, l->names[k]);
	}
	h.n_lib = (uint32_t)p->nlibs;
	h.n_libstr = (uint32_t)nlibstr;
	for (int i = 0; i < p->nremote; i++) {
		const struct pol_remote *m = &p->remote[i];

		remote[i] = (struct k23_policy_remote){ 0, 0, 0, m->port,
			m->start_anyway ? K23_REMOTE_START_ANYWAY : 0, m->timeout_s, (uint32_t)m->at.line, 0 };
		add_string(&strings, &strsz, m->path, &remote[i].path_off);
		add_string(&strings, &strsz, m->host, &remote[i].host_off);
		add_string(&strings, &strsz, m->export, &remote[i].export_off);
	}
	h.n_remote = (uint32_t)p->nremote;
	if (!(synth = calloc((size_t)p->nsynth + 1, sizeof(*synth))))
		abort();
	for (int i = 0; i < p->nsynth; i++) {
		synth[i] = (struct k23_policy_synth){ 0, (uint32_t)p->synth[i].at.line, (uint32_t)synth_size,
						      (uint32_t)p->synth[i].size };
		add_string(&strings, &strsz, p->synth[i].path, &synth[i].path_off);
		synth_size += p->synth[i].size;
	}
	h.n_synth = (uint32_t)p->nsynth;
	h.synth_size = (uint32_t)synth_size;
	if (p->hostname)
		add_string(&strings, &strsz, p->hostname, &h.hostname_off);
	if (p->log)
		add_string(&strings, &strsz, p->log, &h.log_off);
	h.n_fs = (uint32_t)nfs;
	h.n_net = (uint32_t)nnet;
	h.strings_size = (uint32_t)strsz;
	h.n_call = (uint32_t)ncall;
	h.n_deny = (uint32_t)ndeny;
	rc = write_all(fd, &h, sizeof(h)) || write_all(fd, c->bpf, (size_t)c->bpf_len * 8) ||
	     write_all(fd, fs, nfs * sizeof(*fs)) || write_all(fd, net, nnet * sizeof(*net)) ||
	     write_all(fd, strings, strsz) || write_all(fd, calls, ncall * sizeof(*calls)) ||
	     write_all(fd, deny, ndeny * sizeof(*deny)) ||
	     write_all(fd, dest, (size_t)p->ndest * sizeof(*dest)) ||
	     write_all(fd, map, (size_t)p->nmap * sizeof(*map)) ||
	     write_all(fd, host, (size_t)p->nhosts * sizeof(*host)) ||
	     write_all(fd, rewrite, (size_t)p->nrewrite * sizeof(*rewrite)) ||
	     write_all(fd, lib, (size_t)p->nlibs * sizeof(*lib)) ||
	     write_all(fd, libstr, nlibstr * sizeof(*libstr)) ||
	     write_all(fd, remote, (size_t)p->nremote * sizeof(*remote)) ||
	     write_all(fd, synth, (size_t)p->nsynth * sizeof(*synth));
	for (int i = 0; !rc && i < p->nsynth; i++)
		rc = write_all(fd, p->synth[i].data, p->synth[i].size);
	free(synth);
	free(rewrite);
	free(host);
	free(map);
	free(lib);
	free(remote);
	free(libstr);
	free(dest);
	free(fs);
	free(deny);
	free(net);
	free(calls);
	free(strings);
	return rc ? -1 : 0;
}
