/* thread.c - per-thread state in a lock-free table keyed by thread id.
 *
 * The runtime has no thread-local storage of its own (the program owns %fs),
 * so the state lives in an open-addressed table (online/core/tidtable.c): a
 * thread claims a slot with a compare-and-swap on its tid and only ever
 * writes its own slot. A slot whose thread died is taken over by the next
 * thread with the same tid, which resets it when it starts (clone.c calls
 * k23_thread_start).
 *
 * The table (704 KiB) is mapped when the first slot is claimed: most
 * programs never block SIGSYS nor turn on SUD of their own, and address
 * space k23 holds counts against the program's `ulimit -v`.
 */
#include <asm/unistd.h>
#include "online/core/rtlib.h"
#include "online/core/thread.h"
#include "online/core/tidtable.h"
#include "online/core/tarea.h"

_Static_assert(offsetof(struct k23_thread, tid) == 0, "the table's key comes first");

#define SLOTS K23_THREAD_SLOTS

static void *mapped; /* the table, mapped on first need */

void **k23_thread_table_ref(void)
{
	return &mapped;
}

/* NULL also when the table is full: the views degrade to "not blocked",
 * "no SUD". */
struct k23_thread *k23_thread_self(int create)
{
	if (!create && !__atomic_load_n(&mapped, __ATOMIC_ACQUIRE))
		return 0; /* no table, no entry: no need to know who asks */
	return k23_tid_entry(&mapped, SLOTS, sizeof(struct k23_thread), (int)k23_tid(), create, 0);
}

void k23_thread_start(int sigsys_blocked)
{
	struct k23_thread *t = k23_thread_self(sigsys_blocked);

	if (t) {
		t->sud_on = 0;
		t->sigsys_blocked = sigsys_blocked;
	}
}

int k23_sigview_blocked(void)
{
	return k23_sigview_blocked_in(k23_thread_self(0));
}

struct k23_thread *k23_sigview_set(struct k23_thread *t, int blocked)
{
	if (!t && blocked)
		t = k23_thread_self(1);
	if (t)
		t->sigsys_blocked = blocked;
	return t;
}
