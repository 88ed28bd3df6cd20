/* fastpath.h - when a patched call may skip the dispatcher (arch/x86_64/fast_layout.h). */
#ifndef K23_FASTPATH_H
#define K23_FASTPATH_H

#include "online/arch/x86_64/fast_layout.h"

/* Recomputes k23_fast from the settings: call it after the tool is attached
 * and whenever something that makes calls need the dispatcher changes. */
void k23_fast_update(void);
void k23_fast_count_rest(unsigned long nr, long ret, int calls_too);
void k23_fast_guard_fd(long fd);

#endif
