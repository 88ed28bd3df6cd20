/* tarea_layout.h - the per-thread area k23 owns in every thread; shared by C and assembly.
 *
 * k23 must need no program memory for itself: not the program's stack (a
 * system call needs none, so it may be tiny, unmapped or garbage), not its
 * alternate signal stack (which it may make read-only or share with a vfork
 * child). Each thread therefore has an area of k23's own:
 *
 *   header page | guard | private stack (120 KiB) | guard | signal stack (64 KiB)
 *
 * The signal stack is the kernel's sigaltstack setting for the thread, so
 * every SIGSYS frame lands there (k23's handler is SA_ONSTACK); the
 * program's own sigaltstack is emulated (signals.c, onstack.c). From any
 * frame the kernel builds, uc_stack.ss_sp leads back to the area's header.
 * The private stack holds patched calls (patch_entry.S) and trapped calls
 * that may sleep (sigsys.c), one level per call in flight: a call claims
 * the level below ENTRY_SP by moving ENTRY_SP down, and keeps the
 * program's stack pointer in the level's top word (onstack.c reads it). While patching is
 * on, %gs points at the area too: a patched site reaches k23 with no kernel
 * frame and no free register (x86-64 Linux programs leave %gs alone; glibc
 * uses %fs).
 */
#ifndef K23_TAREA_LAYOUT_H
#define K23_TAREA_LAYOUT_H

#define K23_TA_STACK_TOP	0	/* initial stack pointer of the private stack */
#define K23_TA_STACK_LO		8	/* its lowest address */
#define K23_TA_SELF		16	/* the area's own address */
#define K23_TA_RING_IDX		24	/* page0: index of the newest ring entry (a byte) */
#define K23_TA_ENTRY_SP		32	/* top of the private stack's next free level */
#define K23_TA_SPARE		40	/* the area of this thread's vfork children, or 0 */
#define K23_TA_PROG_SS		56	/* the program's sigaltstack: sp, flags, size (24 bytes) */
#define K23_TA_RING		128	/* page0: 256 return addresses of calls in flight */
#define K23_TA_RING_N		256
#define K23_TA_TID		(K23_TA_RING + 8 * K23_TA_RING_N)	/* the thread's id */
#define K23_TA_PAGE		4096
#define K23_TA_STACK_OFF	(2 * K23_TA_PAGE)	/* header page, guard page, stack */
#define K23_TA_STACK_END	(128 * 1024)
#define K23_TA_STACK_SIZE	(K23_TA_STACK_END - K23_TA_STACK_OFF)
#define K23_TA_ALT_OFF		(K23_TA_STACK_END + K23_TA_PAGE)	/* a guard, then */
#define K23_TA_ALT_SIZE		(64 * 1024)				/* the signal stack */
#define K23_TA_SIZE		(K23_TA_ALT_OFF + K23_TA_ALT_SIZE)
/* A call that interrupts another (from a signal handler) takes the level
 * below: the interrupted one may use its whole level. When no level is
 * left, patched calls take the catch-all instead and trapped ones stay on
 * the signal stack. */
#define K23_TA_LEVEL		(28 * 1024)

#endif
