/* main.c - `k23 policy check|explain` and the compile step of `k23 run --policy`, inside k23-prepare.
 *
 *   k23-prepare policy check   [--accept-weaker] FILE
 *   k23-prepare policy explain FILE
 *   k23-prepare policy learn [-o FILE] -- PROG ARGS    (learn.c)
 *   k23-prepare policy compile [--accept-weaker] [--self K23] [--cache DIR] FILE
 *                              (writes the compiled form, policy/blob.h, to stdout)
 */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sidecar.h"
#include "policy/policy.h"

static const char usage[] =
	"usage: k23 policy check [--accept-weaker] FILE\n"
	"       k23 policy explain FILE\n"
	"       k23 policy learn [-o FILE] -- PROG [ARGS...]\n"
	"\n"
	"  check     read FILE (YAML, JSON, or an OCI seccomp profile), report the first error as\n"
	"            FILE:LINE:COL: message (exit 2), or say what the policy enforces (exit 0)\n"
	"  explain   each rule, the layer that enforces it and whether it holds against a\n"
	"            hostile program; what k23 grants itself; the calls k23 itself needs\n"
	"  learn     run PROG under k23 in complain mode and write the smallest policy that\n"
	"            allows what it did (calls, file trees, TCP ports) to FILE or stdout\n"
	"  --accept-weaker  accept rules the kernel cannot enforce (listed, then not enforced)\n"
	"\n"
	"Apply a policy with `k23 run --policy FILE -- PROG ARGS`. The file format: k23-policy(5),\n"
	"docs/policy.md.\n";

struct opts {
	int accept_weaker;
	const char *self, *cache, *file;
};

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "accept-weaker", no_argument, 0, 'w' }, { "self", required_argument, 0, 'S' },
		{ "cache", required_argument, 0, 'C' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longs, NULL)) != -1) {
		switch (c) {
		case 'w': o->accept_weaker = 1; break;
		case 'S': o->self = optarg; break;
		case 'C': o->cache = optarg; break;
		case 'h': fputs(usage, stdout); return -1;
		default:
			fprintf(stderr, "k23: policy: bad option '%s'\n%s", argv[optind - 1], usage);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "k23: policy: expected one FILE\n%s", usage);
		return 2;
	}
	o->file = argv[optind];
	return 0;
}

/* What k23 grants itself: its binary and core, k23-prepare (this program) and the cache. */
static void self_paths(const struct opts *o, struct pol_self *s, char *k23, char *prep, char *cache)
{
	static char core[PATH_MAX];
	char real[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", prep, PATH_MAX - 1);
	const char *why;

	prep[n > 0 ? n : 0] = 0;
	if (o->self)
		snprintf(k23, PATH_MAX, "%s", o->self);
	else
		snprintf(k23, PATH_MAX, "%s/k23", dirname(strdup(prep)));
	if (k23_sidecar_cache_dir(o->cache, cache, PATH_MAX, &why) != 0)
		cache[0] = 0;
	s->k23 = k23;
	/* The launcher maps the core from its own file's directory. */
	s->core = realpath(k23, real) &&
			  snprintf(core, sizeof(core), "%s/k23-core", dirname(real)) < (int)sizeof(core)
		  ? core : NULL;
	s->prepare = prep;
	s->cache = cache[0] ? cache : NULL;
}

static void summary(const struct policy *p, const struct pol_compiled *c)
{
	int own = 0, grants = 0;

	for (int i = 0; i < p->npaths; i++) {
		own += p->paths[i].own;
		grants += !p->paths[i].own && p->paths[i].kind != POL_PATH_DENY;
	}
	printf("%s: ok", p->file);
	if (c->bpf_len)
		printf(": %d call rule%s%s (seccomp filter, %u instructions)", p->ncalls,
		       p->ncalls == 1 ? "" : "s", c->ring_refused ? " + io_uring_setup refused" : "",
		       c->bpf_len);
	else
		printf(": no call rules");
	if (p->has_files && c->handled_fs)
		printf(", %d path grant%s + %d for k23 itself (Landlock)", grants, grants == 1 ? "" : "s", own);
	if (p->has_network && c->handled_net)
		printf(", %d port rule%s (Landlock)", p->nnet, p->nnet == 1 ? "" : "s");
	if (p->ndest)
		printf(", %d destination%s (in-process)", p->ndest, p->ndest == 1 ? "" : "s");
	if ((own = k23_policy_weak_paths(p, NULL, NULL)))
		printf(", %d deny rule%s inside granted trees (in-process)", own, own == 1 ? "" : "s");
	if ((own = k23_policy_nscoped(p) + k23_policy_nscoped_dest(p)))
		printf(", %d scoped deny rule%s (in-process)", own, own == 1 ? "" : "s");
	if (p->nhosts || p->nrewrite)
		printf(", identity: %d host%s, %d rewrite%s (in-process)", p->nhosts,
		       p->nhosts == 1 ? "" : "s", p->nrewrite, p->nrewrite == 1 ? "" : "s");
	if (p->log)
		printf(", audit log %s", p->log);
	if (p->nsynth)
		printf(", %d synthesized file%s", p->nsynth, p->nsynth == 1 ? "" : "s");
	if (p->hostname)
		printf(", host name %s", p->hostname);
	if (p->complain)
		printf("; mode: complain (nothing is denied, would-be denials are logged)");
	printf("%s\n", c->weaker ? "; WEAKER than written (accepted)" : "");
}

int k23_policy_main(int argc, char **argv)
{
	char k23[PATH_MAX], prep[PATH_MAX], cache[PATH_MAX];
	const char *cmd = argc > 1 ? argv[1] : "";
	struct pol_compiled c = { 0 };
	struct pol_self self;
	struct policy p;
	struct opts o;
	int r, explain = !strcmp(cmd, "explain");

	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(cmd, "learn")) {
		memset(&o, 0, sizeof(o));
		self_paths(&o, &self, k23, prep, cache);
		return k23_policy_learn(argc - 1, argv + 1, &self);
	}
	if (!explain && strcmp(cmd, "check") && strcmp(cmd, "compile")) {
		fprintf(stderr, "k23: policy: %s '%s'\n%s", *cmd ? "unknown command" : "missing command",
			cmd, usage);
		return 2;
	}
	r = parse(argc - 1, argv + 1, &o);
	if (r)
		return r < 0 ? 0 : r;
	self_paths(&o, &self, k23, prep, cache);
	r = k23_policy_read(o.file, &p);
	if (!r)
		r = k23_policy_compile(&p, &self, explain ? 2 : o.accept_weaker, &c);
	if (!r && explain)
		k23_policy_explain(&p, &c, stdout);
	else if (!r && k23_policy_check_needs(&p, &c, stderr, "k23: "))
		r = 2;
	else if (!r && !strcmp(cmd, "check"))
		summary(&p, &c);
	else if (!r && k23_policy_write_blob(&p, &c, 1) != 0)
		r = 1;
	free(c.bpf);
	k23_policy_free(&p);
	return r;
}
