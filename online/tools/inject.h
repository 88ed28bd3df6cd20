/* inject.h - strace's -e inject= made in-process (inject.c). */
#ifndef K23_INJECT_H
#define K23_INJECT_H

#include "k23/tool.h"

/* Before a call some rule names: 0, make it as usual; 1, it was injected
 * (not made, c->ret set, reported); 2, make it, then k23_inject_exit. */
int k23_inject_enter(struct k23_call *c);
/* After a call k23_inject_enter returned 2 for: its delay_exit. */
void k23_inject_exit(const struct k23_call *c);
/* The calling thread exits: its counts end with it. */
void k23_inject_thread_exit(void);

#endif
