/* ptrace_async.h - a tracer under k23 that does not wait: its tracees' trap stops are resumed on SIGCHLD (ptrace_async.c). */
#ifndef K23_PTRACE_ASYNC_H
#define K23_PTRACE_ASYNC_H

#include "online/arch/x86_64/kabi.h"

/* Set once this process traces a tracee under k23. */
extern int k23_tracer_async_on;

/* A tracee under k23 was found: from now on k23 takes SIGCHLD. */
void k23_tracer_async_arm(void);

/* ptrace_tracer.c: resumes the tracees' stops for k23's traps that no wait
 * has taken yet (from a SIGCHLD handler of k23's or k23's entry to the
 * program's). */
void k23_tracer_async_consume(void);

/* The program's sigaction of SIGCHLD while k23's handler stands in for
 * its SIG_DFL: 1 if handled (*old is the program's previous action); 0 if
 * the kernel's must be changed as usual, with *old (if has_old is set)
 * the program's previous action to report. */
int k23_sigchld_sigaction(const struct k23_sigaction *act, struct k23_sigaction *old,
			  int *has_old);

/* A new process with a memory of its own (fork): it traces nothing, so
 * the program's SIGCHLD disposition goes back to the kernel. */
void k23_tracer_async_forked(void);

#endif
