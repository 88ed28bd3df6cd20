/* conn.h - one 9P2000.L session with a server over TCP, its I/O through io_uring. */
#ifndef K23_REMOTE_CONN_H
#define K23_REMOTE_CONN_H

#include <stdint.h>
#include <liburing.h>
#include "ninep/ninep.h"

#define RCONN_MSIZE  (512 * 1024)	/* asked for; the server may give less */
#define RCONN_NTAGS  32			/* requests in flight at once (pipelined I/O): 1 MiB at diod's 64 KiB msize */

struct rconn {
	/* where */
	char host[128], aname[256], uname[64];
	uint16_t port;
	unsigned timeout_ms;		/* bound for one whole round trip */
	/* state */
	int fd;				/* -1: down (next use reconnects) */
	uint64_t gen;			/* +1 per successful connect */
	uint32_t msize;			/* negotiated */
	uint32_t rootfid;
	uint32_t next_fid;
	uint32_t *free_fids, nfree, free_cap;
	struct io_uring ring;
	int ring_ok;
	uint8_t *tx;			/* msize bytes */
	uint8_t *rx[RCONN_NTAGS];	/* msize bytes each */
	int old_ops;			/* the server lacks Trenameat/Tunlinkat */
	char err[512];			/* why the last connect failed */
};

/* Fills the endpoint from "9p://HOST:PORT/EXPORT"; 0, or -1 (bad URL). */
int rconn_init(struct rconn *c, const char *url, const char *uname, unsigned timeout_ms);

/* Connects (TCP, Tversion, Tattach) if down. 0, or -EIO with c->err set. */
int rconn_up(struct rconn *c);

/* Drops the connection (after a transport failure or a timeout). */
void rconn_down(struct rconn *c);

/* One round trip with tag 0: sends c->tx (len bytes) then extra (the data
 * of a Twrite), waits for the reply into c->rx[0] and decodes it into *r.
 * 0 on a reply that is not Rlerror; -errno of an Rlerror; -EIO when the
 * server fails to answer in time or answers garbage (connection dropped). */
int rconn_rpc(struct rconn *c, uint32_t len, const void *extra, uint32_t extralen,
	      struct p9_reply *r);

/* n (<= RCONN_NTAGS) requests at once: reqs[i] (lens[i] bytes, tag i, plus
 * extra[i]/extralen[i]) are sent back to back, then all n replies are read
 * (in any order) into c->rx[tag] and decoded into r[tag]. With dst (Treads),
 * the data of an Rread with tag i goes straight into dst[i] (at most
 * dstcap[i] bytes, else the reply is malformed) and r[i].u.data points
 * there. Returns 0 if the transport worked (each r[i] may still be an
 * Rlerror), else -EIO. */
int rconn_rpcn(struct rconn *c, unsigned n, uint8_t *const *reqs, const uint32_t *lens,
	       const void *const *extra, const uint32_t *extralen,
	       uint8_t *const *dst, const uint32_t *dstcap, struct p9_reply *r);

uint32_t rconn_fid(struct rconn *c);
void rconn_fid_free(struct rconn *c, uint32_t fid);

/* Clunks fid (errors ignored: the fid is gone either way) and frees it. */
void rconn_clunk(struct rconn *c, uint32_t fid);

#endif
