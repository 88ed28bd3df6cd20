/* pol_files.c - file rules in-process: deny rules inside granted trees, and (complain mode, a log) Landlock's grants.
 *
 * Each covered call lists its path operands: which argument is the dirfd,
 * which the path, how the kernel follows a final symlink, and whether the
 * call creates the name (then the parent is resolved and the name
 * appended). The open family is decided on the descriptor the kernel
 * returns (the object it actually reached; a denied one is closed and the
 * call fails), and before the call too when O_CREAT or O_TRUNC would change
 * something first. Calls covered: docs/policy.md, "The in-process layer".
 *
 * Access classes, for the grant check that stands in for Landlock when it
 * is not installed (complain mode) or to log what it refuses: R (read,
 * list, execute), W (anything that writes, creates or removes), M (stat,
 * access, readlink, chmod, chown: Landlock does not govern them; only deny
 * rules apply).
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include "online/core/rtlib.h"
#include "online/policy/pol_files.h"

enum follow { FOLLOW, NOFOLLOW, AT_FLAGS, LINK_FLAGS, CREATE };
enum cls { CLS_M, CLS_R, CLS_W };

struct operand {
	signed char dirfd, path, flags;	/* argument indexes; -1: AT_FDCWD / none */
	unsigned char follow, cls;
};
struct file_call {
	long nr;
	struct operand op[2];
};

#define OP(d, p, f, fo, c) { d, p, f, fo, c }
#define NONE { -1, -1, -1, 0, 0 }
static const struct file_call table[] = {
	{ __NR_execve, { OP(-1, 0, -1, FOLLOW, CLS_R), NONE } },
	{ __NR_execveat, { OP(0, 1, 4, AT_FLAGS, CLS_R), NONE } },
	{ __NR_stat, { OP(-1, 0, -1, FOLLOW, CLS_M), NONE } },
	{ __NR_lstat, { OP(-1, 0, -1, NOFOLLOW, CLS_M), NONE } },
	{ __NR_newfstatat, { OP(0, 1, 3, AT_FLAGS, CLS_M), NONE } },
	{ __NR_statx, { OP(0, 1, 2, AT_FLAGS, CLS_M), NONE } },
	{ __NR_access, { OP(-1, 0, -1, FOLLOW, CLS_M), NONE } },
	{ __NR_faccessat, { OP(0, 1, -1, FOLLOW, CLS_M), NONE } },
	{ __NR_faccessat2, { OP(0, 1, 3, AT_FLAGS, CLS_M), NONE } },
	{ __NR_readlink, { OP(-1, 0, -1, NOFOLLOW, CLS_M), NONE } },
	{ __NR_readlinkat, { OP(0, 1, -1, NOFOLLOW, CLS_M), NONE } },
	{ __NR_truncate, { OP(-1, 0, -1, FOLLOW, CLS_W), NONE } },
	{ __NR_unlink, { OP(-1, 0, -1, NOFOLLOW, CLS_W), NONE } },
	{ __NR_rmdir, { OP(-1, 0, -1, NOFOLLOW, CLS_W), NONE } },
	{ __NR_unlinkat, { OP(0, 1, -1, NOFOLLOW, CLS_W), NONE } },
	{ __NR_rename, { OP(-1, 0, -1, NOFOLLOW, CLS_W), OP(-1, 1, -1, CREATE, CLS_W) } },
	{ __NR_renameat, { OP(0, 1, -1, NOFOLLOW, CLS_W), OP(2, 3, -1, CREATE, CLS_W) } },
	{ __NR_renameat2, { OP(0, 1, -1, NOFOLLOW, CLS_W), OP(2, 3, -1, CREATE, CLS_W) } },
	{ __NR_link, { OP(-1, 0, -1, NOFOLLOW, CLS_W), OP(-1, 1, -1, CREATE, CLS_W) } },
	{ __NR_linkat, { OP(0, 1, 4, LINK_FLAGS, CLS_W), OP(2, 3, -1, CREATE, CLS_W) } },
	/* A symlink's target is only a string until something follows it,
	 * and whatever follows it is checked then: the new name is. */
	{ __NR_symlink, { OP(-1, 1, -1, CREATE, CLS_W), NONE } },
	{ __NR_symlinkat, { OP(1, 2, -1, CREATE, CLS_W), NONE } },
	{ __NR_chmod, { OP(-1, 0, -1, FOLLOW, CLS_M), NONE } },
	{ __NR_fchmodat, { OP(0, 1, -1, FOLLOW, CLS_M), NONE } },
	{ __NR_chown, { OP(-1, 0, -1, FOLLOW, CLS_M), NONE } },
	{ __NR_lchown, { OP(-1, 0, -1, NOFOLLOW, CLS_M), NONE } },
	{ __NR_fchownat, { OP(0, 1, 4, AT_FLAGS, CLS_M), NONE } },
	{ __NR_mkdir, { OP(-1, 0, -1, CREATE, CLS_W), NONE } },
	{ __NR_mkdirat, { OP(0, 1, -1, CREATE, CLS_W), NONE } },
	{ __NR_mknod, { OP(-1, 0, -1, CREATE, CLS_W), NONE } },
	{ __NR_mknodat, { OP(0, 1, -1, CREATE, CLS_W), NONE } },
};
#define NTABLE (int)(sizeof(table) / sizeof(table[0]))

