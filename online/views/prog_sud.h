/* prog_sud.h - the program's own Syscall User Dispatch, emulated on top of k23's. */
#ifndef K23_PROG_SUD_H
#define K23_PROG_SUD_H

#include "k23/tool.h"

/* prctl(PR_SET_SYSCALL_USER_DISPATCH, ...) issued by the program. */
long k23_prog_sud_prctl(const struct k23_call *c);

/* For a trapped call: if the program's own SUD would have blocked it, raises
 * the program's SIGSYS as the kernel would and returns 1 (the call is not
 * performed); otherwise returns 0. */
int k23_prog_sud_intercept(struct k23_call *c);

/* Set once any thread of the program turns its own SUD on: its calls must
 * then all go the trapped way, where the emulation looks at them. */
extern int k23_prog_sud_seen;

#endif
