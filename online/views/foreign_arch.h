/* foreign_arch.h - trapped calls of another ABI (i386 int $0x80, x32 numbers). */
#ifndef K23_FOREIGN_ARCH_H
#define K23_FOREIGN_ARCH_H

#include "online/arch/x86_64/kabi.h"

/* 1 if the trapped call is not an x86-64 call. */
int k23_is_foreign(const struct k23_siginfo *si);

/* Makes it as the call it is and sets the frame's result. */
void k23_foreign_call(const struct k23_siginfo *si, struct k23_ucontext *uc, int via);

#endif
