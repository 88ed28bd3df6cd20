/* onstack.h - the program's alternate signal stack, emulated, and delivery of the program's handlers. */
#ifndef K23_ONSTACK_H
#define K23_ONSTACK_H

#include "online/arch/x86_64/kabi.h"
#include "online/core/tarea.h"

/* sigaltstack for the program: a's emulated setting, judged by the program's
 * stack pointer sp as the kernel would. 0 or -errno. */
long k23_altstack_call(struct k23_area *a, const struct k23_stack *ss, struct k23_stack *oss,
		       unsigned long sp);

/* The program's rt_sigreturn is about to restore the frame at fr: take the
 * alternate stack it holds as the program's setting (as the kernel would)
 * and put k23's own in its place, which the kernel then restores. */
void k23_altstack_sigreturn(struct k23_area *a, struct k23_ucontext *fr);

/* rt_sigaction's act as the kernel gets it: a program handler becomes
 * k23's entry, which delivers it where the program's settings say. */
void k23_onstack_wrap(int sig, struct k23_sigaction *act);

/* rt_sigaction's oact as the program sees it (k23's entry unwrapped). */
void k23_onstack_unwrap(struct k23_sigaction *oact);

#endif
