/* fs.c - POSIX-level file operations as 9P2000.L exchanges on one session.
 *
 * Each function is the shortest exchange for its operation: walk from the
 * root fid to a new fid (16 names per Twalk), act on it, clunk it. Requests
 * that depend on each other are sent one after the other (a server may
 * serve the requests of one connection in parallel threads, diod does);
 * independent pieces of one read or write go out together (rconn_rpcn).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "remote/convert.h"
#include "remote/fs.h"

int rfs_split(struct rpath *p, const char *path)
{
	size_t n = strlen(path);
	char *s = p->buf;

	if (n >= sizeof(p->buf))
		return -ENAMETOOLONG;
	memcpy(p->buf, path, n + 1);
	p->n = 0;
	while (*s) {
		char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (e)
			*e = 0;
		if (len == 0 || (len == 1 && s[0] == '.')) {
			/* nothing */
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			if (p->n)
				p->n--;
		} else {
			if (p->n == RFS_MAXDEPTH || len > 255)
				return -ENAMETOOLONG;
			p->name[p->n] = s;
			p->len[p->n++] = (uint16_t)len;
		}
		if (!e)
			break;
		s = e + 1;
	}
	return 0;
}

int rfs_walk(struct rconn *c, const struct rpath *p, uint16_t n, uint32_t *fid,
	     struct p9_qid *qid)
{
	uint32_t from = c->rootfid, nf = rconn_fid(c);
	uint16_t done = 0;
	struct p9_reply r;

	qid->type = P9_QTDIR;
	qid->version = 0;
	qid->path = 0;
	do {
		uint16_t k = n - done > P9_MAXWELEM ? P9_MAXWELEM : (uint16_t)(n - done);
		uint32_t len = p9_twalk(c->tx, c->msize, 0, from, nf, k, p->name + done, p->len + done);
		int rc = rconn_rpc(c, len, NULL, 0, &r);

		if (rc == 0 && r.u.walk.n != k) {
			/* Some names walked: the one after them is missing, or
			 * the last walked one is no directory. */
			int e = r.u.walk.n && !(r.u.walk.qid[r.u.walk.n - 1].type & P9_QTDIR)
				? -ENOTDIR : -ENOENT;
			if (from != c->rootfid)
				rconn_clunk(c, nf);
			else
				rconn_fid_free(c, nf);
			return e;
		}
		if (rc < 0) {
			if (from != c->rootfid)
				rconn_clunk(c, nf);
			else if (rc != -EIO)
				rconn_fid_free(c, nf);
			return rc;
		}
		if (k)
			*qid = r.u.walk.qid[k - 1];
		done += k;
		from = nf;
	} while (done < n);
	*fid = nf;
	return 0;
}

int rfs_statfs(struct rconn *c, uint32_t fid, struct p9_statfs *st)
{
	struct p9_reply r;
	uint32_t len = p9_tstatfs(c->tx, c->msize, 0, fid);
	int rc = rconn_rpc(c, len, NULL, 0, &r);

	if (rc == 0)
		*st = r.u.statfs;
	return rc;
}

int rfs_getattr(struct rconn *c, uint32_t fid, struct p9_attr *a)
{
	struct p9_reply r;
	uint32_t len = p9_tgetattr(c->tx, c->msize, 0, fid, P9_GETATTR_ALL);
	int rc = rconn_rpc(c, len, NULL, 0, &r);

	if (rc == 0)
		*a = r.u.attr;
	return rc;
}

static long readlink_fid(struct rconn *c, uint32_t fid, char *out, uint32_t cap)
{
	struct p9_reply r;
	uint32_t len = p9_treadlink(c->tx, c->msize, 0, fid);
	int rc = rconn_rpc(c, len, NULL, 0, &r);

	if (rc < 0)
		return rc;
	if (r.u.target.len > cap)
		return -ENAMETOOLONG;
	memcpy(out, r.u.target.s, r.u.target.len);
	return r.u.target.len;
}

int rfs_walk_follow(struct rconn *c, const struct rpath *p0, int follow, uint32_t *fid,
		    struct p9_qid *qid)
{
	static struct rpath p, q;
	char target[4096];
	size_t alen = strlen(c->aname);

