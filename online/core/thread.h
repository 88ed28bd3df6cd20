/* thread.h - the runtime's per-thread state: what the program believes about its own thread. */
#ifndef K23_THREAD_H
#define K23_THREAD_H

#include <stdint.h>
#include "online/arch/x86_64/kabi.h"

struct k23_thread {
	int tid;
	/* The program's view of SIGSYS in its mask: k23 never lets the kernel
	 * block it, but glibc's posix_spawn reads the bit back. */
	int sigsys_blocked;
	/* A SIGSYS sent while the program had it blocked waits here. */
	int sigsys_pending;
	struct k23_siginfo pending_si;
	/* The program's own Syscall User Dispatch, emulated (prog_sud.c). */
	int sud_on;
	unsigned long sud_start, sud_len;
	const volatile unsigned char *sud_selector;
	/* The program put this thread in seccomp strict mode (prog_seccomp.c). */
	int seccomp_strict;
};

/* Where the table's address is kept (NULL until mapped): the same address
 * in every k23 image, so a tracer's k23 finds a tracee's entries; the entry
 * for tid is looked for at (tid + i) % K23_THREAD_SLOTS, i = 0, 1, ... */
void **k23_thread_table_ref(void);
#define K23_THREAD_SLOTS 4096

/* This thread's entry; NULL if it has none and create is 0 (or the table is full). */
struct k23_thread *k23_thread_self(int create);

/* A new thread or process starts: SUD off (the kernel does not inherit it),
 * SIGSYS blocked as in its creator's mask. */
void k23_thread_start(int sigsys_blocked);

/* Whether the program's view has SIGSYS blocked: of the calling thread,
 * or of its entry t already looked up (k23_thread_self(0), NULL: none). */
int k23_sigview_blocked(void);
static inline int k23_sigview_blocked_in(const struct k23_thread *t)
{
	return t && t->sigsys_blocked;
}
/* Records it in t (looked up as above), made first if blocked and there is
 * none; returns the entry, or NULL. */
struct k23_thread *k23_sigview_set(struct k23_thread *t, int blocked);

#endif
