/* rremote.h - remote trees inside the program's process: which calls name one, the descriptors that stand for remote files, the channel to k23's proxy (docs/remote.md).
 *
 * A policy's remote: section (policy/parse_remote.c) makes the trees under
 * its paths live on a 9P2000.L server. `k23 run` starts the proxy
 * (remote/, common/remote/chan.h) and hands every image the channel's
 * descriptor like the policy's memfd (k23_rt.chan_fd). The rows of
 * online/virtual/virt_table.c send a call that names a path in a remote
 * tree, or a remote descriptor, to the proxy as a POSIX-level operation and
 * answer it from the reply; every other call goes to the kernel.
 *
 * Remote descriptors: each remote open gets a real descriptor from the
 * kernel, one end of a socketpair whose other end the proxy holds (the
 * placeholder, chan.h): the program's number is the kernel's, and dup,
 * fork, exec and close keep their meaning without k23 - the proxy closes
 * the file when the last copy of the placeholder goes. The proxy's handle
 * is the open file description (offset, flags) every copy shares. Each
 * process keeps a table from descriptor numbers to handles (rfd.c),
 * checked against the placeholder's identity (st_ino) before use, so a
 * number the program reused for a local file is never taken for remote;
 * the placeholder carries its handle as an abstract socket name, from
 * which a new image rebuilds the table at attach.
 */
#ifndef K23_RREMOTE_H
#define K23_RREMOTE_H

#include <stdint.h>
#include "k23/tool.h"
#include "policy/blob.h"
#include "remote/chan.h"
#include "online/virtual/virt.h"

/* One remote descriptor of this process. */
struct k23_rfd {
	uint64_t handle;	/* the proxy's; 0: not remote */
	uint64_t ino;		/* the placeholder's st_ino */
	uint32_t mount;
	uint32_t flags;		/* the open's flags (O_ACCMODE, O_APPEND, O_DIRECTORY...) */
};

/* From k23_virt_attach: maps the channel, rebuilds the table of inherited
 * remote descriptors; 0 or -errno. Nothing when the policy has no remote
 * trees. */
long k23_rr_attach(const struct k23_policy_view *b);
int k23_rr_on(void);

/* The channel (NULL: no proxy: every remote call fails with EIO). */
extern struct k23_chan_hdr *k23_rr_chan;

/* A request: a claimed slot with op, mount and handle set, or NULL when
 * there is no proxy (the call fails with EIO). */
struct k23_chan_slot *k23_rr_begin(uint32_t op, uint32_t mount, uint64_t handle);
/* Sends *s: the result (>= 0 or -errno). The reply is read from the slot
 * until k23_rr_end. When the proxy died or the time ran out (-EIO), the
 * slot is no longer ours: *s becomes NULL, which k23_rr_end ignores. */
int64_t k23_rr_send(struct k23_chan_slot **s);
void k23_rr_end(struct k23_chan_slot *s);
/* Puts the path (NUL-terminated) at the start of the payload. */
void k23_rr_put_path(struct k23_chan_slot *s, const char *path);

/* rfd.c: 1 if fd is a remote descriptor of this process (*f filled). */
int k23_rr_fd(long fd, struct k23_rfd *f);
/* 1 if fd may be one (a table entry, not checked yet): the cheap test. */
int k23_rr_maybe(long fd);
/* The reply of an OPEN in slot s: fetches the placeholder, makes it the
 * program's descriptor (close-on-exec as flags say) at the lowest free
 * number, records it. The descriptor or -errno (the handle is closed). */
long k23_rr_place(struct k23_chan_slot *s, uint32_t mount, uint64_t flags);
/* After dup, dup2, dup3, fcntl(F_DUPFD): newfd stands for what oldfd does. */
void k23_rr_dup(long oldfd, long newfd);
void k23_rr_forget(long fd);

/* rpath.c: where (dirfd, path) lies. 1 if in a remote tree: *mount and
 * *handle (a remote dirfd's, or 0), the path relative to them in out
 * (K23_VIRT_PATH_MAX). 0: local (or a bad path: the kernel answers).
 * 2: local, but relative to a remote working directory: out holds the
 * absolute name the kernel must be given instead (k23_rr_local_name). */
int k23_rr_where(long dirfd, unsigned long path, char *out, uint32_t *mount, uint64_t *handle);
/* s (absolute) made normal lexically into out (K23_VIRT_PATH_MAX): its length. */
size_t k23_rr_normal(const char *s, char *out);
/* For a k23_rr_where of 2: the call's argument i made to point at the
 * absolute name (copied into the frame's buffer b); 0 or -ENAMETOOLONG. */
long k23_rr_local_name(struct k23_call *c, struct k23_virt_call *vc, int i, int b, const char *name);

/* rcwd.c: a working directory in a remote tree. */
struct k23_rr_cwd {
	int on;		/* the working directory is remote */
	int known;	/* path holds it (a local one: read since its last change) */
	uint32_t mount;
	char path[K23_VIRT_PATH_MAX];	/* the program's (local) name of it, normal */
};
extern struct k23_rr_cwd k23_rr_cwd;
/* A relative name from the working directory: 1 with the absolute name in
 * out (not normal yet); 0 when the directory's name cannot be had. */
int k23_rr_cwd_join(const char *rel, char *out);
/* chdir, fchdir, getcwd (virt_table.c rows). */
int k23_rr_cwd_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
/* At attach: a working directory the previous image left with the proxy. */
void k23_rr_cwd_inherit(void);
/* Before an execve: leaves it with the proxy for the next image. */
void k23_rr_cwd_keep(void);

/* rstat.c: struct statx from the proxy into the program's struct stat. */
long k23_rr_put_stat(const void *stx, unsigned long ustat);

/* The rows (virt_table.c). Path calls (rcalls.c), descriptor calls
 * (rfdcalls.c), mmap and execve (rcopy.c). */
int k23_rr_path_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
int k23_rr_fd_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
void k23_rr_dup_after(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
int k23_rr_mmap_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
int k23_rr_exec_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
void k23_rr_exec_after(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
/* rcalls.c, for rfdcalls.c: statfs of (mount, handle, path: NULL for the
 * handle) into ubuf (the kernel's struct statfs); 0 or -errno. */
long k23_rr_statfs(uint32_t mount, uint64_t handle, const char *path, long ubuf);
/* rcalls.c, for rfdcalls.c: a stat of (mount, handle, path) into ustat. */
long k23_rr_stat(uint32_t mount, uint64_t handle, const char *path, int nofollow, long nr,
		 unsigned long ustat, long mask);

#endif