	p = *p0;
	/* The names point into p0's buffer: move them to p's. */
	for (uint16_t i = 0; i < p.n; i++)
		p.name[i] = p.buf + (p0->name[i] - p0->buf);
	for (int loops = 0;; loops++) {
		int rc = rfs_walk(c, &p, p.n, fid, qid);
		long n;

		if (rc < 0 || !follow || !(qid->type & P9_QTSYMLINK))
			return rc;
		if (loops == 40) {
			rconn_clunk(c, *fid);
			return -ELOOP;
		}
		n = readlink_fid(c, *fid, target, sizeof(target) - 1);
		rconn_clunk(c, *fid);
		if (n < 0)
			return (int)n;
		target[n] = 0;
		/* Build "parent/target" (relative) or the part of an absolute
		 * target below the export's path. */
		char joined[8192];
		size_t off = 0;
		if (target[0] == '/') {
			if (strncmp(target, c->aname, alen) || (target[alen] && target[alen] != '/'))
				return -ENOENT;	/* outside the exported tree */
			off = (size_t)snprintf(joined, sizeof(joined), "%s", target + alen);
		} else {
			for (uint16_t i = 0; i + 1 < p.n && off < sizeof(joined); i++)
				off += (size_t)snprintf(joined + off, sizeof(joined) - off, "%.*s/",
							p.len[i], p.name[i]);
			if (off < sizeof(joined))
				off += (size_t)snprintf(joined + off, sizeof(joined) - off, "%s", target);
		}
		if (off >= sizeof(joined) || rfs_split(&q, joined) < 0)
			return -ENAMETOOLONG;
		p = q;
		for (uint16_t i = 0; i < p.n; i++)
			p.name[i] = p.buf + (q.name[i] - q.buf);
	}
}

/* The open flags 9P2000.L carries (its numbers are Linux's on x86-64). */
#define P9_OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_NONBLOCK | \
		       O_DSYNC | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_SYNC | O_LARGEFILE)

static int lopen(struct rconn *c, uint32_t fid, uint32_t flags, struct p9_qid *qid)
{
	struct p9_reply r;
	uint32_t len = p9_tlopen(c->tx, c->msize, 0, fid, flags & P9_OPEN_FLAGS & ~(O_CREAT | O_EXCL));
	int rc = rconn_rpc(c, len, NULL, 0, &r);

	if (rc == 0)
		*qid = r.u.open.qid;
	return rc;
}

int rfs_open(struct rconn *c, const struct rpath *p, uint32_t flags, uint32_t mode,
	     uint32_t *fid, struct p9_qid *qid)
{
	uint32_t dfid, len;
	struct p9_reply r;
	int rc;

	if (!(flags & O_CREAT) || p->n == 0) {
		rc = rfs_walk(c, p, p->n, fid, qid);
		if (rc < 0)
			return rc;
		if ((flags & O_CREAT) && (flags & O_EXCL))
			rc = -EEXIST;
		else if ((flags & O_DIRECTORY) && !(qid->type & P9_QTDIR))
			rc = -ENOTDIR;
		else if (!(flags & O_PATH))
			rc = lopen(c, *fid, flags, qid);
		if (rc < 0)
			rconn_clunk(c, *fid);
		return rc;
	}
	rc = rfs_walk(c, p, p->n - 1, &dfid, qid);
	if (rc < 0)
		return rc;
	/* Exists already? Then it is an open (or EEXIST), not a create. */
	rc = rfs_walk(c, p, p->n, fid, qid);
	if (rc == 0) {
		rconn_clunk(c, dfid);
		if (flags & O_EXCL)
			rc = -EEXIST;
		else if ((qid->type & P9_QTSYMLINK) && (flags & O_NOFOLLOW))
			rc = -ELOOP;
		else if (qid->type & P9_QTDIR)
			rc = -EISDIR;
		else
			rc = lopen(c, *fid, flags, qid);
		if (rc < 0)
			rconn_clunk(c, *fid);
		return rc;
	}
	if (rc != -ENOENT) {
		rconn_clunk(c, dfid);
		return rc;
	}
	char name[256];
	memcpy(name, p->name[p->n - 1], p->len[p->n - 1]);
	name[p->len[p->n - 1]] = 0;
	len = p9_tlcreate(c->tx, c->msize, 0, dfid, name,
			  flags & P9_OPEN_FLAGS & ~(O_CREAT | O_EXCL | O_TRUNC), mode & 07777,
			  (uint32_t)getegid());
	rc = rconn_rpc(c, len, NULL, 0, &r);
	if (rc < 0) {
		rconn_clunk(c, dfid);
		return rc;
	}
	/* Tlcreate turns the directory's fid into the new file's. */
	*qid = r.u.open.qid;
	*fid = dfid;
	return 0;
}

