/* conn.c - one 9P2000.L session with a server over TCP, its I/O through io_uring.
 *
 * Every socket operation is an io_uring request linked to a timeout (the
 * time left of the round trip's bound, c->timeout_ms), so a server that
 * stops answering costs at most that bound: the request is cancelled, the
 * connection dropped, the call fails with EIO and the next one reconnects.
 * A reply is read in two steps, its 7-byte header and then exactly the rest
 * (at most the negotiated msize), into the buffer of its tag; the decoder
 * (common/ninep) checks every field against that length.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include "remote/conn.h"

int rconn_init(struct rconn *c, const char *url, const char *uname, unsigned timeout_ms)
{
	const char *h, *colon, *slash;
	char *end;
	unsigned long port;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->timeout_ms = timeout_ms;
	if (strncmp(url, "9p://", 5))
		return -1;
	h = url + 5;
	slash = strchr(h, '/');
	if (*h == '[') {	/* an IPv6 address: [ADDR]:PORT */
		const char *rb = memchr(h, ']', slash ? (size_t)(slash - h) : strlen(h));

		if (!rb || rb[1] != ':')
			return -1;
		h++;
		colon = rb;
		end = (char *)rb + 1;
	} else {
		colon = memchr(h, ':', slash ? (size_t)(slash - h) : strlen(h));
		end = (char *)colon;
	}
	if (!colon || !slash || colon == h || (size_t)(colon - h) >= sizeof(c->host))
		return -1;
	port = strtoul(end + 1, &end, 10);
	if (end != slash || port == 0 || port > 65535 || strlen(slash) >= sizeof(c->aname))
		return -1;
	memcpy(c->host, h, (size_t)(colon - h));
	c->port = (uint16_t)port;
	strcpy(c->aname, slash);
	snprintf(c->uname, sizeof(c->uname), "%s", uname);
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Runs one prepared socket request linked to a timeout at `deadline`
 * (CLOCK_MONOTONIC ns). Returns the request's result (-ECANCELED when the
 * timeout fired). */
static int ring_run(struct rconn *c, struct io_uring_sqe *sqe, uint64_t deadline)
{
	struct __kernel_timespec ts;
	struct io_uring_cqe *cqe;
	uint64_t t = now_ns(), left = deadline > t ? deadline - t : 1;
	int res = -ECANCELED, seen = 0;

	ts.tv_sec = (long long)(left / 1000000000ull);
	ts.tv_nsec = (long long)(left % 1000000000ull);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = 1;
	sqe = io_uring_get_sqe(&c->ring);
	io_uring_prep_link_timeout(sqe, &ts, 0);
	sqe->user_data = 2;
	if (io_uring_submit(&c->ring) < 0)
		return -EIO;
	while (seen < 2) {
		int rc = io_uring_wait_cqe(&c->ring, &cqe);
		if (rc == -EINTR)
			continue;
		if (rc < 0)
			return -EIO;
		if (cqe->user_data == 1)
			res = cqe->res;
		seen++;
		io_uring_cqe_seen(&c->ring, cqe);
	}
	return res;
}

/* Sends all of iov (modified), or fails. */
static int send_all(struct rconn *c, struct iovec *iov, int n, uint64_t deadline)
{
	while (n > 0) {
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)n };
		struct io_uring_sqe *sqe = io_uring_get_sqe(&c->ring);
		int rc;

		io_uring_prep_sendmsg(sqe, c->fd, &mh, MSG_NOSIGNAL | MSG_WAITALL);
		rc = ring_run(c, sqe, deadline);
		if (rc <= 0)
			return -EIO;
		size_t done = (size_t)rc;
		while (n > 0 && done >= iov->iov_len) {
			done -= iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + done;
			iov->iov_len -= done;
		}
	}
	return 0;
}

static int recv_all(struct rconn *c, uint8_t *buf, uint32_t len, uint64_t deadline)
{
	while (len > 0) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&c->ring);
		int rc;

		io_uring_prep_recv(sqe, c->fd, buf, len, MSG_WAITALL);
		rc = ring_run(c, sqe, deadline);
		if (rc <= 0)	/* 0: the server closed; <0: error or timeout */
			return -EIO;
		buf += rc;
		len -= (uint32_t)rc;
	}
	return 0;
}

