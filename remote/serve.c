/* serve.c - the proxy's loop: channel slots in, 9P sessions out.
 *
 * One thread serves the slots in turn (it sleeps on the header's doorbell
 * futex when none is pending); a second thread only watches descriptors with
 * epoll - each handle's placeholder socket, whose EOF means the program
 * closed its last copy, and the life pipe - and hands what it sees to the
 * first through a short list and the doorbell. Every 9P exchange therefore
 * happens on the serving thread, one request at a time per proxy; a slow
 * server delays the other remote calls of the tree, never its local ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include "remote/convert.h"
#include "remote/fs.h"
#include "remote/serve.h"

struct rhandle {
	unsigned mount;
	uint32_t fid;
	uint64_t gen;		/* the session the fid belongs to */
	uint32_t flags;		/* open flags, to open again after a reconnect */
	int keep, give;		/* placeholder ends: ours, and the program's until PLACED */
	uint64_t off;		/* the open file description's offset (K23_RC_AT_OFFSET) */
	char *path;
};

static struct rhandle **handles;	/* handle id = index + 1 */
static uint64_t nhandles, cap_handles;
static int epfd = -1;

static pthread_mutex_t closing_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t *closing;	/* handle ids whose placeholder the program closed */
static size_t nclosing, cap_closing;
static volatile int life_gone;

static void futex_wake(uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0);
}

static void ring_doorbell(struct k23_chan_hdr *h)
{
	__atomic_add_fetch(&h->doorbell, 1, __ATOMIC_RELEASE);
	futex_wake(&h->doorbell);
}

static struct rhandle *handle_get(uint64_t id)
{
	return id && id <= nhandles ? handles[id - 1] : NULL;
}

static void handle_free(struct rserver *s, uint64_t id)
{
	struct rhandle *h = handle_get(id);

	if (!h)
		return;
	if (h->gen == s->conn[h->mount].gen)
		rconn_clunk(&s->conn[h->mount], h->fid);
	if (h->keep >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, h->keep, NULL);
		close(h->keep);
	}
	if (h->give >= 0)
		close(h->give);
	free(h->path);
	free(h);
	handles[id - 1] = NULL;
}

/* The session of mount m, connected (again) if it was down. */
static struct rconn *session(struct rserver *s, unsigned m)
{
	if (m >= s->hdr->nmounts)
		return NULL;
	if (rconn_up(&s->conn[m]) < 0)
		return NULL;
	__atomic_store_n(&s->hdr->mounts[m].down, 0, __ATOMIC_RELAXED);
	return &s->conn[m];
}

/* The handle's session with its fid valid in it: after a reconnect the path
 * is walked and opened again (without O_CREAT, O_EXCL, O_TRUNC). */
static struct rconn *handle_session(struct rserver *s, struct rhandle *h, int *err)
{
	struct rconn *c = session(s, h->mount);
	static struct rpath p;
	struct p9_qid q;

	*err = -EIO;
	if (!c)
		return NULL;
	if (h->gen == c->gen)
		return c;
	if (rfs_split(&p, h->path) < 0 ||
	    rfs_open(c, &p, h->flags & ~(uint32_t)(O_CREAT | O_EXCL | O_TRUNC), 0, &h->fid, &q) < 0)
		return NULL;
	h->gen = c->gen;
	return c;
}

/* The NUL-terminated string at *off in the payload, or NULL. */
static const char *payload_str(struct k23_chan_slot *slot, uint32_t *off)
{
	const char *p = (const char *)slot->payload + *off;
	const void *nul;

	if (*off >= slot->len)
		return NULL;
	nul = memchr(p, 0, slot->len - *off);
	if (!nul)
		return NULL;
	*off += (uint32_t)((const char *)nul - p) + 1;
	return p;
}

