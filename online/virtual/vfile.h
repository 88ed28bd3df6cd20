/* vfile.h - synthesized files and the host name of the virtual world (docs/virtual.md, "Synthesized files").
 *
 * The policy's synthesize: section travels in the compiled policy
 * (policy/blob.h, struct k23_policy_synth) that every image maps from its
 * sealed memfd. A call that names a synthesized file is answered here:
 * open gives the program a new sealed memfd holding the content, mode
 * 0444, reopened read-only (vfile.c); the stat family and access answer
 * for one; getdents64 lists it in its directory (vdir.c); uname's nodename
 * shows identity: hostname:, and readlink of /proc/self/fd/N the name the
 * program opened (vhost.c).
 */
#ifndef K23_VFILE_H
#define K23_VFILE_H

#include "k23/tool.h"
#include "policy/blob.h"
#include "online/virtual/virt.h"

/* From k23_policy_attach: the blob's sections (b stays mapped); 0 or -errno. */
long k23_vfile_attach(const struct k23_policy_view *b);

/* Rows of virt_table.c: in force when the policy synthesizes files
 * (files_on) or names a host (host_on). */
int k23_vfile_files_on(void);
int k23_vfile_host_on(void);
/* Path calls: answered here when they name a synthesized file. */
int k23_vfile_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
/* getdents64 (vdir.c): the kernel's listing and the synthesized entries. */
int k23_vdir_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
void k23_vdir_after(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
/* uname, readlink (vhost.c): fixed after the call. */
int k23_vhost_take(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
void k23_vhost_uname(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
void k23_vhost_readlink(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);

/* vfile.c, for vdir.c and vhost.c */
extern const struct k23_policy_view *k23_vfile_blob;
/* The synthesized file's path and its last component. */
const char *k23_vfile_path(uint32_t i);
const char *k23_vfile_base(uint32_t i);
/* 1 if the directory of synthesized file i is (dev, ino). */
int k23_vfile_in_dir(uint32_t i, unsigned long dev, unsigned long ino);
/* Each process keeps the sealed memfds of the first K23_VFILE_CACHE
 * synthesized files once it has opened them (-1: not yet), above its
 * descriptor limit, guarded like k23's other descriptors (fdguard.c), and
 * closed at execve; an open reopens one. k23_vfile_cached: 1 once any is. */
#define K23_VFILE_CACHE 8
extern int k23_vfile_cache[K23_VFILE_CACHE];
extern int k23_vfile_cached;
/* The memfd name prefix: "k23-synth:N" shows as /memfd:k23-synth:N (deleted). */
#define K23_VFILE_MEMFD "k23-synth:"

#endif