/* Reads one reply into the buffer of its tag (< n, not seen yet) and
 * decodes it into r[tag]; an Rread's data goes to dst[tag] when given.
 * Returns the tag or -EIO. */
static int recv_reply(struct rconn *c, unsigned n, uint32_t *lens, uint8_t *const *dst,
		      const uint32_t *dstcap, struct p9_reply *r, uint64_t deadline)
{
	uint8_t hdr[P9_HDR + 4];
	uint32_t size, count;
	uint16_t tag;

	if (recv_all(c, hdr, P9_HDR, deadline) < 0)
		return -EIO;
	size = p9_msg_size(hdr);
	tag = (uint16_t)(hdr[5] | hdr[6] << 8);
	if (size < P9_HDR || size > c->msize || tag >= n || lens[tag])
		return -EIO;
	lens[tag] = size;
	if (dst && dst[tag] && hdr[4] == P9_RREAD && size >= P9_HDR + 4) {
		/* count[4] then the data, received where it is wanted. */
		if (recv_all(c, hdr + P9_HDR, 4, deadline) < 0)
			return -EIO;
		count = p9_msg_size(hdr + P9_HDR);
		if (count != size - P9_HDR - 4 || count > dstcap[tag] ||
		    recv_all(c, dst[tag], count, deadline) < 0)
			return -EIO;
		r[tag].type = P9_RREAD;
		r[tag].tag = tag;
		r[tag].u.data.count = count;
		r[tag].u.data.data = dst[tag];
		return tag;
	}
	memcpy(c->rx[tag], hdr, P9_HDR);
	if (recv_all(c, c->rx[tag] + P9_HDR, size - P9_HDR, deadline) < 0 ||
	    p9_decode(c->rx[tag], size, &r[tag]) < 0)
		return -EIO;
	return tag;
}

