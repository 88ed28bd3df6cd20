/* sigsys.h - the SIGSYS entry: trapped system calls (SUD or seccomp) come in here. */
#ifndef K23_SIGSYS_H
#define K23_SIGSYS_H

#include "online/arch/x86_64/kabi.h"

void k23_sigsys_handler(int sig, struct k23_siginfo *si, struct k23_ucontext *uc);

/* sigreturn.S: fn(arg) on the stack at sp, then rt_sigreturn with rsp at
 * the ucontext fn returns. */
__attribute__((noreturn)) void k23_run_moved(unsigned long sp, unsigned long (*fn)(void *),
					     void *arg);

#endif
