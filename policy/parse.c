/* parse.c - reads a policy file (YAML or JSON) into struct policy: the top level, and what both forms share.
 *
 * Two forms share one top level: k23's own (mode, default, calls, files,
 * network, log) and an OCI seccomp profile (defaultAction, syscalls, ...),
 * which may carry k23's sections beside it. Keys no layer handles are
 * refused by name rather than ignored: a policy is never silently weaker
 * than written.
 */
#include <errno.h>
#include <limits.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "policy/yamlw.h"

static const char *const top_keys[] = {
	"mode", "default", "default-errno", "calls", "files", "network",
	"defaultAction", "defaultErrnoRet", "defaultErrno", "architectures", "archMap", "syscalls",
	"flags", "listenerPath", "listenerMetadata",
	"log", "scope", "learn",
	"map", "identity",
	"libraries",
	"synthesize",
	"remote",
	NULL,
};

struct pol_call_rule *k23_pol_add_rule(struct policy *p, struct pol_where at)
{
	struct pol_call_rule *r;

	p->calls = realloc(p->calls, (size_t)(p->ncalls + 1) * sizeof(*p->calls));
	if (!p->calls)
		abort();
	r = &p->calls[p->ncalls++];
	memset(r, 0, sizeof(*r));
	r->at = at;
	return r;
}

void k23_pol_rule_name(struct pol_call_rule *r, const char *name, const char *via,
		       struct pol_where at)
{
	r->names = realloc(r->names, (size_t)(r->nnames + 1) * sizeof(char *));
	r->via = realloc(r->via, (size_t)(r->nnames + 1) * sizeof(char *));
	r->name_at = realloc(r->name_at, (size_t)(r->nnames + 1) * sizeof(*r->name_at));
	if (!r->names || !r->via || !r->name_at)
		abort();
	r->names[r->nnames] = strdup(name);
	r->via[r->nnames] = via ? strdup(via) : NULL;
	r->name_at[r->nnames++] = at;
}

static int not_yet(struct yw *w, yaml_node_t *k, const char *what)
{
	return yw_err(w, k, "'%s' is not supported yet: %s (see k23-policy(5), \"Not yet supported\")",
		      (const char *)k->data.scalar.value, what);
}

static int parse_mode(struct yw *w, yaml_node_t *n)
{
	const char *s = yw_str(w, n, "mode");

	if (!s)
		return 2;
	if (!strcmp(s, "enforce"))
		return 0;
	if (!strcmp(s, "complain")) {
		w->p->complain = 1;
		return 0;
	}
	return yw_err(w, n, "mode: '%s' is not a mode (enforce, complain)", s);
}

/* log: FILE - relative to the directory k23 runs in; k23 opens it (append,
 * created if missing) before the program starts. */