long rfs_read(struct rconn *c, uint32_t fid, uint64_t off, uint8_t *out, uint32_t count)
{
	uint32_t piece = c->msize - P9_IOHDR, lens[RCONN_NTAGS], want[RCONN_NTAGS], got = 0;
	uint8_t *reqs[RCONN_NTAGS], hdrs[RCONN_NTAGS][32], *dst[RCONN_NTAGS];
	struct p9_reply r[RCONN_NTAGS];

	/* The pieces land in place (rconn_rpcn's dst); a short piece is the
	 * end of the file, and nothing after it counts. */
	while (got < count) {
		unsigned n = 0;
		uint32_t asked = 0;

		for (; n < RCONN_NTAGS && got + asked < count; n++) {
			uint32_t k = count - got - asked < piece ? count - got - asked : piece;
			reqs[n] = hdrs[n];
			lens[n] = p9_tread(hdrs[n], sizeof(hdrs[n]), 0, fid, off + got + asked, k);
			dst[n] = out + got + asked;
			want[n] = k;
			asked += k;
		}
		if (rconn_rpcn(c, n, reqs, lens, NULL, NULL, dst, want, r) < 0)
			return -EIO;
		for (unsigned i = 0; i < n; i++) {
			if (r[i].type == P9_RLERROR)
				return got ? (long)got : -(long)k23_rconv_errno(r[i].u.ecode);
			got += r[i].u.data.count;
			if (r[i].u.data.count < want[i])
				return got;	/* end of file */
		}
	}
	return got;
}

long rfs_write(struct rconn *c, uint32_t fid, uint64_t off, const uint8_t *data, uint32_t count)
{
	uint32_t piece = c->msize - P9_IOHDR, lens[RCONN_NTAGS], xl[RCONN_NTAGS], done = 0;
	uint8_t *reqs[RCONN_NTAGS], hdrs[RCONN_NTAGS][32];
	const void *x[RCONN_NTAGS];
	struct p9_reply r[RCONN_NTAGS];

	do {
		unsigned n = 0;
		uint32_t sent = 0;

		for (; n < RCONN_NTAGS && (done + sent < count || (n == 0 && count == 0)); n++) {
			uint32_t k = count - done - sent < piece ? count - done - sent : piece;
			reqs[n] = hdrs[n];
			lens[n] = p9_twrite_hdr(hdrs[n], sizeof(hdrs[n]), 0, fid, off + done + sent, k);
			x[n] = data + done + sent;
			xl[n] = k;
			sent += k;
		}
		if (rconn_rpcn(c, n, reqs, lens, x, xl, NULL, NULL, r) < 0)
			return -EIO;
		for (unsigned i = 0; i < n; i++) {
			if (r[i].type == P9_RLERROR)
				return done ? (long)done : -(long)k23_rconv_errno(r[i].u.ecode);
			if (r[i].u.count > xl[i])
				return -EIO;
			done += r[i].u.count;
			if (r[i].u.count < xl[i])
				return done;	/* short write (disk full, say) */
		}
	} while (done < count);
	return done;
}

long rfs_getdents(struct rconn *c, uint32_t fid, uint64_t cookie, uint8_t *out, uint32_t cap,
		  uint64_t *next)
{
	/* A dirent64 record is at most 3 bytes longer than the 9P entry it
	 * comes from (>= 25 bytes): ask for what surely fits. */
	uint32_t want = (uint32_t)((uint64_t)cap * 25 / 28), len;
	struct p9_reply r;
	uint64_t last = cookie;
	long n;
	int rc;

	if (want > c->msize - P9_IOHDR)
		want = c->msize - P9_IOHDR;
	len = p9_treaddir(c->tx, c->msize, 0, fid, cookie, want);
	rc = rconn_rpc(c, len, NULL, 0, &r);
	if (rc < 0)
		return rc;
	n = k23_rconv_dirents(r.u.data.data, r.u.data.count, out, cap, &last);
	if (n == -1)
		return -EIO;
	if (n == -2)
		return -EINVAL;
	*next = last;
	return n;
}

