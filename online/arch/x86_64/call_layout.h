/* call_layout.h - offsets of struct k23_call (include/k23/tool.h) for the assembler. */
#ifndef K23_CALL_LAYOUT_H
#define K23_CALL_LAYOUT_H

#define K23_CALL_NR 0
#define K23_CALL_ARGS 8

#ifndef __ASSEMBLER__
#include <stddef.h>
#include "k23/tool.h"

_Static_assert(offsetof(struct k23_call, nr) == K23_CALL_NR, "nr");
_Static_assert(offsetof(struct k23_call, args) == K23_CALL_ARGS, "args");

/* call_raw.S: performs c's call as given. While the kernel runs it, %r12
 * holds c, so a SIGSYS raised by that very instruction (a filter of the
 * program's own) can be traced back to the call k23 was re-issuing. */
long k23_call_raw(const struct k23_call *c);
extern const char k23_call_raw_resume[];

/* call_raw.S: c's call made with the signal mask *prog, then *held set:
 * signals arrive only in between, at named instructions (sigctx.c). */
long k23_call_raw_masked(const struct k23_call *c, const uint64_t *prog, const uint64_t *held);
extern const char k23_call_masked_open[], k23_call_raw_masked_resume[], k23_call_masked_kept[],
	k23_call_masked_closed[];

#endif

#endif
