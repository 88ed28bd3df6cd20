/* vmap_calls.h - the rows of path maps (virt_table.c): how each call's operands are rewritten. */
#ifndef K23_VMAP_CALLS_H
#define K23_VMAP_CALLS_H

#include "online/virtual/virt.h"

/* What a call does to an operand's object, for a read-only map. */
enum { VK_LOOK, VK_OPEN, VK_CREATE, VK_CHANGE };

int k23_vmap_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);

#endif