void rconn_down(struct rconn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

int rconn_rpcn(struct rconn *c, unsigned n, uint8_t *const *reqs, const uint32_t *lens,
	       const void *const *extra, const uint32_t *extralen,
	       uint8_t *const *dst, const uint32_t *dstcap, struct p9_reply *r)
{
	struct iovec iov[2 * RCONN_NTAGS];
	uint32_t got[RCONN_NTAGS] = { 0 };
	uint64_t deadline = now_ns() + (uint64_t)c->timeout_ms * 1000000ull;
	int k = 0;

	if (c->fd < 0 || n == 0 || n > RCONN_NTAGS)
		return -EIO;
	for (unsigned i = 0; i < n; i++) {
		reqs[i][5] = (uint8_t)i;	/* the tag is the request's index */
		reqs[i][6] = 0;
		iov[k].iov_base = reqs[i];
		iov[k++].iov_len = lens[i];
		if (extra && extralen[i]) {
			iov[k].iov_base = (void *)extra[i];
			iov[k++].iov_len = extralen[i];
		}
	}
	if (send_all(c, iov, k, deadline) < 0)
		goto broken;
	for (unsigned i = 0; i < n; i++) {
		int tag = recv_reply(c, n, got, dst, dstcap, r, deadline);
		if (tag < 0)
			goto broken;
		if (r[tag].type != P9_RLERROR && r[tag].type != reqs[tag][4] + 1)
			goto broken;	/* a reply of the wrong kind */
	}
	return 0;
broken:
	rconn_down(c);
	return -EIO;
}

int rconn_rpc(struct rconn *c, uint32_t len, const void *extra, uint32_t extralen,
	      struct p9_reply *r)
{
	uint8_t *req = c->tx;
	int rc = rconn_rpcn(c, 1, &req, &len, &extra, &extralen, NULL, NULL, r);

	if (rc < 0)
		return rc;
	if (r->type == P9_RLERROR)
		return -(int)(r->u.ecode >= 1 && r->u.ecode < 4096 ? r->u.ecode : EIO);
	return 0;
}

uint32_t rconn_fid(struct rconn *c)
{
	if (c->nfree)
		return c->free_fids[--c->nfree];
	return c->next_fid++;
}

void rconn_fid_free(struct rconn *c, uint32_t fid)
{
	if (c->nfree == c->free_cap) {
		uint32_t cap = c->free_cap ? 2 * c->free_cap : 256;
		uint32_t *p = realloc(c->free_fids, cap * sizeof(*p));
		if (!p)
			return;		/* the fid number is simply not reused */
		c->free_fids = p;
		c->free_cap = cap;
	}
	c->free_fids[c->nfree++] = fid;
}

void rconn_clunk(struct rconn *c, uint32_t fid)
{
	struct p9_reply r;
	uint32_t n = p9_tclunk(c->tx, c->msize, 0, fid);

	if (c->fd >= 0 && rconn_rpc(c, n, NULL, 0, &r) != -EIO)
		rconn_fid_free(c, fid);
}

static int tcp_connect(struct rconn *c, uint64_t deadline)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai, *p;
	char port[8];
	int rc, fd = -1, err = 0;

	snprintf(port, sizeof(port), "%u", c->port);
	rc = getaddrinfo(c->host, port, &hints, &ai);
	if (rc) {
		snprintf(c->err, sizeof(c->err), "%s", gai_strerror(rc));
		return -1;
	}
	for (p = ai; p; p = p->ai_next) {
		struct io_uring_sqe *sqe;

		fd = socket(p->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			err = errno;
			continue;
		}
		sqe = io_uring_get_sqe(&c->ring);
		io_uring_prep_connect(sqe, fd, p->ai_addr, p->ai_addrlen);
		rc = ring_run(c, sqe, deadline);
		if (rc == 0)
			break;
		err = rc == -ECANCELED ? ETIMEDOUT : -rc;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0) {
		snprintf(c->err, sizeof(c->err), "%s", strerror(err ? err : EHOSTUNREACH));
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->fd = fd;
	return 0;
}

static int buffers(struct rconn *c)
{
	if (c->tx)
		return 0;
	c->tx = malloc(RCONN_MSIZE);
	for (int i = 0; i < RCONN_NTAGS; i++)
		c->rx[i] = malloc(RCONN_MSIZE);
	for (int i = 0; i < RCONN_NTAGS; i++)
		if (!c->rx[i])
			return -1;
	return c->tx ? 0 : -1;
}

int rconn_up(struct rconn *c)
{
	uint64_t deadline = now_ns() + (uint64_t)c->timeout_ms * 1000000ull;
	struct p9_reply r;
	uint32_t n;
	int rc;

	if (c->fd >= 0)
		return 0;
	if (!c->ring_ok) {
		if (io_uring_queue_init(8, &c->ring, 0) < 0 || buffers(c) < 0) {
			snprintf(c->err, sizeof(c->err), "io_uring or memory: %s", strerror(errno));
			return -EIO;
		}
		c->ring_ok = 1;
	}
	if (tcp_connect(c, deadline) < 0)
		return -EIO;
	/* A fresh session: the server forgot every fid. */
	c->msize = RCONN_MSIZE;
	c->next_fid = 1;
	c->nfree = 0;
	n = p9_tversion(c->tx, c->msize, RCONN_MSIZE, "9P2000.L");
	rc = rconn_rpc(c, n, NULL, 0, &r);
	if (rc == 0 && (r.type != P9_RVERSION || r.u.version.msize < 4096 ||
			r.u.version.version.len != 8 || memcmp(r.u.version.version.s, "9P2000.L", 8))) {
		snprintf(c->err, sizeof(c->err), "the server does not speak 9P2000.L");
		rconn_down(c);
		return -EIO;
	}
	if (rc < 0) {
		snprintf(c->err, sizeof(c->err), "version: %s", strerror(-rc));
		rconn_down(c);
		return -EIO;
	}
	if (r.u.version.msize < c->msize)
		c->msize = r.u.version.msize;
	c->rootfid = rconn_fid(c);
	/* No authentication (afid NOFID): diod -n, or a server that trusts
	 * the network; n_uname NONUNAME lets the server map the name. */
	n = p9_tattach(c->tx, c->msize, 0, c->rootfid, P9_NOFID, c->uname, c->aname, P9_NOFID);
	rc = rconn_rpc(c, n, NULL, 0, &r);
	if (rc < 0) {
		snprintf(c->err, sizeof(c->err), "attach %s as %s: %s", c->aname, c->uname,
			 strerror(-rc));
		rconn_down(c);
		return -EIO;
	}
	c->gen++;
	return 0;
}
