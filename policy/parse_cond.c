/* parse_cond.c - argument conditions of call rules (k23's and the OCI spelling), and contradictory call rules. */
#include <string.h>
#include "policy/yamlw.h"

static const struct { const char *k23, *oci; enum pol_op op; } ops[] = {
	{ "ne", "SCMP_CMP_NE", POL_NE }, { "lt", "SCMP_CMP_LT", POL_LT },
	{ "le", "SCMP_CMP_LE", POL_LE }, { "eq", "SCMP_CMP_EQ", POL_EQ },
	{ "ge", "SCMP_CMP_GE", POL_GE }, { "gt", "SCMP_CMP_GT", POL_GT },
	{ "masked-eq", "SCMP_CMP_MASKED_EQ", POL_MASKED_EQ },
};
#define NOPS (int)(sizeof(ops) / sizeof(ops[0]))

static const char *const k23_keys[] = { "arg", "op", "value", "mask", NULL };
static const char *const oci_keys[] = { "index", "op", "value", "valueTwo", NULL };

struct cond_ctx {
	struct pol_call_rule *r;
	int oci;
};

static int parse_op(struct yw *w, yaml_node_t *n, int oci, enum pol_op *op)
{
	const char *s = yw_str(w, n, "op"), *names[NOPS], *near;

	if (!s)
		return 2;
	for (int i = 0; i < NOPS; i++) {
		names[i] = oci ? ops[i].oci : ops[i].k23;
		if (!strcmp(s, names[i])) {
			*op = ops[i].op;
			return 0;
		}
	}
	near = k23_pol_nearest(s, names, NOPS);
	if (near)
		return yw_err(w, n, "unknown operator '%s' (did you mean '%s'?)", s, near);
	return yw_err(w, n, "unknown operator '%s'", s);
}

static int one_cond(struct yw *w, yaml_node_t *n, void *arg)
{
	struct cond_ctx *c = arg;
	struct pol_call_rule *r = c->r;
	struct pol_cond *k;
	yaml_node_t *a, *op, *v, *v2;
	uint64_t idx;
	int rc;

	if ((rc = yw_keys(w, n, "argument condition", c->oci ? oci_keys : k23_keys)))
		return rc;
	a = yw_get(w, n, c->oci ? "index" : "arg");
	op = yw_get(w, n, "op");
	v = yw_get(w, n, "value");
	v2 = yw_get(w, n, c->oci ? "valueTwo" : "mask");
	if (!a || !op || !v)
		return yw_err(w, n, "argument condition: needs %s, op and value", c->oci ? "index" : "arg");
	if (r->ncond == 6)
		return yw_err(w, n, "argument condition: at most 6 per rule");
	k = &r->cond[r->ncond];
	if ((rc = yw_uint(w, a, "argument index", &idx)))
		return rc;
	if (idx > 5)
		return yw_err(w, a, "argument index %llu: system calls have arguments 0 to 5",
			      (unsigned long long)idx);
	k->arg = (unsigned)idx;
	if ((rc = parse_op(w, op, c->oci, &k->op)) || (rc = yw_uint(w, v, "value", &k->value)))
		return rc;
	if (v2 && (rc = yw_uint(w, v2, c->oci ? "valueTwo" : "mask", &k->value2)))
		return rc;
	if (!c->oci && k->op == POL_MASKED_EQ) {
		/* k23 writes {mask, value}; libseccomp takes (mask, datum). */
		uint64_t datum = k->value;

		if (!v2)
			return yw_err(w, n, "masked-eq needs mask:");
		k->value = k->value2;
		k->value2 = datum;
	} else if (!c->oci && v2) {
		return yw_err(w, v2, "mask: belongs to op: masked-eq");
	}
	if (k->op == POL_MASKED_EQ && (k->value2 & ~k->value))
		return yw_err(w, n, "masked-eq: the value has bits outside the mask: it can never match");
	r->ncond++;
	return 0;
}

int k23_pol_parse_cond(struct yw *w, yaml_node_t *n, struct pol_call_rule *r, int oci)
{
	struct cond_ctx c = { r, oci };

	if (n->type != YAML_SEQUENCE_NODE)
		return yw_err(w, n, "args: expected a list of conditions");
	return yw_each(w, n, "args", one_cond, &c);
}

static int same_verdict(const struct pol_call_rule *a, const struct pol_call_rule *b)
{
	return a->action == b->action && (a->action != POL_ERRNO || a->err == b->err);
}

/* Two rules that give one call different verdicts, one of them for every
 * argument: the file says two things and the filter could honour only one.
 * (Conditional rules with different verdicts are fine: the conditions
 * choose.) */
int k23_pol_check_contradictions(struct yw *w)
{
	struct policy *p = w->p;

	for (int i = 0; i < p->ncalls; i++) {
		const struct pol_call_rule *a = &p->calls[i];

		for (int j = 0; j < i; j++) {
			const struct pol_call_rule *b = &p->calls[j];

			if (same_verdict(a, b) || (a->ncond && b->ncond))
				continue;
			for (int x = 0; x < a->nnames; x++)
				for (int y = 0; y < b->nnames; y++)
					if (!strcmp(a->names[x], b->names[y]))
						return k23_pol_error(p->file, a->name_at[x],
							"contradiction: %s%s%s%s gets another verdict "
							"from the rule at line %d%s", a->names[x],
							a->via[x] ? " (from " : "", a->via[x] ? a->via[x] : "",
							a->via[x] ? ")" : "", b->at.line,
							a->ncond || b->ncond ? " for every argument" : "");
		}
	}
	return 0;
}
