/* sigview.c - per-thread "SIGSYS blocked" bits in a lock-free table keyed by thread id.
 *
 * The runtime has no thread-local storage of its own (the program owns %fs),
 * so the bit lives in an open-addressed table: a thread claims a slot with a
 * compare-and-swap on its tid and only ever writes its own slot. A slot whose
 * thread died is reused by whichever new thread gets the same tid, and new
 * threads and children set their bit from their creator's (clone.c).
 */
#include <asm/unistd.h>
#include "rtlib.h"
#include "sigview.h"

#define SLOTS 4096

static struct slot {
	int tid;
	int blocked;
} table[SLOTS];

static struct slot *find(int create)
{
	int tid = (int)k23_syscall0(__NR_gettid);

	for (unsigned i = 0; i < SLOTS; i++) {
		struct slot *s = &table[((unsigned)tid + i) % SLOTS];
		int cur = __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE);

		if (cur == tid)
			return s;
		if (cur == 0) {
			if (!create)
				return 0;
			if (__atomic_compare_exchange_n(&s->tid, &cur, tid, 0, __ATOMIC_ACQ_REL,
							__ATOMIC_ACQUIRE) || cur == tid)
				return s;
		}
	}
	return 0; /* full: the view degrades to "not blocked" */
}

int k23_sigview_blocked(void)
{
	struct slot *s = find(0);

	return s ? __atomic_load_n(&s->blocked, __ATOMIC_RELAXED) : 0;
}

void k23_sigview_set(int blocked)
{
	struct slot *s = find(blocked);

	if (s)
		__atomic_store_n(&s->blocked, blocked, __ATOMIC_RELAXED);
}
