/* stack.h - the initial process stack (argc, argv, envp, auxv, strings) the program would have had. */
#ifndef K23_STACK_H
#define K23_STACK_H

#include <stddef.h>
#include "map.h"

struct k23_stack_image {
	unsigned char *buf;	/* the bytes to place at [dest, dest + size) */
	size_t size;
	unsigned long dest;	/* == the initial stack pointer (argc) */
	unsigned long arg_start, arg_end, env_start, env_end;
};

/* Lays out a stack whose highest byte is top - 1, as the kernel's
 * create_elf_tables would for this program. auxv_in is k23's own auxiliary
 * vector: entries describing the machine are kept, entries describing the
 * image are replaced. Returns 0 or -1 (out of memory). */
int k23_stack_build(struct k23_stack_image *si, unsigned long top, char **argv, char **envp,
		    const unsigned long *auxv_in, const struct k23_image *prog,
		    const struct k23_image *interp, const char *execfn);

#endif
