/* ninep.h - 9P2000.L messages: encoding requests, decoding replies.
 *
 * Wire format (all integers little-endian): size[4] type[1] tag[2] body,
 * size counting itself. Strings are len[2] bytes (not NUL-terminated), a qid
 * is type[1] version[4] path[8]. Message numbers and bodies follow the Linux
 * kernel's v9fs and diod's protocol description of 9P2000.L.
 *
 * Bounds: the encoders write into a caller's buffer and return 0 when the
 * message does not fit; the decoder never allocates and never reads outside
 * the bytes it is given: a reply is accepted only if its size field equals
 * the length given, every field lies inside it and nothing is left over.
 * Strings and data in a decoded reply point into the caller's buffer.
 * No libc: the codec may be linked anywhere.
 */
#ifndef K23_NINEP_H
#define K23_NINEP_H

#include <stdint.h>

enum {
	P9_TLERROR = 6, P9_RLERROR,
	P9_TSTATFS = 8, P9_RSTATFS,
	P9_TLOPEN = 12, P9_RLOPEN,
	P9_TLCREATE = 14, P9_RLCREATE,
	P9_TSYMLINK = 16, P9_RSYMLINK,
	P9_TMKNOD = 18, P9_RMKNOD,
	P9_TRENAME = 20, P9_RRENAME,
	P9_TREADLINK = 22, P9_RREADLINK,
	P9_TGETATTR = 24, P9_RGETATTR,
	P9_TSETATTR = 26, P9_RSETATTR,
	P9_TREADDIR = 40, P9_RREADDIR,
	P9_TFSYNC = 50, P9_RFSYNC,
	P9_TLOCK = 52, P9_RLOCK,
	P9_TGETLOCK = 54, P9_RGETLOCK,
	P9_TLINK = 70, P9_RLINK,
	P9_TMKDIR = 72, P9_RMKDIR,
	P9_TRENAMEAT = 74, P9_RRENAMEAT,
	P9_TUNLINKAT = 76, P9_RUNLINKAT,
	P9_TVERSION = 100, P9_RVERSION,
	P9_TAUTH = 102, P9_RAUTH,
	P9_TATTACH = 104, P9_RATTACH,
	P9_TFLUSH = 108, P9_RFLUSH,
	P9_TWALK = 110, P9_RWALK,
	P9_TREAD = 116, P9_RREAD,
	P9_TWRITE = 118, P9_RWRITE,
	P9_TCLUNK = 120, P9_RCLUNK,
	P9_TREMOVE = 122, P9_RREMOVE,
};

#define P9_HDR		7		/* size[4] type[1] tag[2] */
#define P9_NOTAG	0xffffu
#define P9_NOFID	0xffffffffu
#define P9_MAXWELEM	16		/* names per Twalk */
#define P9_IOHDR	24		/* Tread/Twrite/Rread overhead, rounded up */

#define P9_QTDIR	0x80
#define P9_QTSYMLINK	0x02

/* Tgetattr request mask / Rgetattr valid bits. */
#define P9_GETATTR_BASIC	0x000007ffull
#define P9_GETATTR_ALL		0x00003fffull
#define P9_GETATTR_BTIME	0x00000800ull

/* Tsetattr valid bits (ATIME/MTIME alone: the server's clock; with
 * *_SET: the times given). */
#define P9_SETATTR_MODE		0x001
#define P9_SETATTR_UID		0x002
#define P9_SETATTR_GID		0x004
#define P9_SETATTR_SIZE		0x008
#define P9_SETATTR_ATIME	0x010
#define P9_SETATTR_MTIME	0x020
#define P9_SETATTR_CTIME	0x040
#define P9_SETATTR_ATIME_SET	0x080
#define P9_SETATTR_MTIME_SET	0x100

/* What a Tsetattr changes: the fields its valid bits name. */
struct p9_setattr {
	uint32_t valid, mode, uid, gid;
	uint64_t size, atime_sec, atime_nsec, mtime_sec, mtime_nsec;
};

/* Tlock types, flags and Rlock statuses. */
#define P9_LOCK_RDLCK	0
#define P9_LOCK_WRLCK	1
#define P9_LOCK_UNLCK	2
#define P9_LOCK_FLAGS_BLOCK 1
#define P9_LOCK_SUCCESS	0
#define P9_LOCK_BLOCKED	1
#define P9_LOCK_ERROR	2
#define P9_LOCK_GRACE	3

struct p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

struct p9_str {
	const char *s;	/* points into the message; not NUL-terminated */
	uint16_t len;
};

struct p9_attr {	/* Rgetattr */
	uint64_t valid;
	struct p9_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blksize, blocks;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
	uint64_t ctime_sec, ctime_nsec, btime_sec, btime_nsec;
	uint64_t gen, data_version;
};

struct p9_statfs {
	uint32_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree, fsid;
	uint32_t namelen;
};