static int64_t op_open(struct rserver *s, struct k23_chan_slot *slot, struct rconn *c,
		       const char *path, struct rpath *p)
{
	uint32_t flags = (uint32_t)slot->args[0], fid;
	struct rhandle *h;
	struct p9_qid q;
	struct p9_attr a;
	int sv[2], rc;

	(void)s;
	rc = rfs_open(c, p, flags, (uint32_t)slot->args[1], &fid, &q);
	if (rc < 0)
		return rc;
	rc = rfs_getattr(c, fid, &a);
	if (rc < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		rconn_clunk(c, fid);
		return rc < 0 ? rc : -EMFILE;
	}
	if (nhandles == cap_handles) {
		uint64_t cap = cap_handles ? 2 * cap_handles : 1024;
		void *n = realloc(handles, cap * sizeof(*handles));
		if (!n)
			goto nomem;
		handles = n;
		cap_handles = cap;
	}
	h = calloc(1, sizeof(*h));
	if (!h || !(h->path = strdup(path))) {
		free(h);
		goto nomem;
	}
	h->mount = slot->mount;
	h->fid = fid;
	h->gen = c->gen;
	h->flags = flags;
	h->keep = sv[0];
	h->give = sv[1];
	handles[nhandles++] = h;
	slot->args[0] = (uint64_t)sv[1];
	slot->args[1] = a.mode;
	slot->args[2] = a.size;
	slot->args[3] = a.qid.path;
	slot->args[4] = makedev(K23_REMOTE_DEV_MAJOR, slot->mount);
	return (int64_t)nhandles;
nomem:
	close(sv[0]);
	close(sv[1]);
	rconn_clunk(c, fid);
	return -ENOMEM;
}

static int64_t op_placed(struct rhandle *h, uint64_t id, int unwanted)
{
	struct epoll_event ev = { .events = EPOLLRDHUP | EPOLLHUP | EPOLLONESHOT, .data.u64 = id };

	if (h->give < 0)
		return 0;
	close(h->give);
	h->give = -1;
	if (unwanted) {
		close(h->keep);
		h->keep = -1;
		return 0;
	}
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, h->keep, &ev) < 0)
		return -errno;
	return 0;
}

static int64_t op_stat(struct rserver *s, struct k23_chan_slot *slot, struct rconn *c,
		       uint32_t fid)
{
	struct p9_attr a;
	int rc = rfs_getattr(c, fid, &a);

	if (rc < 0)
		return rc;
	k23_rconv_statx(&a, slot->payload, K23_REMOTE_DEV_MAJOR, slot->mount);
	slot->len = sizeof(struct statx);
	(void)s;
	return 0;
}

/* K23_RC_STATFS: the server's Rstatfs as the kernel's struct statfs. */
static int64_t op_statfs(struct k23_chan_slot *slot, struct rconn *c, uint32_t fid)
{
	struct p9_statfs f;
	struct statfs st;
	int rc = rfs_statfs(c, fid, &f);

	_Static_assert(sizeof(st) == 120, "the kernel's struct statfs on x86-64");
	if (rc < 0)
		return rc;
	memset(&st, 0, sizeof(st));
	st.f_type = f.type;
	st.f_bsize = f.bsize;
	st.f_frsize = f.bsize;
	st.f_blocks = f.blocks;
	st.f_bfree = f.bfree;
	st.f_bavail = f.bavail;
	st.f_files = f.files;
	st.f_ffree = f.ffree;
	memcpy(&st.f_fsid, &f.fsid, sizeof(st.f_fsid));
	st.f_namelen = f.namelen;
	memcpy(slot->payload, &st, sizeof(st));
	slot->len = sizeof(st);
	return 0;
}

static int64_t op_lock(struct k23_chan_slot *slot, struct rconn *c, uint32_t fid)
{
	int get = slot->args[0] == F_GETLK, type = (int)slot->args[1];
	uint64_t start = slot->args[2], len = slot->args[3];
	uint32_t pid = (uint32_t)slot->args[4];
	int rc;

	if (slot->args[0] != F_SETLK && !get)
		return -EINVAL;
	rc = rfs_lock(c, fid, get, &type, &start, &len, &pid);
	if (rc == 0 && get) {
		slot->args[1] = (uint64_t)type;
		slot->args[2] = start;
		slot->args[3] = len;
		slot->args[4] = pid;
	}
	return rc;
}

