/* vmap.h - path maps (map:): names the program uses, rewritten to the trees that serve them, and the real names shown back. */
#ifndef K23_VMAP_H
#define K23_VMAP_H

#include "online/virtual/virt.h"

/* Reads the blob's maps (0 or -errno). */
long k23_vmap_attach(const struct k23_policy_view *b);
/* 1 if this image has maps. */
int k23_vmap_on(void);

/* What a name becomes. */
enum { VMAP_SAME = 0, VMAP_MAPPED = 1 };

/* path (in buf, K23_VIRT_PATH_MAX bytes, NUL-terminated), from dirfd (or
 * AT_FDCWD), as the program means it: VMAP_SAME if the kernel resolves it
 * as the program would (buf may then be changed), VMAP_MAPPED with the
 * real name in buf (absolute); *ro: 1 if it lies in a read-only map. */
int k23_vmap_resolve(long dirfd, char *buf, int *ro);

/* The program's name (absolute, or relative to dirfd) resolved as the
 * kernel would if the mapped trees really were at their paths: each
 * symlink on the way read and followed by hand (its text mapped like any
 * name), the final one unless nofollow. The real name into out
 * (K23_VIRT_PATH_MAX bytes); 1 if a map served some part of the way, 0 if
 * none did, or -errno (ELOOP, ENAMETOOLONG, ENOMEM). One readlink per
 * component: for the calls that need it exactly (execve, chdir), and
 * after a call that failed on the quick rewrite (k23_vmap_again). */
long k23_vmap_walk(long dirfd, const char *name, int nofollow, char *out);

/* 1 if the real name lies in a read-only map's target. */
int k23_vmap_in_ro(const char *real);

/* A real absolute name (in buf, NUL-terminated, K23_VIRT_PATH_MAX bytes)
 * shown as the program's: a name inside a map's target becomes the
 * map's path. Returns its new length, or -1 if it did not change (or
 * would not fit). */
long k23_vmap_reverse(char *buf);

#endif
