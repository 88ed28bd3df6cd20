/* convert.c - server data (9P replies) into the records the program reads.
 *
 * Kept apart from the proxy's I/O so the fuzzer (tests/fuzz/fuzz_ninep.c)
 * can drive it with hostile replies: every length comes from the server and
 * is checked against both the reply and the output buffer.
 */
#include <string.h>
#include <linux/stat.h>
#include "remote/convert.h"

struct dirent64_hdr {		/* struct linux_dirent64 without its name */
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
} __attribute__((packed));

long k23_rconv_dirents(const uint8_t *data, uint32_t count, uint8_t *out, uint32_t cap,
		       uint64_t *last)
{
	uint32_t pos = 0, used = 0;
	struct p9_dirent e;
	int rc;

	while ((rc = p9_dirent_next(data, count, &pos, &e)) == 1) {
		uint32_t len = (uint32_t)sizeof(struct dirent64_hdr) + e.name.len + 1;
		uint32_t rec = (len + 7) & ~7u;
		struct dirent64_hdr h;

		/* A name with a NUL or a '/' in it cannot be a file name. */
		if (!e.name.len || memchr(e.name.s, 0, e.name.len) || memchr(e.name.s, '/', e.name.len))
			return -1;
		if (cap - used < rec)
			return used ? (long)used : -2;
		h.d_ino = e.qid.path;
		h.d_off = (int64_t)e.offset;
		h.d_reclen = (uint16_t)rec;
		h.d_type = e.type;
		memcpy(out + used, &h, sizeof(h));
		memcpy(out + used + sizeof(h), e.name.s, e.name.len);
		memset(out + used + sizeof(h) + e.name.len, 0, rec - sizeof(h) - e.name.len);
		used += rec;
		*last = e.offset;
	}
	return rc < 0 ? -1 : (long)used;
}

void k23_rconv_statx(const struct p9_attr *a, void *out, uint32_t dev_major,
		     uint32_t dev_minor)
{
	struct statx *st = out;

	memset(st, 0, sizeof(*st));
	st->stx_mask = STATX_BASIC_STATS;
	st->stx_blksize = (uint32_t)a->blksize;
	st->stx_nlink = (uint32_t)a->nlink;
	st->stx_uid = a->uid;
	st->stx_gid = a->gid;
	st->stx_mode = (uint16_t)a->mode;
	st->stx_ino = a->qid.path;
	st->stx_size = a->size;
	st->stx_blocks = a->blocks;
	st->stx_atime.tv_sec = (int64_t)a->atime_sec;
	st->stx_atime.tv_nsec = (uint32_t)a->atime_nsec;
	st->stx_mtime.tv_sec = (int64_t)a->mtime_sec;
	st->stx_mtime.tv_nsec = (uint32_t)a->mtime_nsec;
	st->stx_ctime.tv_sec = (int64_t)a->ctime_sec;
	st->stx_ctime.tv_nsec = (uint32_t)a->ctime_nsec;
	if (a->valid & P9_GETATTR_BTIME) {
		st->stx_mask |= STATX_BTIME;
		st->stx_btime.tv_sec = (int64_t)a->btime_sec;
		st->stx_btime.tv_nsec = (uint32_t)a->btime_nsec;
	}
	st->stx_rdev_major = (uint32_t)((a->rdev >> 8) & 0xfff) | (uint32_t)((a->rdev >> 32) & ~0xfffu);
	st->stx_rdev_minor = (uint32_t)(a->rdev & 0xff) | (uint32_t)((a->rdev >> 12) & ~0xffu);
	st->stx_dev_major = dev_major;
	st->stx_dev_minor = dev_minor;
}

int k23_rconv_errno(uint32_t ecode)
{
	return ecode >= 1 && ecode < 4096 ? (int)ecode : 5 /* EIO */;
}