static const struct file_call *entry(long nr)
{
	for (int i = 0; i < NTABLE; i++)
		if (table[i].nr == nr)
			return &table[i];
	return 0;
}

static int is_open(long nr)
{
	return nr == __NR_open || nr == __NR_openat || nr == __NR_openat2 || nr == __NR_creat ||
	       nr == __NR_open_by_handle_at;
}

static int wants(long nr)
{
	if (!k23_pol.b.h->n_deny && !(k23_pol.observe && k23_pol.b.h->handled_fs))
		return 0;
	return is_open(nr) || entry(nr) != 0;
}

/* Records the verdict for deny rule i (1: refuse now, c->ret set). */
static int deny_rule(struct k23_call *c, struct k23_pol_call *pc, int i)
{
	const struct k23_policy_deny *d = &k23_pol.b.deny[i];

	if (!k23_pol_verdict(pc, K23_POL_INPROCESS, d->err, d->rule, d->line,
			     k23_pol.b.strings + d->path_off))
		return 0;
	c->ret = -(long)d->err;
	return 1;
}

/* A grant is missing: the verdict (unless another layer's came first) and,
 * whatever the verdict, the object and the access a grant would need. */
static void not_granted(struct k23_pol_call *pc, int cls)
{
	k23_pol_verdict(pc, K23_POL_LANDLOCK, EACCES, 0, 0, "not granted");
	pc->v.path = pc->real;
	pc->v.access = cls == CLS_W ? 'w' : 'r';
}

static int observe_grants(int cls)
{
	return cls != CLS_M && k23_pol.observe && k23_pol.b.h->handled_fs;
}

/* The object at fd: a deny rule, or (observing) a missing grant. */
static int check_obj(struct k23_call *c, struct k23_pol_call *pc, long fd, int cls)
{
	int i;

	/* The kernel's path (a readlink in /proc, the costly part) only where
	 * identities do not suffice: trees, missing files, grants. */
	pc->real[0] = 0;
	if ((k23_pol.trees || observe_grants(cls)) &&
	    k23_pol_fd_path(fd, pc->real, sizeof(pc->real)) < 0)
		pc->real[0] = 0;
	if (k23_pol.b.h->n_deny && (i = k23_pol_denied_obj(fd, pc->real)) >= 0)
		return deny_rule(c, pc, i);
	if (observe_grants(cls) && pc->real[0] && !k23_pol_granted(pc->real, cls == CLS_W))
		not_granted(pc, cls);
	return 0;
}

/* A name to be created: its would-be kernel path. */
static int check_new(struct k23_call *c, struct k23_pol_call *pc, long dirfd, char *path, int cls)
{
	int i;

	if (k23_pol_new_path(dirfd, path, pc->real, sizeof(pc->real)) != 0)
		return 0; /* the kernel fails the call too (no parent), or it exists */
	if (k23_pol.b.h->n_deny && (i = k23_pol_denied_path(pc->real)) >= 0)
		return deny_rule(c, pc, i);
	if (observe_grants(cls) && !k23_pol_granted(pc->real, 1))
		not_granted(pc, CLS_W);
	return 0;
}

/* Copies argument ai's path into slot and points the call at the copy. */
static int take_path(struct k23_call *c, struct k23_pol_call *pc, int ai, int slot)
{
	long r = k23_pol_copy_path(pc->path[slot], (unsigned long)c->args[ai]);

	if (r) {
		c->ret = r; /* what the kernel answers for such a pointer */
		return 1;
	}
	c->args[ai] = (long)pc->path[slot];
	return 0;
}

static int check_operand(struct k23_call *c, struct k23_pol_call *pc, const struct operand *o, int slot)
{
	long dirfd = o->dirfd >= 0 ? (long)(int)c->args[o->dirfd] : AT_FDCWD, fd;
	long flags = o->flags >= 0 ? c->args[o->flags] : 0;
	char *path = pc->path[slot];
	int nofollow, r;

	if (take_path(c, pc, o->path, slot))
		return 1;
	switch (o->follow) {
	case NOFOLLOW: case CREATE: nofollow = 1; break;
	case AT_FLAGS: nofollow = (flags & AT_SYMLINK_NOFOLLOW) != 0; break;
	case LINK_FLAGS: nofollow = !(flags & AT_SYMLINK_FOLLOW); break;
	default: nofollow = 0;
	}
	if (!path[0]) {
		/* AT_EMPTY_PATH: the dirfd itself (else the kernel says ENOENT).
		 * Under complain mode a descriptor of a denied file exists only
		 * because its open (logged) was let through: what is done with
		 * it is not logged again, so the log lists what enforce denies. */
		if (!(flags & AT_EMPTY_PATH) || o->follow == CREATE || k23_pol.complain)
			return 0;
		return dirfd == AT_FDCWD ? 0 : check_obj(c, pc, dirfd, o->cls);
	}
	fd = k23_pol_probe(dirfd, path, nofollow, 0);
	if (fd >= 0) {
		r = check_obj(c, pc, fd, o->cls);
		k23_syscall1(__NR_close, fd);
		return r;
	}
	if (o->follow == CREATE && fd == -ENOENT)
		return check_new(c, pc, dirfd, path, o->cls);
	return 0; /* the kernel will fail the call as the probe did */
}

