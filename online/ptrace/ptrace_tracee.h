/* ptrace_tracee.h - the tracee's side: marking the program's calls for a tracer under k23. */
#ifndef K23_PTRACE_TRACEE_H
#define K23_PTRACE_TRACEE_H

#include "k23/tool.h"
#include "online/ptrace/ptrace_shared.h"

/* Before k23 performs the program's call c: if a k23 tracer traces the
 * process, makes the enter marker (the tracer may change c meanwhile) and
 * returns 1; the caller must then make the exit marker when c->ret is
 * final. A number of -1 left by the tracer means: skip the call, c->ret is
 * its result. */
int k23_ptrace_enter(struct k23_call *c);
void k23_ptrace_exit(struct k23_call *c);

/* The program's PTRACE_TRACEME: 0 or -errno; made for real by
 * k23_ptrace_settle when the thread next execs or sends a signal. */
long k23_ptrace_traceme(void);
void k23_ptrace_settle(const struct k23_call *c);

/* A thread whose PTRACE_TRACEME is still to be made, or 0. */
extern int k23_ptrace_traceme_tid;

/* Makes the calling thread's PTRACE_TRACEME for real if it is still to be
 * made: 1 if it was made now. */
int k23_ptrace_settle_self(void);

/* A signal is being delivered to a program handler of a thread whose
 * PTRACE_TRACEME is still to be made: natively its tracer would see the
 * signal first. Makes the TRACEME, queues the signal again with its siginfo
 * and leaves the handler, so it is delivered anew - to the tracer's stop
 * first. Returns only if there was nothing to do. */
void k23_ptrace_signal_settle(int sig, const void *si, void *uc);

static inline int k23_ptrace_traced(void)
{
	return __atomic_load_n(&k23_ptrace_shared.traced, __ATOMIC_RELAXED);
}

#endif
