/* rstat.c - a remote file's struct statx (the proxy's reply) shown as the struct stat of stat, lstat, fstat and newfstatat. */
#include <asm/stat.h>
#include <linux/stat.h>
#include "online/core/rtlib.h"
#include "online/remote/rremote.h"

long k23_rr_put_stat(const void *p, unsigned long ustat)
{
	const struct statx *x = p;
	struct stat st;

	k23_memset(&st, 0, sizeof(st));
	st.st_dev = ((unsigned long)x->stx_dev_major << 8 & 0xfff00) | (x->stx_dev_minor & 0xff) |
		    ((unsigned long)x->stx_dev_minor << 12 & ~0xfffffUL) |
		    ((unsigned long)x->stx_dev_major << 32 & ~0xfffffffffffUL);
	st.st_ino = x->stx_ino;
	st.st_nlink = x->stx_nlink;
	st.st_mode = x->stx_mode;
	st.st_uid = x->stx_uid;
	st.st_gid = x->stx_gid;
	st.st_rdev = ((unsigned long)x->stx_rdev_major << 8 & 0xfff00) | (x->stx_rdev_minor & 0xff) |
		     ((unsigned long)x->stx_rdev_minor << 12 & ~0xfffffUL) |
		     ((unsigned long)x->stx_rdev_major << 32 & ~0xfffffffffffUL);
	st.st_size = (long)x->stx_size;
	st.st_blksize = x->stx_blksize;
	st.st_blocks = (long)x->stx_blocks;
	st.st_atime = (unsigned long)x->stx_atime.tv_sec;
	st.st_atime_nsec = x->stx_atime.tv_nsec;
	st.st_mtime = (unsigned long)x->stx_mtime.tv_sec;
	st.st_mtime_nsec = x->stx_mtime.tv_nsec;
	st.st_ctime = (unsigned long)x->stx_ctime.tv_sec;
	st.st_ctime_nsec = x->stx_ctime.tv_nsec;
	return k23_copy_to((void *)ustat, &st, sizeof(st));
}
