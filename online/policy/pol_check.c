/* pol_check.c - the in-process layer's per-call decision: a table of checkers, consulted before a call and after it.
 *
 * Each checker names the calls it looks at; at attach a map from call
 * number to checkers is built, so a call no checker wants costs one load
 * (and keeps the patched fast path). The seccomp filter itself is run on
 * every call under complain mode or a log (pol_calls.c). Network
 * destinations (pol_dest.c) copy the sockaddr (and sendmsg's headers) into
 * struct k23_pol_call, as pol_files.c copies paths, point the call's
 * argument at the copy and record their verdict with k23_pol_verdict.
 *
 * The copies and the verdict live in k23_policy_dispatch's frame (on k23's
 * own stack), for the whole call: the kernel receives the copy that was
 * checked, and the tool and the log see the verdict.
 */
#include <asm/unistd.h>
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/policy/pol_int.h"

static const struct k23_pol_checker *const checkers[] = { &k23_pol_files, &k23_pol_ports,
							  &k23_pol_dest };
#define NCHECKERS (int)(sizeof(checkers) / sizeof(checkers[0]))
#define RUN_FILTER 0x80

static unsigned char wants_map[K23_MAX_SYSCALLS];

void k23_pol_build_map(void)
{
	for (long nr = 0; nr < K23_MAX_SYSCALLS; nr++) {
		unsigned char m = 0;

		for (int i = 0; i < NCHECKERS; i++)
			if (checkers[i]->wants(nr))
				m |= (unsigned char)(1u << i);
		if (k23_pol.observe && k23_pol.b.h->n_bpf)
			m |= RUN_FILTER;
		wants_map[nr] = m;
	}
}

static unsigned map_of(long nr)
{
	if (nr >= 0 && nr < K23_MAX_SYSCALLS)
		return wants_map[nr];
	return k23_pol.observe && k23_pol.b.h->n_bpf ? RUN_FILTER : 0;
}

int k23_policy_wants(long nr)
{
	return __atomic_load_n(&k23_pol_on, __ATOMIC_ACQUIRE) && map_of(nr);
}

int k23_pol_verdict(struct k23_pol_call *pc, int layer, int err, uint32_t rule, uint32_t line,
		    const char *what)
{
	struct k23_pol_verdict *v = &pc->v;

	if (v->layer && v->deny)
		return 0; /* the first denial is the one the call meets */
	v->layer = layer;
	v->deny = 1;
	v->kill = 0;
	v->logged_only = 0;
	v->err = err;
	v->rule = rule;
	v->line = line;
	v->what = what;
	return layer == K23_POL_INPROCESS && !k23_pol.complain;
}

int k23_pol_before(struct k23_call *c, struct k23_pol_call *pc)
{
	unsigned m = map_of(c->nr);
	int refused = 0;

	if (m & RUN_FILTER)
		k23_pol_calls_check(c, pc);
	/* Enforced, a denial of the filter is the kernel's: the call is made
	 * (from k23's text, which the policy's filter binds) and refused there. */
	if (!(pc->v.deny && !k23_pol.complain))
		for (int i = 0; i < NCHECKERS && !refused; i++)
			if (m & (1u << i))
				refused = checkers[i]->check(c, pc);
	if (pc->v.layer)
		c->policy = &pc->v;
	return refused;
}

void k23_pol_after(struct k23_call *c, struct k23_pol_call *pc)
{
	unsigned m = map_of(c->nr);

	if (!pc->post)
		return;
	for (int i = 0; i < NCHECKERS; i++)
		if ((m & (1u << i)) && checkers[i]->after)
			checkers[i]->after(c, pc);
	if (pc->v.layer)
		c->policy = &pc->v;
}

void k23_pol_reset(struct k23_pol_call *pc)
{
	pc->v.layer = 0;
	pc->v.deny = 0;
	pc->v.access = 0;
	pc->post = 0;
}

void k23_policy_dispatch(struct k23_call *c, struct k23_virt_call *vc)
{
	struct k23_pol_call pc;

	k23_pol_reset(&pc);
	k23_dispatch_body(c, &pc, vc);
}