/* open, openat, openat2, creat: the flags, and the path argument. */
static long open_flags(const struct k23_call *c, int *ai, int *di)
{
	switch (c->nr) {
	case __NR_open: *ai = 0, *di = -1; return c->args[1];
	case __NR_creat: *ai = 0, *di = -1; return O_CREAT | O_WRONLY | O_TRUNC;
	case __NR_openat: *ai = 1, *di = 0; return c->args[2];
	}
	*ai = 1, *di = 0;
	return -1; /* openat2: from the copied struct open_how */
}

/* What an open with these flags needs from a grant. */
static int cls_of(long flags)
{
	if (flags & O_PATH)
		return CLS_M; /* opens nothing: Landlock does not check it */
	return (flags & (O_ACCMODE | O_TRUNC | O_CREAT)) ? CLS_W : CLS_R;
}

static int check_open(struct k23_call *c, struct k23_pol_call *pc)
{
	const uint64_t *resolve = 0;
	int ai, di, pre;
	long flags = open_flags(c, &ai, &di), dirfd, fd;

	pc->post = 1; /* the descriptor the kernel returns is checked */
	if (c->nr == __NR_open_by_handle_at)
		return 0;
	if (c->nr == __NR_openat2) {
		/* The copy is what the kernel reads; other sizes pass as given
		 * (the kernel refuses what it does not know). */
		if ((unsigned long)c->args[3] != sizeof(pc->how) ||
		    k23_copy_from(pc->how, (const void *)c->args[2], sizeof(pc->how))) {
			if (k23_copy_from(pc->how, (const void *)c->args[2], 8))
				pc->how[0] = 0;
			return 0;
		}
		c->args[2] = (long)pc->how;
		flags = (long)pc->how[0];
		resolve = &pc->how[2];
	}
	/* Before the call: when O_CREAT or O_TRUNC would change something
	 * first; and to name what Landlock will refuse (a refused open
	 * returns no descriptor to look at). */
	pre = ((flags & (O_CREAT | O_TRUNC)) && k23_pol.b.h->n_deny) ||
	      (observe_grants(cls_of(flags)) && !k23_pol.complain);
	/* Without a check before the call, the path is not copied either:
	 * whatever another thread makes it name, the descriptor the kernel
	 * returns is what is checked (and it costs two system calls). */
	if (!pre)
		return 0;
	if (take_path(c, pc, ai, 0))
		return 1;
	dirfd = di >= 0 ? (long)(int)c->args[di] : AT_FDCWD;
	fd = k23_pol_probe(dirfd, pc->path[0], (flags & O_NOFOLLOW) != 0, resolve);
	if (fd >= 0) {
		int r = check_obj(c, pc, fd, cls_of(flags));

		k23_syscall1(__NR_close, fd);
		return r;
	}
	if ((flags & O_CREAT) && fd == -ENOENT)
		return check_new(c, pc, dirfd, pc->path[0], CLS_W);
	return 0;
}

static int check(struct k23_call *c, struct k23_pol_call *pc)
{
	const struct file_call *f;

	if (is_open(c->nr))
		return check_open(c, pc);
	f = entry(c->nr);
	for (int i = 0; f && i < 2 && f->op[i].path >= 0; i++)
		if (check_operand(c, pc, &f->op[i], i))
			return 1;
	return 0;
}

/* The descriptor an open returned: the object the kernel reached. */
static void after(struct k23_call *c, struct k23_pol_call *pc)
{
	long flags, fd = c->ret;
	int ai, di, cls;

	if (!is_open(c->nr) || k23_is_error(fd) || fd < 0)
		return;
	flags = c->nr == __NR_openat2 ? (long)pc->how[0] : open_flags(c, &ai, &di);
	if (c->nr == __NR_open_by_handle_at)
		flags = c->args[2];
	cls = cls_of(flags);
	if (check_obj(c, pc, fd, cls) && !k23_pol.complain) {
		k23_syscall1(__NR_close, fd);
		c->ret = -(long)pc->v.err;
	}
}

const struct k23_pol_checker k23_pol_files = { "files", wants, check, after };
