/* arm.h - switching the catch-all mechanisms on: SUD per thread, seccomp once, the SIGSYS handler. */
#ifndef K23_ARM_H
#define K23_ARM_H

/* Arms Syscall User Dispatch for the calling thread if the mode uses it.
 * SUD is not inherited by new threads or fork children: call this in each,
 * before it runs a single instruction of the program. Returns 0 or -errno. */
long k23_arm_thread(void);

/* Installs the seccomp backstop (inherited by all threads and children, kept
 * across execve). Sets no_new_privs only if the kernel requires it. */
long k23_install_seccomp(void);

/* Installs k23's SIGSYS handler. Signal dispositions do not survive execve,
 * so every image does this once before handing over. */
long k23_install_sigsys(void);

/* Assembly stubs (arch/x86_64/sigreturn.S). */
void k23_restore_rt(void);
void k23_restore_prog_rt(void);

#endif
