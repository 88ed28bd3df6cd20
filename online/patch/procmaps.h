/* procmaps.h - the line of /proc/self/maps that holds an address. */
#ifndef K23_PROCMAPS_H
#define K23_PROCMAPS_H

struct k23_mapping {
	unsigned long start, end, offset;
	char perms[5];		/* "r-xp" */
	char path[512];		/* "" for anonymous memory; "[vdso]", "/memfd:x (deleted)"... */
};

/* Fills *m from the mapping that holds addr: 0, or -1 if there is none or
 * /proc/self/maps cannot be read. */
int k23_mapping_of(unsigned long addr, struct k23_mapping *m);

#endif
