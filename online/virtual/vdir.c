/* vdir.c - getdents64 lists synthesized files in their directory, once.
 *
 * When a directory holding synthesized files is read from its start
 * (position 0), the kernel is given a buffer shortened by the room their
 * entries take, and they are appended after its first batch, each with the
 * d_off of the batch's last entry. The position is the kernel's alone, so
 * nothing is kept between calls: a rewind lists them again, a read from
 * elsewhere does not. A name that exists on disk is listed by the kernel
 * and not added (an open of it reaches the synthesized file). A buffer too
 * small for the entries and the directory's first one gets EINVAL, as the
 * kernel answers a buffer too small for one entry.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/stat.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include "online/core/rtlib.h"
#include "online/virtual/vfile.h"

struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};
#define DT_REG_ 8

static unsigned long reclen(const char *name)
{
	return (19 + k23_strlen(name) + 1 + 7) & ~7UL;
}

/* 1 if synthesized file i is to be listed in the directory open as fd
 * with identity st (not on disk under its name). */
static int listed(long fd, const struct stat *dir, uint32_t i)
{
	struct stat st;

	return k23_vfile_in_dir(i, dir->st_dev, dir->st_ino) &&
	       k23_syscall4(__NR_newfstatat, fd, (long)k23_vfile_base(i), (long)&st,
			    AT_SYMLINK_NOFOLLOW) == -ENOENT;
}

/* vc->state: [0] the room the synthesized entries take (0: none to add). */
int k23_vdir_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	unsigned long room = 0;
	struct stat st;

	if (k23_syscall2(__NR_fstat, c->args[0], (long)&st) || (st.st_mode & S_IFMT) != S_IFDIR)
		return 0;
	for (uint32_t i = 0; i < k23_vfile_blob->h->n_synth; i++)
		if (k23_vfile_in_dir(i, st.st_dev, st.st_ino))
			room = 1;
	if (!room || k23_syscall3(__NR_lseek, c->args[0], 0, 1 /* SEEK_CUR */) != 0)
		return 0;
	room = 0;
	for (uint32_t i = 0; i < k23_vfile_blob->h->n_synth; i++)
		if (listed(c->args[0], &st, i))
			room += reclen(k23_vfile_base(i));
	if (!room)
		return 0;
	if ((unsigned long)c->args[2] < room) {
		c->ret = -EINVAL;
		return 1;
	}
	(void)r;
	c->args[2] -= (long)room; /* given back by k23_virt_after */
	vc->state[0] = (long)room;
	k23_virt_take(vc);
	return 0;
}

void k23_vdir_after(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	char *buf = (char *)c->args[1];
	unsigned long n = (unsigned long)c->ret, off = 0, room = (unsigned long)vc->state[0];
	int64_t last = 0;
	struct stat st;

	/* 0: a removed directory, which lists nothing. */
	(void)r;
	if (k23_is_error(c->ret) || !c->ret ||
	    k23_syscall2(__NR_fstat, c->args[0], (long)&st))
		return;
	/* The kernel has just written these entries: the memory is there. */
	while (off < n) {
		struct dirent64 *d = (struct dirent64 *)(buf + off);

		last = d->d_off;
		off += d->d_reclen;
	}
	for (uint32_t i = 0; i < k23_vfile_blob->h->n_synth; i++) {
		const char *name = k23_vfile_base(i);
		unsigned long len = reclen(name), nl = k23_strlen(name);
		struct dirent64 *d = (struct dirent64 *)(buf + n);

		if (len > room || !listed(c->args[0], &st, i))
			continue;
		k23_memset(d, 0, len);
		d->d_ino = 0x6b32330000000000UL + i + 1; /* not 0: some readers skip those */
		d->d_off = last;
		d->d_reclen = (unsigned short)len;
		d->d_type = DT_REG_;
		k23_memcpy(d->d_name, name, nl);
		n += len;
		room -= len;
	}
	c->ret = (long)n;
}
