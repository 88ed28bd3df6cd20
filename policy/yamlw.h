/* yamlw.h - a thin walk over a libyaml document: typed getters that report FILE:LINE:COL errors. */
#ifndef K23_POLICY_YAMLW_H
#define K23_POLICY_YAMLW_H

#include <stdint.h>
#include <yaml.h>
#include "policy/policy.h"

struct yw {
	const char *file;
	yaml_document_t doc;
	struct policy *p;
	const char *scope;	/* parsing a scope: its executable (deny rules only) */
	int file_rules;		/* file rules numbered so far (scoped rules continue the count) */
	int net_rules;		/* network rules numbered so far (likewise) */
};

yaml_node_t *yw_node(struct yw *w, int id);
struct pol_where yw_at(const yaml_node_t *n);
/* A scalar's text, or NULL (after an error message) if n is not a scalar. */
const char *yw_str(struct yw *w, yaml_node_t *n, const char *what);
int yw_is_null(const yaml_node_t *n);
int yw_uint(struct yw *w, yaml_node_t *n, const char *what, uint64_t *v);
/* Calls fn for each item of a sequence (a lone scalar counts as a
 * one-item list); returns the first non-zero result. */
int yw_each(struct yw *w, yaml_node_t *n, const char *what,
	    int (*fn)(struct yw *, yaml_node_t *, void *), void *arg);
/* Checks that every key of mapping n is in keys (NULL-terminated); an
 * unknown key is an error naming the nearest known one. */
int yw_keys(struct yw *w, yaml_node_t *n, const char *what, const char *const *keys);
yaml_node_t *yw_get(struct yw *w, yaml_node_t *map, const char *key);
yaml_node_t *yw_key_node(struct yw *w, yaml_node_t *map, const char *key);
int yw_err(struct yw *w, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* parse_k23.c / parse_oci.c: the sections of each form. */
int k23_pol_parse_calls(struct yw *w, yaml_node_t *n);
int k23_pol_parse_default(struct yw *w, yaml_node_t *def, yaml_node_t *err);
int k23_pol_parse_files(struct yw *w, yaml_node_t *n);
int k23_pol_parse_scope(struct yw *w, yaml_node_t *n);
int k23_pol_parse_network(struct yw *w, yaml_node_t *n);
int k23_pol_parse_oci(struct yw *w, yaml_node_t *root);
/* parse_synth.c: synthesize: (after identity:, whose host name templates use). */
int k23_pol_parse_synth(struct yw *w, yaml_node_t *n);
/* parse_identity.c: identity: (hostname: here; its other keys name their parsers). */
int k23_pol_parse_identity(struct yw *w, yaml_node_t *n);
int k23_pol_parse_hostname(struct yw *w, yaml_node_t *n);
/* After every section: /etc/hostname for identity: hostname:, unless synthesized. */
int k23_pol_synth_finish(struct yw *w);
/* Appends a call rule; names are added with k23_pol_rule_name. */
struct pol_call_rule *k23_pol_add_rule(struct policy *p, struct pol_where at);
void k23_pol_rule_name(struct pol_call_rule *r, const char *name, const char *via,
		       struct pol_where at);
int k23_pol_parse_cond(struct yw *w, yaml_node_t *n, struct pol_call_rule *r, int oci);
int k23_pol_check_contradictions(struct yw *w);
/* parse_map.c: the map: section (the virtual world's path maps). */
int k23_pol_parse_map(struct yw *w, yaml_node_t *n);
/* An absolute path made normal into out (PATH_MAX: no ".", "..", "//",
 * trailing "/", not the root): NULL, or what is wrong with it. */
const char *k23_pol_normal_path(const char *s, char *out);
/* parse_remote.c: the remote: section (after map: and synthesize:, whose
 * trees it may not overlap). */
int k23_pol_parse_remote(struct yw *w, yaml_node_t *n);
/* parse_libs.c: the libraries: section (per-executable libraries). */
int k23_pol_parse_libs(struct yw *w, yaml_node_t *n);
/* parse_net.c: one destination of a network rule's to: into d. */
int k23_pol_parse_dest(struct yw *w, yaml_node_t *n, const char *s, struct pol_dest_rule *d);
/* parse_identity.c: the identity: section (hosts:, rewrite:). */
int k23_pol_parse_identity(struct yw *w, yaml_node_t *n);

#endif
