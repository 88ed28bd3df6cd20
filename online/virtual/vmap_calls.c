/* vmap_calls.c - path maps on the calls that take paths: each operand's name rewritten, and read-only maps' EROFS.
 *
 * A row's arg[] names the operands (dirfd, path; a second dirfd, path; -1:
 * none, or AT_FDCWD for the dirfd) and kind what each does to its object
 * (low nibble: the first operand, high: the second). The name the program
 * passed is copied into the frame, resolved there (vmap.c), and the call's
 * argument pointed at the frame's copy only when the name changes: an
 * unmapped name reaches the kernel as the program passed it.
 *
 * A read-only map answers EROFS where a read-only mount would: for a call
 * that would change what lies there. Where the kernel fails the call
 * anyway without changing anything (a missing file to change, an existing
 * name to create), the call is left to it, for its own errno.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include "online/core/rtlib.h"
#include "online/virtual/vmap.h"
#include "online/virtual/vmap_calls.h"
#include "online/virtual/vmem.h"

/* Copies the name at src (program memory) into dst: 0, or -errno as the
 * kernel would answer (EFAULT, ENAMETOOLONG). */
static long copy_name(char *dst, unsigned long src)
{
	return k23_vmem_copy_name(dst, src, K23_VIRT_PATH_MAX);
}

static int exists(const char *real)
{
	return k23_syscall4(__NR_faccessat2, AT_FDCWD, (long)real, 0 /* F_OK */, AT_SYMLINK_NOFOLLOW) == 0;
}

/* open's flags, or -1 (openat2: its struct open_how's, read here). */
static long open_flags(const struct k23_call *c)
{
	uint64_t flags;

	switch (c->nr) {
	case __NR_open: return c->args[1];
	case __NR_creat: return O_CREAT | O_WRONLY | O_TRUNC;
	case __NR_openat: return c->args[2];
	case __NR_openat2:
		if (k23_copy_from(&flags, (const void *)c->args[2], sizeof(flags)))
			return -1;
		return (long)flags;
	}
	return -1;
}

/* 1 if kind's change of real, in a read-only map, is EROFS. */
static int refused(const struct k23_call *c, int kind, const char *real)
{
	long flags;
	int writes;

	switch (kind) {
	case VK_LOOK:
		return 0;
	case VK_OPEN:
		if ((flags = open_flags(c)) < 0)
			return 0; /* the kernel answers EFAULT */
		writes = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
		if (flags & O_CREAT)
			return !exists(real) || (writes && !(flags & O_EXCL));
		return writes && exists(real);
	case VK_CREATE:
		return !exists(real); /* an existing name: EEXIST, from the kernel */
	case VK_CHANGE:
		return exists(real); /* a missing one: ENOENT, from the kernel */
	default:
		return 1;
	}
}

int k23_vmap_take(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	(void)c, (void)r;
	k23_virt_take(vc);
	return 0;
}

#define NOFOLLOW_ 0x100		/* AT_SYMLINK_NOFOLLOW */
#define FOLLOW_ 0x400		/* AT_SYMLINK_FOLLOW */

/* 1 if operand op's final symlink is not followed by the call. */
static int nofollow(const struct k23_call *c, int op)
{
	long f;

	switch (c->nr) {
	case __NR_lstat: case __NR_readlink: case __NR_readlinkat: case __NR_unlink:
	case __NR_unlinkat: case __NR_rmdir: case __NR_rename: case __NR_renameat:
	case __NR_renameat2: case __NR_lgetxattr: case __NR_llistxattr: case __NR_lsetxattr:
	case __NR_lremovexattr: case __NR_lchown: case __NR_symlink: case __NR_symlinkat:
	case __NR_mkdir: case __NR_mkdirat: case __NR_mknod: case __NR_mknodat: case __NR_link:
		return 1;
	case __NR_linkat: return op || !(c->args[4] & FOLLOW_);
	case __NR_newfstatat: case __NR_faccessat2: case __NR_utimensat:
		return (c->args[3] & NOFOLLOW_) != 0;
	case __NR_statx: return (c->args[2] & NOFOLLOW_) != 0;
	case __NR_fchownat: case __NR_execveat: return (c->args[4] & NOFOLLOW_) != 0;
	case __NR_open: case __NR_openat: case __NR_openat2: case __NR_creat:
		f = open_flags(c);
		return f >= 0 && ((f & O_NOFOLLOW) || (f & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL));
	}
	return 0;
}

/* vc->state[0]: per operand op, bit 2*op: its name was rewritten; bit
 * 2*op+1: it was relative and left to the kernel (k23_vmap_again looks
 * at both). state[1]: the call was made again once. */
int k23_vmap_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	vc->state[0] = vc->state[1] = 0;
	for (int op = 0; op < 2; op++) {
		int di = r->arg[2 * op], pi = r->arg[2 * op + 1], ro, res;
		int kind = op ? r->kind >> 4 : r->kind & 15;
		long dirfd;
		char *buf = vc->path[op];

		if (pi < 0 || !c->args[pi] || !buf)
			continue;
		if (copy_name(buf, (unsigned long)c->args[pi]))
			continue; /* the kernel answers as it would */
		dirfd = di < 0 ? AT_FDCWD : (long)(int)c->args[di];
		if (kind & VK_EXACT) {
			res = buf[0] ? (int)k23_vmap_walk(dirfd, buf, nofollow(c, op), buf) : VMAP_SAME;
			ro = res == VMAP_MAPPED && k23_vmap_in_ro(buf);
		} else {
			res = k23_vmap_resolve(dirfd, buf, &ro);
		}
		if (res < 0) {
			c->ret = res;
			return 1;
		}
		if (res == VMAP_SAME) {
			if (buf[0] && buf[0] != '/')
				vc->state[0] |= 2L << (2 * op);
			continue;
		}
		if (ro && refused(c, kind & 7, buf)) {
			c->ret = -EROFS;
			return 1;
		}
		c->args[pi] = (long)buf;
		vc->state[0] |= 1L << (2 * op);
	}
	if (vc->state[0] || r->after)
		k23_virt_take(vc);
	return 0;
}

int k23_vmap_again(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	char *tmp;
	int changed = 0;

	if (vc->state[1] || !vc->state[0] ||
	    (c->ret != -ENOENT && c->ret != -ENOTDIR && c->ret != -ELOOP))
		return 0;
	vc->state[1] = 1;
	if (!(tmp = k23_map_anon(K23_VIRT_PATH_MAX)))
		return 0;
	for (int op = 0; op < 2; op++) {
		int di = r->arg[2 * op], pi = r->arg[2 * op + 1];
		int kind = op ? r->kind >> 4 : r->kind & 15;
		long dirfd = di < 0 ? AT_FDCWD : (long)(int)c->args[di];

		if (!(vc->state[0] & (3L << (2 * op))) || copy_name(tmp, (unsigned long)vc->args[pi]) ||
		    k23_vmap_walk(dirfd, tmp, nofollow(c, op), tmp) != VMAP_MAPPED ||
		    ((vc->state[0] & (1L << (2 * op))) && !k23_strcmp(tmp, vc->path[op])))
			continue;
		if (k23_vmap_in_ro(tmp) && refused(c, kind & 7, tmp)) {
			c->ret = -EROFS;
			changed = 0;
			break;
		}
		k23_memcpy(vc->path[op], tmp, k23_strlen(tmp) + 1);
		c->args[pi] = (long)vc->path[op];
		changed = 1;
	}
	k23_unmap(tmp, K23_VIRT_PATH_MAX);
	return changed;
}
