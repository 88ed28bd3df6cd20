/* handoff.h - stage 2 of the loader: arm interposition and jump to the program. */
#ifndef K23_HANDOFF_H
#define K23_HANDOFF_H

#include <stddef.h>

struct k23_handoff {
	const void *stack;	/* initial stack image ... */
	size_t stack_size;
	unsigned long sp;	/* ... copied to [sp, sp + stack_size) */
	unsigned long entry;	/* interpreter's entry, or the program's */
};

/* Contract: k23_rt is filled in; nothing of k23's libc is used from here on,
 * and nothing on the current stack is needed (the image may overwrite it).
 * Does not return; on failure it prints one line and exits 127. */
__attribute__((noreturn)) void k23_handoff(const struct k23_handoff *h);

/* enter.S: copy the stack image, switch to it, jump. */
__attribute__((noreturn)) void k23_enter(const void *image, size_t size, unsigned long sp,
					 unsigned long entry);

#endif
