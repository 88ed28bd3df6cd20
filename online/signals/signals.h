/* signals.h - keeping SIGSYS k23's own while the program uses signals freely. */
#ifndef K23_SIGNALS_H
#define K23_SIGNALS_H

#include "online/arch/x86_64/kabi.h"
#include "k23/tool.h"

/* Signals k23 holds back while it works on a call: all but those a fault
 * raises synchronously (and SIGSYS, SIGKILL, SIGSTOP). Blocked by the SIGSYS
 * handler's sa_mask, they are delivered when the handler returns, so the
 * program's handlers see the program's registers, and every call is reported
 * before a handler can run or longjmp. Calls that may sleep are made with the
 * program's own mask, so signals still interrupt them (dispatch.c). */
#define K23_SYNC_SIGNALS (K23_SIGBIT(4) | K23_SIGBIT(5) | K23_SIGBIT(7) | K23_SIGBIT(8) | \
			  K23_SIGBIT(9) | K23_SIGBIT(11) | K23_SIGBIT(19) | K23_SIGBIT(31))
#define K23_HELD_SIGNALS (~(k23_sigset_t)K23_SYNC_SIGNALS)

/* Sets the thread's mask for the duration of a program call from the trapped
 * frame (the program's mask), and back; no-ops outside a SIGSYS frame. */
void k23_mask_program(const struct k23_call *c);
void k23_mask_held(const struct k23_call *c);

/* c's call (from a SIGSYS frame), made with the program's mask and held
 * again after, by k23_call_raw_masked: a handler that runs in between is
 * shown the program's context wherever it lands (sigctx.c). */
long k23_call_program_mask(const struct k23_call *c);

/* SIGSYS unblocked in the kernel's mask, where k23's own handler (which
 * runs with it blocked) lets program code run or makes calls that may trap
 * (arm.c); returns the mask before. */
k23_sigset_t k23_sigsys_unblock(void);

/* SIGSYS blocked in the kernel's mask again, where k23 leaves a stretch
 * that a SIGSYS must not interrupt (sigsys.c's release of a level, exec.c
 * around the re-execution). */
void k23_sigsys_block(void);

/* A SIGSYS that is not one of k23's traps: give it to the program as the
 * program's own disposition for SIGSYS says. */
void k23_deliver_program_sigsys(int sig, struct k23_siginfo *si, struct k23_ucontext *uc);

/* A SIGSYS the kernel would force on the program (its own SUD): like the
 * above, except that an ignored SIGSYS kills, as force_sig does. */
void k23_raise_program_sigsys(struct k23_siginfo *si, struct k23_ucontext *uc);

#endif
