/* vmem.h - reading the program's names without a system call: a cache of pages known to be readable. */
#ifndef K23_VMEM_H
#define K23_VMEM_H

#include <stddef.h>
#include "online/virtual/virt.h"

/* Copies the NUL-terminated string at src (program memory) into dst (max
 * bytes): 0, -EFAULT or -ENAMETOOLONG, as the kernel answers for a name. */
long k23_vmem_copy_name(char *dst, unsigned long src, size_t max);

/* The rows' before for the calls that can make a page unreadable
 * (munmap, mremap, mprotect, mmap MAP_FIXED, brk, shmdt; pkey_alloc and
 * pkey_mprotect turn the cache off for good): the cache is emptied. */
int k23_vmem_on(void);
int k23_vmem_forget(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);

#endif
