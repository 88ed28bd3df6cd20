/* sigctx.h - a program handler that interrupts a call in k23 sees the program's context at the call's site. */
#ifndef K23_SIGCTX_H
#define K23_SIGCTX_H

#include "online/arch/x86_64/kabi.h"
#include "online/core/tarea.h"

struct k23_patch_frame;

/* What k23_sigctx_settle did: resume != 0 when it moved the interrupted
 * context to resume, a point in a stub, which the handler is to see as
 * shown, the site's syscall (after it when after). */
struct k23_sigctx_note {
	unsigned long resume, shown;
	int after;
};

/* First, on the kernel's frame uc of a program handler (a: the thread's
 * area, from that frame): a signal that interrupted k23_stub_entry
 * (patch_entry.S) is moved to the equivalent point in the stub, with the
 * program's registers and stack pointer, and the call's level released
 * (sigctx_patched.c). 1 if it did. */
int k23_sigctx_settle(struct k23_area *a, struct k23_ucontext *uc, struct k23_sigctx_note *n);

/* Before a program handler runs on the frame uc (the one its return
 * restores): if uc interrupted a call k23 is making for the program (a
 * trapped call, or a patched one), put the program's registers at the
 * call's site in uc (rip after the syscall, or at it when the kernel
 * restarts the call or the call is not made yet) and keep what is needed
 * to go on for k23_sigctx_sigreturn. */
void k23_sigctx_enter(struct k23_area *a, const struct k23_sigctx_note *n, struct k23_ucontext *uc);

/* The program's rt_sigreturn is about to restore the frame fr: if
 * k23_sigctx_enter changed it and the handler left rip and rsp as shown,
 * k23's context goes back in, so the call completes (or restarts) in k23,
 * with the registers the handler changed carried over to the program's;
 * otherwise the program resumes where the handler said. */
void k23_sigctx_sigreturn(struct k23_ucontext *fr);

/* sigctx_patched.c: the site of the stub whose return point (R) or
 * fallback is at; *after is 1 for R. */
unsigned long k23_stub_site(unsigned long at, int *after);

/* Where the program is for the patched call whose frame is f (on the
 * level with that top): its site, rsp there, and whether k23 makes the
 * call (0: it goes to the catch-all). */
unsigned long k23_patched_site(const struct k23_patch_frame *f, unsigned long top,
			       unsigned long *prog_sp, int *can_make);

/* rip lies in a stub: where the site's window has the same state (shown)
 * and where to go on (resume). 1 if so. */
int k23_sigctx_in_stub(unsigned long rip, struct k23_sigctx_note *n);

/* The frame of the patched call whose C part uc interrupted (rsp on a
 * level of a's private stack holding a live stub frame), and the level's
 * top; NULL if none. */
struct k23_patch_frame *k23_sigctx_patched(struct k23_area *a, const struct k23_ucontext *uc,
					   unsigned long *top);

#endif
