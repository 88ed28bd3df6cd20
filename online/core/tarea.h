/* tarea.h - each thread's area of k23's own: header, private stack, signal stack (layout: arch/x86_64/tarea_layout.h). */
#ifndef K23_TAREA_H
#define K23_TAREA_H

#include <stddef.h>
#include "online/arch/x86_64/tarea_layout.h"
#include "online/arch/x86_64/kstack.h"
#include "online/process/procview.h"

struct k23_ucontext;

#define K23_AREA_SPARE 1	/* kind: a thread's area for its vfork children */

/* The header page, as C sees it. */
struct k23_area {
	unsigned long stack_top, stack_lo, self, ring_idx, entry_sp, spare;
	unsigned long view_ends_at_exit; /* the view ends with this thread (procview.c) */
	struct k23_stack prog_ss;	/* the program's sigaltstack setting */
	unsigned long kind;
	struct k23_procview *view;	/* this thread's process's k23 state; NULL: k23_rt's */
	struct k23_procview own_view;	/* ... kept here for a child with a table of its own */
};
_Static_assert(offsetof(struct k23_area, self) == K23_TA_SELF, "self");
_Static_assert(offsetof(struct k23_area, entry_sp) == K23_TA_ENTRY_SP, "entry_sp");
_Static_assert(offsetof(struct k23_area, spare) == K23_TA_SPARE, "spare");
_Static_assert(offsetof(struct k23_area, prog_ss) == K23_TA_PROG_SS, "prog_ss");
_Static_assert(sizeof(struct k23_area) <= K23_TA_RING, "header before the ring");

/* A new area (not yet any thread's), its program sigaltstack disabled; NULL
 * when there is no memory. */
struct k23_area *k23_area_new(void);

/* Makes a the calling thread's: the kernel's alternate signal stack is its
 * signal stack, and %gs points at it while patching is on. 0 or -errno. */
long k23_area_enter(struct k23_area *a);

/* The area of the thread a kernel-built signal frame belongs to (its saved
 * alternate stack is the area's signal stack); NULL if it is not k23's. */
struct k23_area *k23_area_of(const struct k23_ucontext *uc);

/* The area this thread's vfork children run k23 on (made on first use;
 * the thread waits while its vfork child runs, so one suffices). */
struct k23_area *k23_area_spare(struct k23_area *a);

/* The program's stack pointer at the call in k23 that the context uc
 * interrupted (rsp inside the area), as a handler's frame must be placed
 * from it; a context in patch_entry.S must have been settled first
 * (k23_sigctx_settle). */
unsigned long k23_area_program_sp(struct k23_area *a, struct k23_ucontext *uc);

/* Gives the calling thread its own area (the main thread, before the
 * program starts; new threads get theirs from clone.c). 0 or -errno. */
long k23_tarea_setup(void);

/* The thread exits with code: frees its area (unless it is a spare, which
 * its owner keeps) and spares, then exits; signals stay held meanwhile. */
__attribute__((noreturn)) void k23_area_exit(struct k23_area *a, long code);

/* clone.S: munmap(addr, size), then exit(code), without touching memory. */
__attribute__((noreturn)) void k23_unmap_exit(void *addr, unsigned long size, long code);

/* Set when the program moves %gs itself (arch_prctl ARCH_SET_GS): from then
 * on no patched site uses the area; every call takes the catch-all. */
extern volatile int k23_patch_disabled;

/* The program's own %gs base as it set it (0 until it does). */
extern unsigned long k23_prog_gs;

#endif
