/* membarrier_view.h - membarrier as the program registered it (not as k23 did). */
#ifndef K23_MEMBARRIER_VIEW_H
#define K23_MEMBARRIER_VIEW_H

#include "k23/tool.h"

void k23_do_membarrier(struct k23_call *c);

#endif
