/* signals.h - keeping SIGSYS k23's own while the program uses signals freely. */
#ifndef K23_SIGNALS_H
#define K23_SIGNALS_H

#include "arch/x86_64/kabi.h"

/* A SIGSYS that is not one of k23's traps: give it to the program as the
 * program's own disposition for SIGSYS says. */
void k23_deliver_program_sigsys(int sig, struct k23_siginfo *si, struct k23_ucontext *uc);

/* A SIGSYS the kernel would force on the program (its own SUD): like the
 * above, except that an ignored SIGSYS kills, as force_sig does. */
void k23_raise_program_sigsys(struct k23_siginfo *si, struct k23_ucontext *uc);

#endif