/* Walks to the parent of p's last name: *dfid, and the name NUL-terminated. */
static int parent(struct rconn *c, const struct rpath *p, uint32_t *dfid, char name[256])
{
	struct p9_qid q;
	int rc;

	if (p->n == 0)
		return -EBUSY;	/* the root itself */
	rc = rfs_walk(c, p, p->n - 1, dfid, &q);
	if (rc < 0)
		return rc;
	memcpy(name, p->name[p->n - 1], p->len[p->n - 1]);
	name[p->len[p->n - 1]] = 0;
	return 0;
}

int rfs_mkdir(struct rconn *c, const struct rpath *p, uint32_t mode)
{
	char name[256];
	uint32_t dfid, len;
	struct p9_reply r;
	int rc = parent(c, p, &dfid, name);

	if (rc == -EBUSY)
		return -EEXIST;
	if (rc < 0)
		return rc;
	len = p9_tmkdir(c->tx, c->msize, 0, dfid, name, mode & 07777, (uint32_t)getegid());
	rc = rconn_rpc(c, len, NULL, 0, &r);
	rconn_clunk(c, dfid);
	return rc;
}

/* With Tremove (servers without Tunlinkat): walk to the file itself; its
 * type gives unlink's EISDIR and rmdir's ENOTDIR. */
static int remove_old(struct rconn *c, const struct rpath *p, uint32_t flags)
{
	struct p9_qid q;
	struct p9_reply r;
	uint32_t fid, len;
	int rc = rfs_walk(c, p, p->n, &fid, &q);

	if (rc < 0)
		return rc;
	if ((flags & AT_REMOVEDIR) && !(q.type & P9_QTDIR))
		rc = -ENOTDIR;
	else if (!(flags & AT_REMOVEDIR) && (q.type & P9_QTDIR))
		rc = -EISDIR;
	if (rc < 0) {
		rconn_clunk(c, fid);
		return rc;
	}
	len = p9_tremove(c->tx, c->msize, 0, fid);
	rc = rconn_rpc(c, len, NULL, 0, &r);
	if (rc != -EIO)
		rconn_fid_free(c, fid);	/* Tremove clunked it, whatever the outcome */
	return rc;
}

int rfs_unlink(struct rconn *c, const struct rpath *p, uint32_t flags)
{
	char name[256];
	uint32_t dfid, len;
	struct p9_reply r;
	int rc;

	if (c->old_ops & 1)
		return remove_old(c, p, flags);
	rc = parent(c, p, &dfid, name);
	if (rc < 0)
		return rc;
	len = p9_tunlinkat(c->tx, c->msize, 0, dfid, name, flags);
	rc = rconn_rpc(c, len, NULL, 0, &r);
	rconn_clunk(c, dfid);
	if (rc == -EOPNOTSUPP) {
		c->old_ops |= 1;
		return remove_old(c, p, flags);
	}
	return rc;
}

/* A fid of `from` (its final symbolic link followed if follow) and one of
 * to's parent, then Tlink (a new name there for the file) or Trename (the
 * file's own fid moves there). */
static int fid_into_parent(struct rconn *c, const struct rpath *from, int follow,
			   const struct rpath *to, int link)
{
	char nname[256];
	struct p9_qid q;
	struct p9_reply r;
	uint32_t fid, nfid, len;
	int rc = follow ? rfs_walk_follow(c, from, 1, &fid, &q) : rfs_walk(c, from, from->n, &fid, &q);

	if (rc < 0)
		return rc;
	rc = parent(c, to, &nfid, nname);
	if (rc < 0) {
		rconn_clunk(c, fid);
		return rc;
	}
	len = link ? p9_tlink(c->tx, c->msize, 0, nfid, fid, nname)
		   : p9_trename(c->tx, c->msize, 0, fid, nfid, nname);
	rc = rconn_rpc(c, len, NULL, 0, &r);
	rconn_clunk(c, fid);
	rconn_clunk(c, nfid);
	return rc;
}

/* With Trename, for a server without Trenameat. */
static int rename_old(struct rconn *c, const struct rpath *from, const struct rpath *to)
{
	return fid_into_parent(c, from, 0, to, 0);
}