static int64_t op_seek(struct k23_chan_slot *slot, struct rconn *c, struct rhandle *h)
{
	int64_t off = (int64_t)slot->args[0], base;
	struct p9_attr a;
	int rc;

	switch (slot->args[1]) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)h->off; break;
	case SEEK_END:
		rc = rfs_getattr(c, h->fid, &a);
		if (rc < 0)
			return rc;
		base = (int64_t)a.size;
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	h->off = (uint64_t)(base + off);
	/* A directory's offset is a readdir cookie: only SEEK_SET to one
	 * returned before (or 0) makes sense, as for any file system. */
	return (int64_t)h->off;
}

/* TRUNCATE, CHMOD, UTIMES, CHOWN: one Tsetattr of fid (chan.h). */
static int64_t op_setattr(struct rconn *c, uint32_t fid, struct k23_chan_slot *slot)
{
	struct p9_setattr a = { 0 };
	const uint64_t *v = slot->args;

	switch (slot->op) {
	case K23_RC_TRUNCATE:
		a.valid = P9_SETATTR_SIZE;
		a.size = v[0];
		break;
	case K23_RC_CHMOD:
		a.valid = P9_SETATTR_MODE;
		a.mode = (uint32_t)v[0] & 07777;
		break;
	case K23_RC_CHOWN:
		if ((uint32_t)v[0] != UINT32_MAX)
			a.valid |= P9_SETATTR_UID, a.uid = (uint32_t)v[0];
		if ((uint32_t)v[1] != UINT32_MAX)
			a.valid |= P9_SETATTR_GID, a.gid = (uint32_t)v[1];
		break;
	case K23_RC_UTIMES:
		/* nsec UTIME_NOW: the server's clock; UTIME_OMIT: unchanged. */
		if (v[1] != K23_RC_UTIME_OMIT)
			a.valid |= P9_SETATTR_ATIME | (v[1] == K23_RC_UTIME_NOW ? 0 : P9_SETATTR_ATIME_SET);
		if (v[3] != K23_RC_UTIME_OMIT)
			a.valid |= P9_SETATTR_MTIME | (v[3] == K23_RC_UTIME_NOW ? 0 : P9_SETATTR_MTIME_SET);
		if ((a.valid & P9_SETATTR_ATIME_SET) && v[1] >= 1000000000)
			return -EINVAL;
		if ((a.valid & P9_SETATTR_MTIME_SET) && v[3] >= 1000000000)
			return -EINVAL;
		a.atime_sec = v[0], a.atime_nsec = v[1] >= 1000000000 ? 0 : v[1];
		a.mtime_sec = v[2], a.mtime_nsec = v[3] >= 1000000000 ? 0 : v[3];
		if (a.valid)
			a.valid |= P9_SETATTR_CTIME;
		break;
	}
	return rfs_setattr(c, fid, &a);
}

