/* sigctx.h - a program handler that interrupts a call in k23 sees the program's context at the call's site. */
#ifndef K23_SIGCTX_H
#define K23_SIGCTX_H

#include "online/arch/x86_64/kabi.h"

/* Before a program handler runs on the frame uc (the one its return
 * restores): if uc interrupted a call k23 is making for the program (a
 * trapped call, or a patched one), put the program's
 * registers at the call's site in uc (rip after the syscall, or at it when
 * the kernel restarts the call) and keep k23's for k23_sigctx_sigreturn. */
void k23_sigctx_enter(struct k23_ucontext *uc);

/* The program's rt_sigreturn is about to restore the frame fr: if
 * k23_sigctx_enter changed it and the handler left rip and rsp as shown,
 * k23's context goes back in, so the call completes (or restarts) in k23,
 * with the registers the handler changed carried over to the program's;
 * otherwise the program resumes where the handler said. */
void k23_sigctx_sigreturn(struct k23_ucontext *fr);

#endif