int rfs_rename(struct rconn *c, const struct rpath *from, const struct rpath *to)
{
	char oname[256], nname[256];
	uint32_t ofid, nfid, len;
	struct p9_reply r;
	int rc;

	if (c->old_ops & 2)
		return rename_old(c, from, to);
	rc = parent(c, from, &ofid, oname);
	if (rc < 0)
		return rc;
	rc = parent(c, to, &nfid, nname);
	if (rc < 0) {
		rconn_clunk(c, ofid);
		return rc;
	}
	len = p9_trenameat(c->tx, c->msize, 0, ofid, oname, nfid, nname);
	rc = rconn_rpc(c, len, NULL, 0, &r);
	rconn_clunk(c, ofid);
	rconn_clunk(c, nfid);
	if (rc == -EOPNOTSUPP) {
		c->old_ops |= 2;
		return rename_old(c, from, to);
	}
	return rc;
}

int rfs_link(struct rconn *c, const struct rpath *from, const struct rpath *to, int follow)
{
	return fid_into_parent(c, from, follow, to, 1);
}

int rfs_setattr(struct rconn *c, uint32_t fid, const struct p9_setattr *a)
{
	struct p9_reply r;
	uint32_t len = p9_tsetattr(c->tx, c->msize, 0, fid, a);

	return rconn_rpc(c, len, NULL, 0, &r);
}

int rfs_fsync(struct rconn *c, uint32_t fid, uint32_t datasync)
{
	struct p9_reply r;
	uint32_t len = p9_tfsync(c->tx, c->msize, 0, fid, datasync);

	return rconn_rpc(c, len, NULL, 0, &r);
}

long rfs_readlink(struct rconn *c, const struct rpath *p, char *out, uint32_t cap)
{
	struct p9_qid q;
	uint32_t fid;
	int rc = rfs_walk(c, p, p->n, &fid, &q);
	long n;

	if (rc < 0)
		return rc;
	n = (q.type & P9_QTSYMLINK) ? readlink_fid(c, fid, out, cap) : -EINVAL;
	rconn_clunk(c, fid);
	return n == -ENAMETOOLONG ? (long)cap : n;
}

int rfs_symlink(struct rconn *c, const char *target, const struct rpath *link)
{
	char name[256];
	uint32_t dfid, len;
	struct p9_reply r;
	int rc = parent(c, link, &dfid, name);

	if (rc == -EBUSY)
		return -EEXIST;
	if (rc < 0)
		return rc;
	len = p9_tsymlink(c->tx, c->msize, 0, dfid, name, target, (uint32_t)getegid());
	rc = len ? rconn_rpc(c, len, NULL, 0, &r) : -ENAMETOOLONG;
	rconn_clunk(c, dfid);
	return rc;
}

static uint8_t lock_type(int t)
{
	return t == F_RDLCK ? P9_LOCK_RDLCK : t == F_WRLCK ? P9_LOCK_WRLCK : P9_LOCK_UNLCK;
}

int rfs_lock(struct rconn *c, uint32_t fid, int get, int *type, uint64_t *start, uint64_t *len,
	     uint32_t *pid)
{
	char host[65] = "k23";
	struct p9_reply r;
	uint32_t n;
	int rc;

	gethostname(host, sizeof(host) - 1);
	if (get)
		n = p9_tgetlock(c->tx, c->msize, 0, fid, lock_type(*type), *start, *len, *pid, host);
	else
		n = p9_tlock(c->tx, c->msize, 0, fid, lock_type(*type), 0, *start, *len, *pid, host);
	rc = rconn_rpc(c, n, NULL, 0, &r);
	if (rc < 0)
		return rc;
	if (!get) {
		switch (r.u.lock_status) {
		case P9_LOCK_SUCCESS: return 0;
		case P9_LOCK_BLOCKED: case P9_LOCK_GRACE: return -EAGAIN;
		default: return -ENOLCK;
		}
	}
	*type = r.u.getlock.type == P9_LOCK_RDLCK ? F_RDLCK
		: r.u.getlock.type == P9_LOCK_WRLCK ? F_WRLCK : F_UNLCK;
	*start = r.u.getlock.start;
	*len = r.u.getlock.length;
	*pid = r.u.getlock.proc_id;
	return 0;
}
