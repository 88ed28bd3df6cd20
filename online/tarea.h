/* tarea.h - per-thread areas for the patched path (layout: arch/x86_64/tarea_layout.h). */
#ifndef K23_TAREA_H
#define K23_TAREA_H

/* Gives the calling thread its own area and points %gs at it. A new thread
 * (CLONE_VM) calls it before its first program instruction; a fork child
 * keeps its copy of the parent's. 0 or -errno. */
long k23_tarea_setup(void);

/* The thread is about to exit: frees its area unless it is running on it. */
void k23_tarea_release(void);

/* Set when the program moves %gs itself (arch_prctl ARCH_SET_GS): from then
 * on no patched site uses the area; every call takes the catch-all. */
extern volatile int k23_patch_disabled;

/* The program's own %gs base as it set it (0 until it does). */
extern unsigned long k23_prog_gs;

#endif
