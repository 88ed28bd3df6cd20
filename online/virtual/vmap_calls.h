/* vmap_calls.h - the rows of path maps (virt_table.c): how each call's operands are rewritten. */
#ifndef K23_VMAP_CALLS_H
#define K23_VMAP_CALLS_H

#include "online/virtual/virt.h"

/* What a call does to an operand's object, for a read-only map. */
enum {
	VK_LOOK,	/* reads or follows it */
	VK_OPEN,	/* the open family: its flags decide */
	VK_CREATE,	/* creates the name (an existing one: EEXIST, the kernel's) */
	VK_CHANGE,	/* changes or removes it (a missing one: ENOENT, the kernel's) */
	VK_WRITE,	/* writes the name whether it exists or not (rename's target) */
	VK_EXACT = 8,	/* (or'ed in) symlinks always followed by hand (k23_vmap_walk):
			 * rare calls whose success would hide a wrong name (execve, chdir) */
};

/* The rows' work before a call: each operand's name (vmap_calls.c). */
int k23_vmap_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
/* After a call that failed as if a name were missing (ENOENT, ENOTDIR,
 * ELOOP): its names resolved again by hand, symlinks followed through
 * the maps; 1 if one changed (the call is made again). */
int k23_vmap_again(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
/* Only asks for the row's after (getcwd, getsockname...). */
int k23_vmap_take(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);

/* vmap_views.c: names shown back as the program's. */
void k23_vmap_readlink_after(struct k23_call *c, struct k23_virt_call *vc,
			     const struct k23_virt_row *r);
void k23_vmap_getcwd_after(struct k23_call *c, struct k23_virt_call *vc,
			   const struct k23_virt_row *r);
/* A unix socket's address (bind, connect), and the names getsockname and
 * getpeername report. */
int k23_vmap_sock_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
void k23_vmap_sockname_after(struct k23_call *c, struct k23_virt_call *vc,
			     const struct k23_virt_row *r);

#endif