/* Operations on an open handle. */
static int64_t on_handle(struct rserver *s, struct k23_chan_slot *slot)
{
	struct rhandle *h = handle_get(slot->handle);
	struct rconn *c;
	int err;

	if (!h)
		return -EBADF;
	if (slot->op == K23_RC_CLOSE) {
		handle_free(s, slot->handle);
		return 0;
	}
	if (slot->op == K23_RC_PLACED)
		return op_placed(h, slot->handle, slot->args[0] == 1);
	c = handle_session(s, h, &err);
	if (!c)
		return err;
	slot->mount = h->mount;
	int at_off = (slot->op == K23_RC_READ || slot->op == K23_RC_WRITE ||
		      slot->op == K23_RC_GETDENTS) && (slot->args[2] & K23_RC_AT_OFFSET);
	switch (slot->op) {
	case K23_RC_READ: {
		uint64_t off = at_off ? h->off : slot->args[0];
		long n;
		if (slot->args[1] > s->hdr->payload_max)
			return -EINVAL;
		n = rfs_read(c, h->fid, off, slot->payload, (uint32_t)slot->args[1]);
		slot->len = n > 0 ? (uint32_t)n : 0;
		if (n > 0 && at_off)
			h->off = off + (uint64_t)n;
		return n;
	}
	case K23_RC_WRITE: {
		long n = rfs_write(c, h->fid, at_off ? h->off : slot->args[0], slot->payload, slot->len);
		if (n > 0 && at_off) {
			struct p9_attr a;
			/* With O_APPEND the data went to the end, wherever that was. */
			if (h->flags & O_APPEND)
				h->off = rfs_getattr(c, h->fid, &a) == 0 ? a.size : h->off + (uint64_t)n;
			else
				h->off += (uint64_t)n;
		}
		return n;
	}
	case K23_RC_SEEK:
		return op_seek(slot, c, h);
	case K23_RC_STAT:
		return op_stat(s, slot, c, h->fid);
	case K23_RC_STATFS:
		return op_statfs(slot, c, h->fid);
	case K23_RC_GETDENTS: {
		uint32_t cap = slot->args[1] < s->hdr->payload_max ? (uint32_t)slot->args[1]
								    : s->hdr->payload_max;
		uint64_t next = 0;
		long n = rfs_getdents(c, h->fid, at_off ? h->off : slot->args[0], slot->payload, cap, &next);
		slot->len = n > 0 ? (uint32_t)n : 0;
		if (n > 0 && at_off)
			h->off = next;
		return n;
	}
	case K23_RC_TRUNCATE: case K23_RC_CHMOD: case K23_RC_UTIMES: case K23_RC_CHOWN:
		return op_setattr(c, h->fid, slot);
	case K23_RC_FSYNC:
		return rfs_fsync(c, h->fid, slot->args[0] ? 1 : 0);
	case K23_RC_LOCK:
		return op_lock(slot, c, h->fid);
	default:
		return -ENOSYS;
	}
}

/* K23_RC_CWD: the working directories of processes between their execve
 * and their new image's start (chan.h). */
static struct { uint64_t pid; char *path; } cwds[K23_CHAN_NCWD];
static unsigned cwd_next;

static int64_t op_cwd(struct rserver *s, struct k23_chan_slot *slot)
{
	uint64_t pid = slot->args[0];
	unsigned i;

	for (i = 0; i < K23_CHAN_NCWD && !(cwds[i].path && cwds[i].pid == pid); i++)
		;
	if (slot->args[1] == 1) {
		size_t n;

		if (i == K23_CHAN_NCWD)
			return -ENOENT;
		n = strlen(cwds[i].path);
		if (n > s->hdr->payload_max)
			n = s->hdr->payload_max;
		memcpy(slot->payload, cwds[i].path, n);
		slot->len = (uint32_t)n;
		free(cwds[i].path);
		cwds[i].path = NULL;
		return (int64_t)n;
	}
	if (i == K23_CHAN_NCWD)
		i = cwd_next++ % K23_CHAN_NCWD;
	free(cwds[i].path);
	cwds[i].path = NULL;
	if (!slot->len)
		return 0;
	if (!memchr(slot->payload, 0, slot->len) || !(cwds[i].path = strdup((char *)slot->payload)))
		return -EINVAL;
	cwds[i].pid = pid;
	return 0;
}

static int64_t op_path(struct rserver *s, struct k23_chan_slot *slot)
{
	struct rhandle *h = handle_get(slot->handle);
	size_t n;

	if (!h)
		return -EBADF;
	n = strlen(h->path);
	if (n > s->hdr->payload_max)
		return -ENAMETOOLONG;
	memcpy(slot->payload, h->path, n);
	slot->len = (uint32_t)n;
	return (int64_t)n;
}

/* path from the directory of a handle (openat's dirfd): "DIR/path", ".."
 * then climbing lexically from the directory's own path. */
static const char *from_dir(struct rhandle *d, const char *path, char *buf, size_t cap)
{
	if (!d)
		return path;
	if ((size_t)snprintf(buf, cap, "%s/%s", d->path, path) >= cap)
		return NULL;
	return buf;
}