static int parse_log(struct yw *w, yaml_node_t *n)
{
	const char *s = yw_str(w, n, "log");
	char cwd[PATH_MAX];

	if (!s)
		return 2;
	if (!*s)
		return yw_err(w, n, "log: expected a file name");
	w->p->log_at = yw_at(n);
	if (*s == '/') {
		w->p->log = strdup(s);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return yw_err(w, n, "log: the current directory is not known here");
	w->p->log = malloc(strlen(cwd) + strlen(s) + 2);
	if (!w->p->log)
		abort();
	sprintf(w->p->log, "%s/%s", cwd, s);
	return 0;
}

static int parse_root(struct yw *w, yaml_node_t *root)
{
	struct policy *p = w->p;
	yaml_node_t *n, *k;
	int oci, r;

	if (root->type != YAML_MAPPING_NODE)
		return yw_err(w, root, "a policy is a mapping (mode:, calls:, files:, ... or an OCI "
			      "seccomp profile's defaultAction:, syscalls:)");
	r = yw_keys(w, root, "policy", top_keys);
	if (r)
		return r;
	if ((k = yw_key_node(w, root, "learn")))
		return yw_err(w, k, "'learn' is a command, not a key: `k23 policy learn [-o FILE] -- PROG "
			      "ARGS` writes a policy from a run of PROG");
	if ((k = yw_key_node(w, root, "listenerPath")))
		return not_yet(w, k, "k23 does not pass calls to a seccomp notifier");
	if ((n = yw_get(w, root, "mode")) && (r = parse_mode(w, n)))
		return r;
	if ((n = yw_get(w, root, "log")) && (r = parse_log(w, n)))
		return r;
	oci = yw_key_node(w, root, "defaultAction") || yw_key_node(w, root, "syscalls");
	p->form = oci ? POL_FORM_OCI : POL_FORM_K23;
	p->def = POL_ALLOW;
	p->def_errno = 1;
	p->def_at = yw_at(root);
	if (oci) {
		k = yw_key_node(w, root, "default");
		if (!k)
			k = yw_key_node(w, root, "calls");
		if (k)
			return yw_err(w, k, "'%s' is k23's form, but this file is an OCI seccomp profile "
				      "(defaultAction/syscalls): write the call rules in one form",
				      (const char *)k->data.scalar.value);
		r = k23_pol_parse_oci(w, root);
	} else {
		r = k23_pol_parse_default(w, yw_get(w, root, "default"), yw_get(w, root, "default-errno"));
		if (!r && (n = yw_get(w, root, "calls")))
			r = k23_pol_parse_calls(w, n);
	}
	if (!r && (n = yw_get(w, root, "files")))
		r = k23_pol_parse_files(w, n);
	if (!r && (n = yw_get(w, root, "network")))
		r = k23_pol_parse_network(w, n);
	if (!r && (n = yw_get(w, root, "scope")))
		r = k23_pol_parse_scope(w, n);
	if (!r && (n = yw_get(w, root, "map")))
		r = k23_pol_parse_map(w, n);
	if (!r && (n = yw_get(w, root, "identity")))
		r = k23_pol_parse_identity(w, n);
	if (!r && (n = yw_get(w, root, "libraries")))
		r = k23_pol_parse_libs(w, n);
	if (!r && (n = yw_get(w, root, "synthesize")))
		r = k23_pol_parse_synth(w, n);
	if (!r)
		r = k23_pol_synth_finish(w);
	if (!r && (n = yw_get(w, root, "remote")))
		r = k23_pol_parse_remote(w, n);
	if (!r)
		r = k23_pol_check_contradictions(w);
	return r;
}

static int load(struct yw *w, FILE *f)
{
	yaml_parser_t parser;
	yaml_node_t *root;
	int r;

	if (!yaml_parser_initialize(&parser))
		return k23_pol_error(w->file, (struct pol_where){ 1, 1 }, "out of memory");
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &w->doc)) {
		struct pol_where at = { (int)parser.problem_mark.line + 1,
					(int)parser.problem_mark.column + 1 };

		r = k23_pol_error(w->file, at, "syntax error: %s%s%s", parser.problem,
				  parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return r;
	}
	yaml_parser_delete(&parser);
	root = yaml_document_get_root_node(&w->doc);
	if (!root) {
		yaml_document_delete(&w->doc);
		return k23_pol_error(w->file, (struct pol_where){ 1, 1 }, "empty policy");
	}
	r = parse_root(w, root);
	yaml_document_delete(&w->doc);
	return r;
}

int k23_policy_read(const char *file, struct policy *p)
{
	struct yw w = { .file = file, .p = p };
	FILE *f = fopen(file, "re");
	int r;

	memset(p, 0, sizeof(*p));
	p->file = file;
	if (!f) {
		fprintf(stderr, "k23: %s: %s\n", file, strerror(errno));
		return 2;
	}
	r = load(&w, f);
	fclose(f);
	return r;
}

static void free_list(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void k23_policy_free(struct policy *p)
{
	for (int i = 0; i < p->ncalls; i++) {
		free_list(p->calls[i].names, p->calls[i].nnames);
		free_list(p->calls[i].via, p->calls[i].nnames);
		free(p->calls[i].name_at);
	}
	free(p->calls);
	for (int i = 0; i < p->npaths; i++) {
		free(p->paths[i].path);
		free(p->paths[i].written);
		free(p->paths[i].scope);
	}
	free(p->paths);
	free(p->net);
	for (int i = 0; i < p->ndest; i++) {
		free(p->dest[i].name);
		free(p->dest[i].written);
		free(p->dest[i].scope);
	}
	free(p->dest);
	for (int i = 0; i < p->nmap; i++) {
		free(p->map[i].path);
		free(p->map[i].to);
	}
	free(p->map);
	for (int i = 0; i < p->nhosts; i++)
		free(p->hosts[i].name);
	free(p->hosts);
	for (int i = 0; i < p->nrewrite; i++) {
		free(p->rewrite[i].from_written);
		free(p->rewrite[i].to_written);
	}
	free(p->rewrite);
	for (int i = 0; i < p->nlibs; i++) {
		free(p->libs[i].exe);
		free(p->libs[i].bundle);
		free_list(p->libs[i].names, p->libs[i].nnames);
	}
	free(p->libs);
	free_list(p->libdirs, p->nlibdirs);
	free(p->log);
	for (int i = 0; i < p->nsynth; i++) {
		free(p->synth[i].path);
		free(p->synth[i].data);
	}
	free(p->synth);
	free(p->hostname);
	k23_pol_free_remote(p);
	free_list(p->skipped, p->nskipped);
	free_list(p->conditional, p->nconditional);
	memset(p, 0, sizeof(*p));
}
