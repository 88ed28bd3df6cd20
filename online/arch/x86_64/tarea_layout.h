/* tarea_layout.h - the per-thread area %gs points at while patching is on; shared by C and assembly.
 *
 * Patched sites enter k23 by a jump, with no kernel frame and no free
 * register, so the entry needs per-thread memory it can reach without a
 * system call: the %gs base, which x86-64 Linux programs leave alone (glibc
 * uses %fs). The area holds a private stack (the dispatcher must not run on
 * the program's stack: a Go goroutine has a few hundred bytes to spare) and
 * the page-0 strategy's return-address ring.
 */
#ifndef K23_TAREA_LAYOUT_H
#define K23_TAREA_LAYOUT_H

#define K23_TA_STACK_TOP	0	/* initial stack pointer of the private stack */
#define K23_TA_STACK_LO		8	/* its lowest address */
#define K23_TA_SELF		16	/* the area's own address */
#define K23_TA_RING_IDX		24	/* page0: index of the newest ring entry (a byte) */
#define K23_TA_DEPTH		32	/* patched calls in flight on the private stack */
#define K23_TA_RING		64	/* page0: 256 return addresses of calls in flight */
#define K23_TA_RING_N		256
#define K23_TA_PAGE		4096
#define K23_TA_STACK_OFF	(2 * K23_TA_PAGE)	/* header page, guard page, stack */
#define K23_TA_SIZE		(128 * 1024)
#define K23_TA_STACK_SIZE	(K23_TA_SIZE - K23_TA_STACK_OFF)
/* A patched call that interrupts another (from a signal handler) starts a
 * level lower: the interrupted one may use its whole level. Deeper than
 * K23_TA_LEVELS, or with less than K23_TA_RESERVE left, calls take the
 * catch-all instead. */
#define K23_TA_LEVEL		(32 * 1024)
#define K23_TA_LEVELS		3
#define K23_TA_RESERVE		(16 * 1024)

#endif