/* Operations on a path of a mount, or from a handle's directory. */
static int64_t on_path(struct rserver *s, struct k23_chan_slot *slot)
{
	static struct rpath p, q;
	static char full[2][8192];
	struct rhandle *d = NULL;
	uint32_t off = 0, fid;
	const char *path = payload_str(slot, &off), *path2;
	struct p9_qid qid;
	struct rconn *c;
	int64_t rc;

	if (slot->handle) {
		d = handle_get(slot->handle);
		if (!d)
			return -EBADF;
		slot->mount = d->mount;
	}
	if (slot->mount >= s->hdr->nmounts || !path)
		return -EINVAL;
	c = session(s, slot->mount);
	if (!c)
		return -EIO;
	path = from_dir(d, path, full[0], sizeof(full[0]));
	if (!path || rfs_split(&p, path) < 0)
		return -ENAMETOOLONG;
	switch (slot->op) {
	case K23_RC_OPEN:
		return op_open(s, slot, c, path, &p);
	case K23_RC_STAT:
		rc = rfs_walk_follow(c, &p, !(slot->args[0] & AT_SYMLINK_NOFOLLOW), &fid, &qid);
		if (rc == 0) {
			rc = op_stat(s, slot, c, fid);
			rconn_clunk(c, fid);
		}
		return rc;
	case K23_RC_STATFS:
		rc = rfs_walk_follow(c, &p, 1, &fid, &qid);
		if (rc == 0) {
			rc = op_statfs(slot, c, fid);
			rconn_clunk(c, fid);
		}
		return rc;
	case K23_RC_TRUNCATE: case K23_RC_CHMOD: case K23_RC_UTIMES: case K23_RC_CHOWN:
		/* UTIMES and CHOWN may name a symbolic link itself. */
		rc = rfs_walk_follow(c, &p, !((slot->op == K23_RC_UTIMES || slot->op == K23_RC_CHOWN) &&
					      (slot->args[4] & AT_SYMLINK_NOFOLLOW)), &fid, &qid);
		if (rc == 0) {
			rc = op_setattr(c, fid, slot);
			rconn_clunk(c, fid);
		}
		return rc;
	case K23_RC_MKDIR:
		return rfs_mkdir(c, &p, (uint32_t)slot->args[0]);
	case K23_RC_UNLINK:
		return rfs_unlink(c, &p, 0);
	case K23_RC_RMDIR:
		return p.n ? rfs_unlink(c, &p, AT_REMOVEDIR) : -EBUSY;
	case K23_RC_RENAME: case K23_RC_LINK:
		path2 = payload_str(slot, &off);
		if (!path2 || (slot->op == K23_RC_RENAME ? slot->args[0] : slot->args[0] & ~(uint64_t)AT_SYMLINK_FOLLOW))
			return -EINVAL;
		path2 = from_dir(d, path2, full[1], sizeof(full[1]));
		if (!path2 || rfs_split(&q, path2) < 0)
			return -ENAMETOOLONG;
		if (slot->op == K23_RC_LINK)
			return q.n ? rfs_link(c, &p, &q, (slot->args[0] & AT_SYMLINK_FOLLOW) != 0) : -EEXIST;
		if (!p.n || !q.n)
			return -EBUSY;
		return rfs_rename(c, &p, &q);
	case K23_RC_READLINK: {
		long n = rfs_readlink(c, &p, (char *)slot->payload, s->hdr->payload_max);
		slot->len = n > 0 ? (uint32_t)n : 0;
		return n;
	}
	case K23_RC_SYMLINK:
		/* payload: target (kept as given), then the link's path */
		path = payload_str(slot, &(uint32_t){ 0 });
		path2 = payload_str(slot, &off);
		if (!path2)
			return -EINVAL;
		path2 = from_dir(d, path2, full[1], sizeof(full[1]));
		if (!path2 || rfs_split(&q, path2) < 0)
			return -ENAMETOOLONG;
		return rfs_symlink(c, path, &q);
	default:
		return -ENOSYS;
	}
}

