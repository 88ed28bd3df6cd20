/* map.h - mapping an ELF executable or interpreter into memory as the kernel's binfmt_elf would. */
#ifndef K23_MAP_H
#define K23_MAP_H

#include "elf_file.h"

struct k23_image {
	unsigned long bias;	/* load address minus link address (0 for ET_EXEC) */
	unsigned long entry;	/* entry point in memory */
	unsigned long phdr;	/* program headers in memory, for AT_PHDR */
	unsigned phnum;
	unsigned long lo, hi;	/* mapped span */
};

/* Maps e's PT_LOAD segments from fd. Returns 0, or prints one line naming
 * path and returns 126. */
int k23_map_elf(int fd, const char *path, const struct k23_elf *e, struct k23_image *img);

#endif