/* A decoded reply. Which member is set follows `type`. */
struct p9_reply {
	uint8_t type;
	uint16_t tag;
	union {
		uint32_t ecode;					/* Rlerror */
		struct { uint32_t msize; struct p9_str version; } version; /* Rversion */
		struct p9_qid qid;				/* Rattach Rauth Rsymlink Rmknod Rmkdir */
		struct { struct p9_qid qid; uint32_t iounit; } open;	/* Rlopen Rlcreate */
		struct { uint16_t n; struct p9_qid qid[P9_MAXWELEM]; } walk;
		struct { uint32_t count; const uint8_t *data; } data;	/* Rread Rreaddir */
		uint32_t count;					/* Rwrite */
		struct p9_str target;				/* Rreadlink */
		struct p9_attr attr;				/* Rgetattr */
		struct p9_statfs statfs;			/* Rstatfs */
		uint8_t lock_status;				/* Rlock */
		struct { uint8_t type; uint64_t start, length; uint32_t proc_id;
			 struct p9_str client_id; } getlock;	/* Rgetlock */
	} u;
};

/* Decodes one whole reply of n bytes. 0, or -1 if malformed (wrong size
 * field, unknown or request type, a field or string beyond the end, bytes
 * left over, more qids than P9_MAXWELEM, a data count beyond the end). */
int p9_decode(const uint8_t *msg, uint32_t n, struct p9_reply *r);

/* Reads the size field of a message header: the whole message's length. */
static inline uint32_t p9_msg_size(const uint8_t *hdr)
{
	return (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
	       (uint32_t)hdr[3] << 24;
}

/* One Rreaddir entry. */
struct p9_dirent {
	struct p9_qid qid;
	uint64_t offset;
	uint8_t type;
	struct p9_str name;
};

/* Iterates over Rreaddir data: *pos starts at 0. 1 with *e filled, 0 at
 * the end, -1 if the entry at *pos is malformed (beyond the data). */
int p9_dirent_next(const uint8_t *data, uint32_t count, uint32_t *pos, struct p9_dirent *e);

/* Encoders: write a whole request into buf (cap bytes) and return its size,
 * or 0 if it does not fit (or a string is longer than 65535 bytes). */

uint32_t p9_tversion(uint8_t *buf, uint32_t cap, uint32_t msize, const char *version);
uint32_t p9_tattach(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint32_t afid,
		    const char *uname, const char *aname, uint32_t n_uname);
/* names: nwname strings (nwname <= P9_MAXWELEM), with their lengths. */
uint32_t p9_twalk(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint32_t newfid,
		  uint16_t nwname, const char *const *names, const uint16_t *lens);
uint32_t p9_tlopen(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint32_t flags);
uint32_t p9_tlcreate(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, const char *name,
		     uint32_t flags, uint32_t mode, uint32_t gid);
uint32_t p9_tread(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint64_t off,
		  uint32_t count);
/* The data is not copied: the caller sends buf (the returned header length,
 * P9_IOHDR - 1 bytes) followed by count bytes of data. Returns the header's
 * length; the size field counts the data too. */
uint32_t p9_twrite_hdr(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint64_t off,
		       uint32_t count);
uint32_t p9_tclunk(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid);
uint32_t p9_tgetattr(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint64_t mask);
uint32_t p9_tsetattr(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid,
		     const struct p9_setattr *a);
uint32_t p9_treaddir(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint64_t off,
		     uint32_t count);
uint32_t p9_tmkdir(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t dfid, const char *name,
		   uint32_t mode, uint32_t gid);
uint32_t p9_tunlinkat(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t dfid,
		      const char *name, uint32_t flags);
uint32_t p9_tlink(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t dfid, uint32_t fid,
		  const char *name);
uint32_t p9_trenameat(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t olddfid,
		      const char *oldname, uint32_t newdfid, const char *newname);
/* The older forms diod (1.0.24) answers instead of Trenameat/Tunlinkat:
 * Trename moves fid's file into dfid as name; Tremove removes fid's file
 * (file or empty directory) and clunks fid whatever the outcome. */
uint32_t p9_trename(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint32_t dfid,
		    const char *name);
uint32_t p9_tremove(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid);
uint32_t p9_tfsync(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint32_t datasync);
uint32_t p9_tlock(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint8_t type,
		  uint32_t flags, uint64_t start, uint64_t length, uint32_t proc_id,
		  const char *client_id);
uint32_t p9_tgetlock(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid, uint8_t type,
		     uint64_t start, uint64_t length, uint32_t proc_id, const char *client_id);
uint32_t p9_treadlink(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid);
uint32_t p9_tsymlink(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t dfid, const char *name,
		     const char *target, uint32_t gid);
uint32_t p9_tstatfs(uint8_t *buf, uint32_t cap, uint16_t tag, uint32_t fid);
uint32_t p9_tflush(uint8_t *buf, uint32_t cap, uint16_t tag, uint16_t oldtag);

#endif
