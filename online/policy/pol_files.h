/* pol_files.h - path arguments as the kernel resolves them (pol_paths.c), for the file checker (pol_files.c). */
#ifndef K23_POL_FILES_H
#define K23_POL_FILES_H

#include "online/policy/pol_int.h"

/* Copies the NUL-terminated path at src (program memory) into dst
 * (K23_POL_PATH_MAX bytes): 0, -EFAULT or -ENAMETOOLONG, as the kernel. */
long k23_pol_copy_path(char *dst, unsigned long src);
/* An O_PATH descriptor of what path names from dirfd (resolve: openat2's
 * RESOLVE_* flags, or NULL), or -errno. */
long k23_pol_probe(long dirfd, const char *path, int nofollow, const uint64_t *resolve);
/* The kernel's path of fd (readlink /proc/thread-self/fd/N): its length or -errno. */
long k23_pol_fd_path(long fd, char *buf, size_t size);
/* The deny rule covering the object at fd (kernel path `path`, "" if not
 * known), by identity or by tree; -1 if none. */
int k23_pol_denied_obj(long fd, const char *path);
/* The deny rule whose tree holds path; -1 if none. */
int k23_pol_denied_path(const char *path);
/* 1 if a grant gives read (write = 0) or write access to path. */
int k23_pol_granted(const char *path, int write);
/* The kernel path of the object path would create from dirfd, into out;
 * 0, or -EEXIST if path names an existing directory (".", "..", "/"), or -errno. */
long k23_pol_new_path(long dirfd, char *path, char *out, size_t size);

#endif
