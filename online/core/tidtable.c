/* tidtable.c - the lookup of thread-id-keyed tables (tidtable.h). */
#include "online/core/rtlib.h"
#include "online/core/tidtable.h"

void *k23_tid_entry(void **table, unsigned nslots, size_t size, int tid, int create, int *fresh)
{
	char *t = k23_map_lazy(table, nslots * size, create);

	if (fresh)
		*fresh = 0;
	if (!t)
		return 0;
	for (unsigned i = 0; i < nslots; i++) {
		int *e = (int *)(t + (size_t)(((unsigned)tid + i) % nslots) * size);
		int cur = __atomic_load_n(e, __ATOMIC_ACQUIRE);

		if (cur == tid)
			return e;
		if (cur != 0)
			continue;
		if (!create)
			return 0;
		if (__atomic_compare_exchange_n(e, &cur, tid, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			if (fresh)
				*fresh = 1;
			return e;
		}
		if (cur == tid)
			return e; /* claimed for tid meanwhile (by this thread's signal handler) */
	}
	return 0;
}
