/* prog_seccomp.h - the program's own seccomp mode: strict mode emulated, PR_GET_SECCOMP its own. */
#ifndef K23_PROG_SECCOMP_H
#define K23_PROG_SECCOMP_H

#include "k23/tool.h"

/* Set once a thread of the program enters strict mode. */
extern int k23_prog_strict_seen;

/* A thread in strict mode making a call strict mode forbids: killed with
 * SIGKILL (does not return). Otherwise returns. */
void k23_prog_strict_check(struct k23_call *c);

/* PR_GET_SECCOMP, PR_SET_SECCOMP and seccomp() with SECCOMP_SET_MODE_STRICT:
 * emulated, 1 (c->ret set); other calls 0. */
int k23_prog_seccomp_call(struct k23_call *c);

/* The calling thread's seccomp filters beyond k23's own; -1 if unknown. */
long k23_prog_filters(void);

#endif
