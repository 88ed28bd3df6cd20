/* patch.h - patching an object's prepared sites as it is mapped, and trapped sites lazily. */
#ifndef K23_PATCH_H
#define K23_PATCH_H

#include "k23/tool.h"
#include "online/sidecar/sidecar_stamp.h"

/* 1 if c is an mmap that maps file code k23 may patch (PROT_EXEC, a file,
 * patching on, a cache known). */
int k23_maps_code(const struct k23_call *c);

/* Makes such an mmap (c->ret: its result), and patches the sites the
 * object's sidecar plans that lie in the new mapping. Nothing else can be
 * running that code yet: the mapping did not exist a moment ago. A
 * private mapping at a fixed address of an object with a usable patched
 * copy is made from the copy directly (prepatched.c). A shared mapping is
 * never written (the write would reach the file): its sites are counted
 * as skipped. */
void k23_patch_mmap(struct k23_call *c);

/* What k23's loader read of an object before mapping it (elf_file.h):
 * its first head_len bytes and its program headers, when the file's
 * identity was file. */
struct k23_loaded_object {
	struct k23_stamp_file file;
	const void *head;
	unsigned long head_len;
	const void *ph;			/* Elf64_Phdr[phnum] */
	unsigned phnum;
};

/* k23's loader, before it maps fd's [off, off+len) at addr with
 * protection prot (MAP_PRIVATE | MAP_FIXED): maps the object's patched
 * copy there instead where there is a usable one, from what the loader
 * read (l), without asking for the file's identity again. 1 if it did;
 * 2 when the cache says the mapping holds no planned site (then the
 * caller maps it and patches nothing); 0 otherwise. */
int k23_patch_premap(int fd, const struct k23_loaded_object *l, unsigned long addr,
		     unsigned long len, unsigned long off, int prot);

/* The same as k23_patch_mmap for a private mapping k23's loader made:
 * [addr, addr+len) maps fd from file offset off with protection prot.
 * What the loader read (l) is not read again while the file is unchanged
 * (one fstat tells). copy_tried: k23_patch_premap found no copy. */
void k23_patch_region(int fd, const struct k23_loaded_object *l, unsigned long addr,
		      unsigned long len, unsigned long off, int prot, int copy_tried);

/* A call trapped at rip (the address after its syscall): patches the site
 * if it is of a pattern proven safe (lazy.c). */
void k23_lazy_patch(unsigned long rip, long nr);

/* Adds n to a --stats counter (nothing without --stats). */
#define K23_STAT(field, n) do { \
	if (k23_rt.stats_area) \
		__atomic_fetch_add(&k23_rt.stats_area->field, (n), __ATOMIC_RELAXED); \
} while (0)

#endif
