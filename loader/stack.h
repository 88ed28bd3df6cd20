/* stack.h - the initial process stack (argc, argv, envp, auxv, strings) the program would have had. */
#ifndef K23_STACK_H
#define K23_STACK_H

#include <stddef.h>
#include "map.h"

struct k23_stack_image {
	unsigned char *buf;	/* the bytes to place at [dest, dest + size) */
	size_t size;
	unsigned long dest;	/* == the initial stack pointer (argc) */
	unsigned long auxv;	/* where the auxiliary vector lands, */
	size_t auxv_words;	/* with its AT_NULL pair */
};

/* Lays out the stack as the kernel's create_elf_tables would for this
 * program, ending at arg_end: [arg_start, arg_end) is where the kernel put
 * k23's own argument strings. envp must point to strings above arg_end
 * (k23's own environment). auxv_in is k23's own auxiliary vector: entries
 * describing the machine are kept, those describing the image replaced.
 * Returns 0 or -1 (out of memory). */
int k23_stack_build(struct k23_stack_image *si, unsigned long arg_start, unsigned long arg_end,
		    char **argv, char **envp, const unsigned long *auxv_in,
		    const struct k23_image *prog, const struct k23_image *interp, const char *execfn);

#endif
