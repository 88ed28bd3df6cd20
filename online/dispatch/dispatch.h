/* dispatch.h - the one dispatcher every intercepted system call goes through. */
#ifndef K23_DISPATCH_H
#define K23_DISPATCH_H

#include "k23/tool.h"

/* Performs (or emulates) the call and reports it to the active tool; the
 * result is left in c->ret. */
void k23_dispatch(struct k23_call *c);

/* The dispatcher proper; pc is the policy's check of the call
 * (online/policy/pol_check.c), or NULL when no policy wants it; vc the
 * virtual world's frame (online/virtual/virt.h), or NULL. */
struct k23_pol_call;
struct k23_virt_call;
void k23_dispatch_body(struct k23_call *c, struct k23_pol_call *pc, struct k23_virt_call *vc);

/* Hands a finished call (or one about to not return) to the active tool. */
void k23_report(const struct k23_call *c);

/* The call as the program asked for it, issued from k23's exempt text. */
long k23_passthrough(const struct k23_call *c);

/* 1 if the call's handling needs the kernel's SIGSYS frame (clone, exec,
 * signal masks, mapping code to patch...): a patched site must then let
 * the catch-all trap it instead of passing it through. */
int k23_needs_frame(const struct k23_call *c);

/* 1 if the dispatcher does nothing with call nr but pass it through
 * (and it needs no frame): what the patched fast path may do alone. */
int k23_passes_through(long nr);

/* 1 if call nr returns without sleeping (k23 makes it with signals held). */
int k23_never_sleeps(long nr);

/* Set once the program installs a seccomp filter of its own. */
extern int k23_program_filters;

/* A call k23 answers itself, without the kernel's, still gets the verdict
 * of a seccomp filter of the program's own: the probe, a call of the same
 * number with these arguments, which must change nothing and which the
 * kernel never refuses, is made from the instruction that filter judges
 * (online/catchall/own_filter.c), with the program's frame. Returns 0 if
 * the filter let it through (or the program has none), else the filter's
 * verdict: its errno, or K23_RET_NONE when the program's SIGSYS handler
 * took its trap. */
long k23_judged_probe(const struct k23_call *c, long a0, long a1, long a2, long a3);

/* Handlers of calls that need more than passing through. Each sets c->ret.
 * clone, exec and exit report the call themselves, because they must do it
 * before the call or on one side of it only; the dispatcher reports the rest. */
void k23_do_clone(struct k23_call *c);
void k23_do_exec(struct k23_call *c);
void k23_do_exit(struct k23_call *c);
void k23_do_fd_guard(struct k23_call *c);
void k23_do_readlink(struct k23_call *c);
void k23_do_signal_call(struct k23_call *c);
void k23_do_prctl(struct k23_call *c);
void k23_do_arch_prctl(struct k23_call *c);

#endif
