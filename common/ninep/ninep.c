/* ninep.c - 9P2000.L encoder and bounded decoder (format in ninep.h). */
#include "ninep/ninep.h"

/* --- writing --- */

struct wb {
	uint8_t *p;
	uint32_t cap, len;
	int bad;
};

static void put(struct wb *w, uint64_t v, int n)
{
	if (w->bad || w->cap - w->len < (uint32_t)n) {
		w->bad = 1;
		return;
	}
	for (int i = 0; i < n; i++)
		w->p[w->len++] = (uint8_t)(v >> (8 * i));
}

static void put_mem(struct wb *w, const char *s, uint32_t n)
{
	if (w->bad || w->cap - w->len < n) {
		w->bad = 1;
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		w->p[w->len++] = (uint8_t)s[i];
}

static void put_strn(struct wb *w, const char *s, uint32_t n)
{
	if (n > 0xffff) {
		w->bad = 1;
		return;
	}
	put(w, n, 2);
	put_mem(w, s, n);
}

static void put_str(struct wb *w, const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	put_strn(w, s, n);
}

static struct wb begin(uint8_t *buf, uint32_t cap, uint8_t type, uint16_t tag)
{
	struct wb w = { buf, cap, 0, 0 };

	put(&w, 0, 4);
	put(&w, type, 1);
	put(&w, tag, 2);
	return w;
}

/* Fills in the size field (total: the bytes written plus extra that the
 * caller sends after them). */
static uint32_t finish(struct wb *w, uint32_t extra)
{
	uint64_t total = (uint64_t)w->len + extra;

	if (w->bad || total > 0xffffffffu)
		return 0;
	for (int i = 0; i < 4; i++)
		w->p[i] = (uint8_t)(total >> (8 * i));
	return w->len;
}

uint32_t p9_tversion(uint8_t *buf, uint32_t cap, uint32_t msize, const char *version)
{
	struct wb w = begin(buf, cap, P9_TVERSION, P9_NOTAG);

	put(&w, msize, 4);
	put_str(&w, version);
	return finish(&w, 0);
}

uint32_t p9_tattach(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint32_t afid,
		    const char *uname, const char *aname, uint32_t n_uname)
{
	struct wb w = begin(buf, cap, P9_TATTACH, tag);

	put(&w, fid, 4);
	put(&w, afid, 4);
	put_str(&w, uname);
	put_str(&w, aname);
	put(&w, n_uname, 4);
	return finish(&w, 0);
}

uint32_t p9_twalk(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint32_t newfid,
		  uint16_t nwname, const char *const *names, const uint16_t *lens)
{
	struct wb w = begin(buf, cap, P9_TWALK, tag);

	if (nwname > P9_MAXWELEM)
		return 0;
	put(&w, fid, 4);
	put(&w, newfid, 4);
	put(&w, nwname, 2);
	for (uint16_t i = 0; i < nwname; i++)
		put_strn(&w, names[i], lens[i]);
	return finish(&w, 0);
}

uint32_t p9_tlopen(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint32_t flags)
{
	struct wb w = begin(buf, cap, P9_TLOPEN, tag);

	put(&w, fid, 4);
	put(&w, flags, 4);
	return finish(&w, 0);
}

uint32_t p9_tlcreate(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, const char *name,
		     uint32_t flags, uint32_t mode, uint32_t gid)
{
	struct wb w = begin(buf, cap, P9_TLCREATE, tag);

	put(&w, fid, 4);
	put_str(&w, name);
	put(&w, flags, 4);
	put(&w, mode, 4);
	put(&w, gid, 4);
	return finish(&w, 0);
}

uint32_t p9_tread(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint64_t off,
		  uint32_t count)
{
	struct wb w = begin(buf, cap, P9_TREAD, tag);

	put(&w, fid, 4);
	put(&w, off, 8);
	put(&w, count, 4);
	return finish(&w, 0);
}

uint32_t p9_twrite_hdr(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint64_t off,
		       uint32_t count)
{
	struct wb w = begin(buf, cap, P9_TWRITE, tag);

	put(&w, fid, 4);
	put(&w, off, 8);
	put(&w, count, 4);
	return finish(&w, count);
}

uint32_t p9_tclunk(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid)
{
	struct wb w = begin(buf, cap, P9_TCLUNK, tag);

	put(&w, fid, 4);
	return finish(&w, 0);
}

uint32_t p9_tgetattr(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint64_t mask)
{
	struct wb w = begin(buf, cap, P9_TGETATTR, tag);

	put(&w, fid, 4);
	put(&w, mask, 8);
	return finish(&w, 0);
}

uint32_t p9_tsetattr(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid,
		     const struct p9_setattr *a)
{
	struct wb w = begin(buf, cap, P9_TSETATTR, tag);

	put(&w, fid, 4);
	put(&w, a->valid, 4);
	put(&w, a->mode, 4);
	put(&w, a->uid, 4);
	put(&w, a->gid, 4);
	put(&w, a->size, 8);
	put(&w, a->atime_sec, 8);
	put(&w, a->atime_nsec, 8);
	put(&w, a->mtime_sec, 8);
	put(&w, a->mtime_nsec, 8);
	return finish(&w, 0);
}

uint32_t p9_treaddir(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint64_t off,
		     uint32_t count)
{
	struct wb w = begin(buf, cap, P9_TREADDIR, tag);

	put(&w, fid, 4);
	put(&w, off, 8);
	put(&w, count, 4);
	return finish(&w, 0);
}

uint32_t p9_tmkdir(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t dfid, const char *name,
		   uint32_t mode, uint32_t gid)
{
	struct wb w = begin(buf, cap, P9_TMKDIR, tag);

	put(&w, dfid, 4);
	put_str(&w, name);
	put(&w, mode, 4);
	put(&w, gid, 4);
	return finish(&w, 0);
}

uint32_t p9_tunlinkat(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t dfid,
		      const char *name, uint32_t flags)
{
	struct wb w = begin(buf, cap, P9_TUNLINKAT, tag);

	put(&w, dfid, 4);
	put_str(&w, name);
	put(&w, flags, 4);
	return finish(&w, 0);
}

uint32_t p9_tlink(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t dfid, uint32_t fid,
		  const char *name)
{
	struct wb w = begin(buf, cap, P9_TLINK, tag);

	put(&w, dfid, 4);
	put(&w, fid, 4);
	put_str(&w, name);
	return finish(&w, 0);
}

uint32_t p9_trenameat(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t olddfid,
		      const char *oldname, uint32_t newdfid, const char *newname)
{
	struct wb w = begin(buf, cap, P9_TRENAMEAT, tag);

	put(&w, olddfid, 4);
	put_str(&w, oldname);
	put(&w, newdfid, 4);
	put_str(&w, newname);
	return finish(&w, 0);
}

uint32_t p9_trename(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint32_t dfid,
		    const char *name)
{
	struct wb w = begin(buf, cap, P9_TRENAME, tag);

	put(&w, fid, 4);
	put(&w, dfid, 4);
	put_str(&w, name);
	return finish(&w, 0);
}

uint32_t p9_tremove(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid)
{
	struct wb w = begin(buf, cap, P9_TREMOVE, tag);

	put(&w, fid, 4);
	return finish(&w, 0);
}

uint32_t p9_tfsync(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint32_t datasync)
{
	struct wb w = begin(buf, cap, P9_TFSYNC, tag);

	put(&w, fid, 4);
	put(&w, datasync, 4);
	return finish(&w, 0);
}

uint32_t p9_tlock(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint8_t type,
		  uint32_t flags, uint64_t start, uint64_t length, uint32_t proc_id,
		  const char *client_id)
{
	struct wb w = begin(buf, cap, P9_TLOCK, tag);

	put(&w, fid, 4);
	put(&w, type, 1);
	put(&w, flags, 4);
	put(&w, start, 8);
	put(&w, length, 8);
	put(&w, proc_id, 4);
	put_str(&w, client_id);
	return finish(&w, 0);
}

uint32_t p9_tgetlock(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint8_t type,
		     uint64_t start, uint64_t length, uint32_t proc_id, const char *client_id)
{
	struct wb w = begin(buf, cap, P9_TGETLOCK, tag);

	put(&w, fid, 4);
	put(&w, type, 1);
	put(&w, start, 8);
	put(&w, length, 8);
	put(&w, proc_id, 4);
	put_str(&w, client_id);
	return finish(&w, 0);
}

uint32_t p9_treadlink(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid)
{
	struct wb w = begin(buf, cap, P9_TREADLINK, tag);

	put(&w, fid, 4);
	return finish(&w, 0);
}

uint32_t p9_tsymlink(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t dfid, const char *name,
		     const char *target, uint32_t gid)
{
	struct wb w = begin(buf, cap, P9_TSYMLINK, tag);

	put(&w, dfid, 4);
	put_str(&w, name);
	put_str(&w, target);
	put(&w, gid, 4);
	return finish(&w, 0);
}

uint32_t p9_tstatfs(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid)
{
	struct wb w = begin(buf, cap, P9_TSTATFS, tag);

	put(&w, fid, 4);
	return finish(&w, 0);
}

uint32_t p9_tflush(uint8_t *buf, uint32_t cap, uint16_t tag, uint16_t oldtag)
{
	struct wb w = begin(buf, cap, P9_TFLUSH, tag);

	put(&w, oldtag, 2);
	return finish(&w, 0);
}

/* --- reading --- */

struct rb {
	const uint8_t *p;
	uint32_t len, off;
	int bad;
};

static uint64_t get(struct rb *r, int n)
{
	uint64_t v = 0;

	if (r->bad || r->len - r->off < (uint32_t)n) {
		r->bad = 1;
		return 0;
	}
	for (int i = 0; i < n; i++)
		v |= (uint64_t)r->p[r->off + i] << (8 * i);
	r->off += (uint32_t)n;
	return v;
}

static struct p9_str get_str(struct rb *r)
{
	struct p9_str s = { "", 0 };
	uint16_t n = (uint16_t)get(r, 2);

	if (r->bad || r->len - r->off < n) {
		r->bad = 1;
		return s;
	}
	s.s = (const char *)r->p + r->off;
	s.len = n;
	r->off += n;
	return s;
}

static struct p9_qid get_qid(struct rb *r)
{
	struct p9_qid q;

	q.type = (uint8_t)get(r, 1);
	q.version = (uint32_t)get(r, 4);
	q.path = get(r, 8);
	return q;
}

/* count[4] data[count]: the data stays in the message. */
static void get_data(struct rb *r, struct p9_reply *out)
{
	uint32_t count = (uint32_t)get(r, 4);

	if (r->bad || r->len - r->off < count) {
		r->bad = 1;
		return;
	}
	out->u.data.count = count;
	out->u.data.data = r->p + r->off;
	r->off += count;
}

static void get_attr(struct rb *r, struct p9_attr *a)
{
	a->valid = get(r, 8);
	a->qid = get_qid(r);
	a->mode = (uint32_t)get(r, 4);
	a->uid = (uint32_t)get(r, 4);
	a->gid = (uint32_t)get(r, 4);
	a->nlink = get(r, 8);
	a->rdev = get(r, 8);
	a->size = get(r, 8);
	a->blksize = get(r, 8);
	a->blocks = get(r, 8);
	a->atime_sec = get(r, 8);
	a->atime_nsec = get(r, 8);
	a->mtime_sec = get(r, 8);
	a->mtime_nsec = get(r, 8);
	a->ctime_sec = get(r, 8);
	a->ctime_nsec = get(r, 8);
	a->btime_sec = get(r, 8);
	a->btime_nsec = get(r, 8);
	a->gen = get(r, 8);
	a->data_version = get(r, 8);
}

static int body(struct rb *r, struct p9_reply *out)
{
	switch (out->type) {
	case P9_RLERROR:
		out->u.ecode = (uint32_t)get(r, 4);
		break;
	case P9_RVERSION:
		out->u.version.msize = (uint32_t)get(r, 4);
		out->u.version.version = get_str(r);
		break;
	case P9_RATTACH: case P9_RAUTH: case P9_RSYMLINK: case P9_RMKNOD: case P9_RMKDIR:
		out->u.qid = get_qid(r);
		break;
	case P9_RLOPEN: case P9_RLCREATE:
		out->u.open.qid = get_qid(r);
		out->u.open.iounit = (uint32_t)get(r, 4);
		break;
	case P9_RWALK:
		out->u.walk.n = (uint16_t)get(r, 2);
		if (out->u.walk.n > P9_MAXWELEM)
			return -1;
		for (uint16_t i = 0; i < out->u.walk.n; i++)
			out->u.walk.qid[i] = get_qid(r);
		break;
	case P9_RREAD: case P9_RREADDIR:
		get_data(r, out);
		break;
	case P9_RWRITE:
		out->u.count = (uint32_t)get(r, 4);
		break;
	case P9_RREADLINK:
		out->u.target = get_str(r);
		break;
	case P9_RGETATTR:
		get_attr(r, &out->u.attr);
		break;
	case P9_RSTATFS:
		out->u.statfs.type = (uint32_t)get(r, 4);
		out->u.statfs.bsize = (uint32_t)get(r, 4);
		out->u.statfs.blocks = get(r, 8);
		out->u.statfs.bfree = get(r, 8);
		out->u.statfs.bavail = get(r, 8);
		out->u.statfs.files = get(r, 8);
		out->u.statfs.ffree = get(r, 8);
		out->u.statfs.fsid = get(r, 8);
		out->u.statfs.namelen = (uint32_t)get(r, 4);
		break;
	case P9_RLOCK:
		out->u.lock_status = (uint8_t)get(r, 1);
		break;
	case P9_RGETLOCK:
		out->u.getlock.type = (uint8_t)get(r, 1);
		out->u.getlock.start = get(r, 8);
		out->u.getlock.length = get(r, 8);
		out->u.getlock.proc_id = (uint32_t)get(r, 4);
		out->u.getlock.client_id = get_str(r);
		break;
	case P9_RSETATTR:
	case P9_RFSYNC: case P9_RLINK: case P9_RRENAMEAT: case P9_RUNLINKAT:
	case P9_RCLUNK: case P9_RFLUSH: case P9_RRENAME: case P9_RREMOVE:
		break;
	default:
		return -1;
	}
	return 0;
}

int p9_decode(const uint8_t *msg, uint32_t n, struct p9_reply *out)
{
	struct rb r = { msg, n, 0, 0 };

	if (n < P9_HDR || p9_msg_size(msg) != n)
		return -1;
	r.off = 4;
	out->type = (uint8_t)get(&r, 1);
	out->tag = (uint16_t)get(&r, 2);
	if (body(&r, out) < 0 || r.bad || r.off != n)
		return -1;
	return 0;
}

int p9_dirent_next(const uint8_t *data, uint32_t count, uint32_t *pos, struct p9_dirent *e)
{
	struct rb r = { data, count, *pos, 0 };

	if (*pos >= count)
		return 0;
	e->qid = get_qid(&r);
	e->offset = get(&r, 8);
	e->type = (uint8_t)get(&r, 1);
	e->name = get_str(&r);
	if (r.bad)
		return -1;
	*pos = r.off;
	return 1;
}