void rserve_one(struct rserver *s, struct k23_chan_slot *slot)
{
	int64_t rc;

	if (slot->len > s->hdr->payload_max) {
		rc = -EINVAL;
	} else if (slot->op == K23_RC_NOP) {
		rc = 0;
	} else if (slot->op == K23_RC_CWD) {
		rc = op_cwd(s, slot);
	} else if (slot->op == K23_RC_PATH) {
		rc = op_path(s, slot);
	} else if (slot->op == K23_RC_READ || slot->op == K23_RC_WRITE || slot->op == K23_RC_SEEK ||
		   slot->op == K23_RC_GETDENTS || slot->op == K23_RC_FSYNC ||
		   slot->op == K23_RC_LOCK || slot->op == K23_RC_CLOSE || slot->op == K23_RC_PLACED ||
		   (slot->handle && slot->len == 0 && (slot->op == K23_RC_STAT ||
			slot->op == K23_RC_TRUNCATE || slot->op == K23_RC_CHMOD ||
			slot->op == K23_RC_UTIMES || slot->op == K23_RC_CHOWN ||
			slot->op == K23_RC_STATFS))) {
		rc = on_handle(s, slot);
	} else {
		rc = on_path(s, slot);
	}
	if (rc < 0 || slot->op == K23_RC_WRITE)
		slot->len = 0;
	slot->result = rc;
}

static void *watch(void *arg)
{
	struct rserver *s = arg;
	struct epoll_event ev[64];

	for (;;) {
		int n = epoll_wait(epfd, ev, 64, -1);

		if (n < 0 && errno != EINTR)
			return NULL;
		pthread_mutex_lock(&closing_lock);
		for (int i = 0; i < n; i++) {
			if (ev[i].data.u64 == 0) {
				life_gone = 1;
				epoll_ctl(epfd, EPOLL_CTL_DEL, s->life_fd, NULL);
				continue;
			}
			/* EPOLLONESHOT: reported once; the main thread closes it. */
			if (nclosing == cap_closing) {
				size_t cap = cap_closing ? 2 * cap_closing : 64;
				void *p = realloc(closing, cap * sizeof(*closing));
				if (!p)
					continue;
				closing = p;
				cap_closing = cap;
			}
			closing[nclosing++] = ev[i].data.u64;
		}
		pthread_mutex_unlock(&closing_lock);
		ring_doorbell(s->hdr);
	}
}

static void take_closings(struct rserver *s)
{
	uint64_t ids[64];
	size_t n;

	do {
		pthread_mutex_lock(&closing_lock);
		n = nclosing < 64 ? nclosing : 64;
		nclosing -= n;
		memcpy(ids, closing + nclosing, n * sizeof(*ids));
		pthread_mutex_unlock(&closing_lock);
		for (size_t i = 0; i < n; i++)
			handle_free(s, ids[i]);
	} while (n);
}

/* Takes slots the clients gave up on before we reached them. */
static void finish(struct rserver *s, struct k23_chan_slot *slot)
{
	uint32_t busy = K23_SLOT_BUSY;

	if (!__atomic_compare_exchange_n(&slot->state, &busy, K23_SLOT_DONE, 0,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		__atomic_store_n(&slot->state, K23_SLOT_FREE, __ATOMIC_RELEASE);
	futex_wake(&slot->state);
	(void)s;
}

void rserve_run(struct rserver *s)
{
	struct k23_chan_hdr *h = s->hdr;
	struct epoll_event ev = { .events = EPOLLRDHUP | EPOLLHUP | EPOLLIN, .data.u64 = 0 };
	pthread_t t;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, s->life_fd, &ev) < 0 ||
	    pthread_create(&t, NULL, watch, s))
		return;
	while (!life_gone) {
		uint32_t bell = __atomic_load_n(&h->doorbell, __ATOMIC_ACQUIRE);
		int did = 0;

		take_closings(s);
		for (uint32_t i = 0; i < h->nslots; i++) {
			struct k23_chan_slot *slot = k23_chan_slot_at(h, i);
			uint32_t st = K23_SLOT_REQUEST;

			if (__atomic_compare_exchange_n(&slot->state, &st, K23_SLOT_BUSY, 0,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
				rserve_one(s, slot);
				finish(s, slot);
				did = 1;
			} else if (st == K23_SLOT_ABANDONED) {
				__atomic_compare_exchange_n(&slot->state, &st, K23_SLOT_FREE, 0,
							    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
			}
		}
		if (!did) {
			struct timespec ts = { 1, 0 };
			syscall(SYS_futex, &h->doorbell, FUTEX_WAIT, bell, &ts, NULL, 0);
		}
	}
	__atomic_store_n(&h->alive, 0, __ATOMIC_RELEASE);
}
