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

/* The thread's id, after the ring: 0 until k23_tid asks the kernel;
 * reset by k23_area_enter and in a fork child's copy (clone.c). */
static inline long *k23_area_tid(struct k23_area *a)
{
	return (long *)((char *)a + K23_TA_TID);
}

/* Whether sp lies on a's signal stack, where every frame the kernel builds
 * for k23's handlers lands. */
static inline int k23_area_on_sigstack(const struct k23_area *a, unsigned long sp)
{
	return sp - ((unsigned long)a + K23_TA_ALT_OFF) < K23_TA_ALT_SIZE;
}

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

/* Set once a thread of this memory has entered its area with %gs on it:
 * from then on every thread's %gs is its own area (a fork child's, the
 * copy of its parent's) until the program moves %gs (k23_patch_disabled). */
extern volatile int k23_gs_areas;

/* The calling thread's area, read through %gs without a system call, or
 * NULL where %gs is not k23's (--no-patch, before the first area, after
 * the program moved %gs): then the caller asks the kernel. */
static inline struct k23_area *k23_area_here(void)
{
	unsigned long p;

	if (!k23_gs_areas || k23_patch_disabled)
		return 0;
	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(p) : "i"(K23_TA_SELF));
	return (struct k23_area *)p;
}

/* The calling thread's id: asked once and kept in its area where %gs
 * reaches it, else asked each time (gettid). */
long k23_tid(void);

#endif
