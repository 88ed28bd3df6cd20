/* fs.h - POSIX-level file operations as 9P2000.L exchanges on one session. */
#ifndef K23_REMOTE_FS_H
#define K23_REMOTE_FS_H

#include <stdint.h>
#include "remote/conn.h"

#define RFS_MAXDEPTH 256	/* path components */

/* A path split into components, ".", ".." and empty names resolved
 * lexically (".." never goes above the root). */
struct rpath {
	uint16_t n;
	const char *name[RFS_MAXDEPTH];
	uint16_t len[RFS_MAXDEPTH];
	char buf[4096];
};

/* 0, or -ENAMETOOLONG. */
int rfs_split(struct rpath *p, const char *path);

/* Walks from the root to the first n components of p into a new fid.
 * 0 with *fid and *qid (of the last component, or of the root), or -errno
 * (-ENOTDIR when a middle component is not a directory). */
int rfs_walk(struct rconn *c, const struct rpath *p, uint16_t n, uint32_t *fid,
	     struct p9_qid *qid);

/* Like rfs_walk of the whole path, following a final symbolic link (up to
 * 40) when follow is set. Relative link targets are resolved inside the
 * tree; absolute ones only when they lie under the export's path. */
int rfs_walk_follow(struct rconn *c, const struct rpath *p, int follow, uint32_t *fid,
		    struct p9_qid *qid);

int rfs_getattr(struct rconn *c, uint32_t fid, struct p9_attr *a);

/* Opens path with Linux open flags: *fid is open (or only walked for O_PATH). */
int rfs_open(struct rconn *c, const struct rpath *p, uint32_t flags, uint32_t mode,
	     uint32_t *fid, struct p9_qid *qid);

/* Reads up to count bytes at off into out (pipelining msize-sized pieces).
 * Returns the bytes read. */
long rfs_read(struct rconn *c, uint32_t fid, uint64_t off, uint8_t *out, uint32_t count);
long rfs_write(struct rconn *c, uint32_t fid, uint64_t off, const uint8_t *data, uint32_t count);

/* Up to cap bytes of linux_dirent64 records from cookie on. */
/* *next gets the cookie to continue from (the d_off of the last record). */
long rfs_getdents(struct rconn *c, uint32_t fid, uint64_t cookie, uint8_t *out, uint32_t cap,
		  uint64_t *next);

int rfs_mkdir(struct rconn *c, const struct rpath *p, uint32_t mode);
int rfs_unlink(struct rconn *c, const struct rpath *p, uint32_t flags);
int rfs_rename(struct rconn *c, const struct rpath *from, const struct rpath *to);
/* A hard link `to` of `from` (a final symbolic link of from followed if
 * follow, as linkat's AT_SYMLINK_FOLLOW). */
int rfs_link(struct rconn *c, const struct rpath *from, const struct rpath *to, int follow);
int rfs_setattr(struct rconn *c, uint32_t fid, const struct p9_setattr *a);
int rfs_statfs(struct rconn *c, uint32_t fid, struct p9_statfs *st);
int rfs_fsync(struct rconn *c, uint32_t fid, uint32_t datasync);
long rfs_readlink(struct rconn *c, const struct rpath *p, char *out, uint32_t cap);
int rfs_symlink(struct rconn *c, const char *target, const struct rpath *link);
/* type: F_RDLCK/F_WRLCK/F_UNLCK; for get, the conflicting lock comes back. */
int rfs_lock(struct rconn *c, uint32_t fid, int get, int *type, uint64_t *start, uint64_t *len,
	     uint32_t *pid);

#endif
