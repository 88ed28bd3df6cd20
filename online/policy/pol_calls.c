/* pol_calls.c - the policy's seccomp filter, run in-process on each call under complain mode or an audit log, and the rule behind its verdict.
 *
 * Enforced, the kernel applies the filter; this only names its verdicts in
 * the log. Under complain mode the filter is not installed, and this is the
 * only place its would-be denials are seen. The verdict comes from the
 * compiled filter (pol_bpf.c), so it is what the kernel would answer; the
 * rule named is the first in the file whose call, conditions and verdict
 * match (libseccomp merges rules; the filter does not say which it ran).
 */
#include <linux/audit.h>
#include <linux/seccomp.h>
#include "online/core/rtlib.h"
#include "online/policy/pol_int.h"

static int cond_holds(const struct k23_policy_cond *k, const uint64_t *args)
{
	uint64_t a = k->arg < 6 ? args[k->arg] : 0;

	switch (k->op) {
	case 0: return a != k->value;		/* POL_NE */
	case 1: return a < k->value;		/* POL_LT */
	case 2: return a <= k->value;		/* POL_LE */
	case 3: return a == k->value;		/* POL_EQ */
	case 4: return a >= k->value;		/* POL_GE */
	case 5: return a > k->value;		/* POL_GT */
	case 6: return (a & k->value) == k->value2; /* POL_MASKED_EQ */
	}
	return 0;
}

static const struct k23_policy_call *rule_of(long nr, uint32_t verdict, const uint64_t *args)
{
	for (uint32_t i = 0; i < k23_pol.b.h->n_call; i++) {
		const struct k23_policy_call *r = &k23_pol.b.calls[i];
		uint32_t j = 0;

		if (r->nr != (uint32_t)nr || r->action != verdict)
			continue;
		while (j < r->ncond && j < 6 && cond_holds(&r->cond[j], args))
			j++;
		if (j == r->ncond)
			return r;
	}
	return 0;
}

void k23_pol_calls_check(const struct k23_call *c, struct k23_pol_call *pc)
{
	uint64_t args[6];
	uint32_t v, act;
	const struct k23_policy_call *r;
	struct k23_pol_verdict *d = &pc->v;

	for (int i = 0; i < 6; i++)
		args[i] = (uint64_t)c->args[i];
	v = k23_pol_bpf_run(k23_pol.b.bpf, k23_pol.b.h->n_bpf, AUDIT_ARCH_X86_64, (int)c->nr, 0, args, NULL);
	act = v & SECCOMP_RET_ACTION_FULL;
	if (act == SECCOMP_RET_ALLOW)
		return;
	r = rule_of(c->nr, v, args);
	d->layer = K23_POL_SECCOMP;
	d->deny = act != SECCOMP_RET_LOG;
	d->logged_only = act == SECCOMP_RET_LOG;
	d->kill = act == SECCOMP_RET_KILL_PROCESS || act == SECCOMP_RET_KILL_THREAD;
	d->err = act == SECCOMP_RET_ERRNO ? (int)(v & SECCOMP_RET_DATA) : 0;
	if (r) {
		d->rule = r->rule;
		d->line = r->line;
		d->what = r->rule ? "call rule" : "k23: io_uring_setup refused under in-process rules";
	} else {
		d->rule = 0;
		d->line = v == k23_pol.b.h->def_action ? k23_pol.b.h->def_line : 0;
		d->what = "default";
	}
}
