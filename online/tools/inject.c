/* inject.c - strace's -e inject=: a call's result replaced (error=, retval=) or the call delayed, in-process.
 *
 * The dispatcher asks before a call that a rule names (topts.h). Counting
 * for when= is as strace's: per thread and per call number, each thread
 * and each new process starting at 0 (strace keeps a count per traced
 * task). A count lives in a table of this process keyed by (thread id,
 * call), mapped on first need: a fork child's threads have ids of their
 * own, so they start at 0 as under strace; a thread that exits clears its
 * entries, so a thread id the kernel reuses starts at 0 too. An execve
 * starts the image's counts at 0 where strace continues them
 * (docs/strace-compat.md).
 *
 * Injected calls are not made: the result is the one the rule gives and
 * the tool reports it marked "(INJECTED)" (or "(DELAYED)" for a delay
 * alone), as strace does.
 */
#include <asm/unistd.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/dispatch/dispatch.h"
#include "online/tools/inject.h"

#define SLOTS 4096
struct slot {
	unsigned long key;	/* tid << 10 | nr, 0: empty */
	unsigned long hits;
};
static void *table;

static unsigned long key_of(long tid, long nr)
{
	return (unsigned long)tid << 10 | ((unsigned long)nr & 1023);
}

/* The count of this thread's calls of nr, this one included; 0 when the
 * table is full or cannot be mapped (then no injection happens). */
static unsigned long count_call(long nr)
{
	struct slot *t = k23_map_lazy(&table, SLOTS * sizeof(struct slot), 1);
	unsigned long key = key_of(k23_tid(), nr), h;

	if (!t)
		return 0;
	h = (key * 0x9e3779b97f4a7c15UL) >> 52;
	for (unsigned long i = 0; i < SLOTS; i++) {
		struct slot *s = &t[(h + i) % SLOTS];
		unsigned long k = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE), none = 0;

		/* Only the thread itself writes its keys: the race is with other
		 * threads claiming other keys. */
		if (!k && !__atomic_compare_exchange_n(&s->key, &none, key, 0, __ATOMIC_ACQ_REL,
						       __ATOMIC_ACQUIRE))
			k = none;
		else if (!k)
			k = key;
		if (k == key)
			return ++s->hits;
	}
	return 0;
}

void k23_inject_thread_exit(void)
{
	struct slot *t = k23_map_lazy(&table, SLOTS * sizeof(struct slot), 0);
	unsigned long tid;

	if (!t)
		return;
	tid = (unsigned long)k23_tid();
	for (unsigned long i = 0; i < SLOTS; i++)
		if (t[i].key >> 10 == tid)
			t[i].hits = 0;
}

static int every_call(const struct k23_inject *r)
{
	return r->first == 1 && r->step == 1 && r->last == K23_INJ_LAST_MAX;
}

static int fires(const struct k23_inject *r, long nr)
{
	unsigned long n;

	if (every_call(r))
		return 1;
	n = count_call(nr);
	if (!n || n < r->first || n > r->last)
		return 0;
	return (n - r->first) % r->step == 0;
}

static void delay_us(uint64_t us)
{
	struct { long sec, nsec; } ts = { (long)(us / 1000000), (long)(us % 1000000) * 1000 };

	/* A signal cuts the delay short; the rest is slept, as strace does. */
	while (k23_syscall2(__NR_nanosleep, (long)&ts, (long)&ts) == -4 /* EINTR */)
		;
}

int k23_inject_enter(struct k23_call *c)
{
	const struct k23_topts *o = k23_rt.opts;
	const struct k23_inject *r;
	unsigned idx = o->inject_rule[c->nr];

	if (!idx || idx > o->ninject)
		return 0;
	r = &o->inject[idx - 1];
	if (!fires(r, c->nr))
		return 0;
	if (r->kind & K23_INJ_DELAY_ENTER)
		delay_us(r->delay_enter_us);
	if (r->kind & (K23_INJ_ERROR | K23_INJ_RETVAL)) {
		c->ret = r->kind & K23_INJ_ERROR ? -r->value : r->value;
		c->mark = K23_MARK_INJECTED;
		k23_report(c);
		if (r->kind & K23_INJ_DELAY_EXIT)
			delay_us(r->delay_exit_us);
		return 1;
	}
	c->mark = K23_MARK_DELAYED;
	c->delay_exit_us = r->kind & K23_INJ_DELAY_EXIT ? r->delay_exit_us : 0;
	return 2;
}

void k23_inject_exit(const struct k23_call *c)
{
	if (c->delay_exit_us)
		delay_us(c->delay_exit_us);
}
