/* rcwd.c - a working directory in a remote tree: chdir, fchdir and getcwd, relative names from it, and its way across execve.
 *
 * The kernel cannot hold a working directory it has never seen, so k23
 * keeps it (k23_rr_cwd: the program's own name of the directory, normal)
 * and answers getcwd from it; rpath.c makes every relative name of a
 * served call absolute from it. A local working directory's name is
 * kept too (read with getcwd after each change), for a relative name
 * from it may lead into a remote tree ("data/x" from data's parent). The kernel's own working directory is
 * moved meanwhile to /proc/PROXY/fdinfo (the proxy's: it lives as long as
 * the tree), where a relative name of a call k23 does not serve finds
 * nothing rather than some unrelated local file, and which tells a new
 * image that its working directory is remote: before an execve the
 * process leaves it with the proxy (K23_RC_CWD, by pid, which execve
 * keeps), and the new image takes it back at attach.
 *
 * The state is per process, as the working directory is: threads share
 * it, fork copies it. A vfork child that changes directory changes its
 * parent's copy too (docs/remote.md).
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include "online/core/rtlib.h"
#include "cold.h"
#include "online/remote/rremote.h"

K23_COLD struct k23_rr_cwd k23_rr_cwd;

/* "/proc/PID/fdinfo" of the proxy into buf (32 bytes). */
static void proxy_dir(char *buf)
{
	size_t n = 6;

	k23_memcpy(buf, "/proc/", 6);
	n += k23_utoa(k23_rr_chan ? k23_rr_chan->proxy_pid : 0, buf + n);
	k23_memcpy(buf + n, "/fdinfo", 8);
}

int k23_rr_cwd_join(const char *rel, char *out)
{
	size_t a, b;

	/* A local one is the kernel's, read again after each change. */
	if (!k23_rr_cwd.on && !k23_rr_cwd.known) {
		if (k23_syscall2(__NR_getcwd, (long)k23_rr_cwd.path, K23_VIRT_PATH_MAX) <= 0 ||
		    k23_rr_cwd.path[0] != '/')
			return 0;
		k23_rr_cwd.known = 1;
	}
	a = k23_strlen(k23_rr_cwd.path);
	b = k23_strlen(rel);
	if (a + b + 2 > K23_VIRT_PATH_MAX)
		return 0;
	k23_memcpy(out, k23_rr_cwd.path, a);
	out[a] = '/';
	k23_memcpy(out + a + 1, rel, b + 1);
	return 1;
}

long k23_rr_local_name(struct k23_call *c, struct k23_virt_call *vc, int i, int b, const char *name)
{
	size_t n = k23_strlen(name) + 1;

	if (!vc->path[b] || n > K23_VIRT_PATH_MAX)
		return -ENAMETOOLONG;
	k23_memcpy(vc->path[b], name, n);
	c->args[i] = (long)vc->path[b];
	return 0;
}

/* Into the remote directory `name` (the program's name, normal) of tree m,
 * whose path inside the tree is rel: it must be a directory. */
static long enter(uint32_t m, uint64_t h, const char *rel, const char *name)
{
	struct k23_chan_slot *s = k23_rr_begin(K23_RC_STAT, m, h);
	struct statx x;
	char pd[32];
	long r;

	if (!s)
		return -EIO;
	if (rel)	/* else the handle itself */
		k23_rr_put_path(s, rel);
	r = (long)k23_rr_send(&s);
	if (r >= 0)
		k23_memcpy(&x, s->payload, sizeof(x));
	k23_rr_end(s);
	if (r < 0)
		return r;
	if ((x.stx_mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	k23_memcpy(k23_rr_cwd.path, name, k23_strlen(name) + 1);
	k23_rr_cwd.mount = m;
	k23_rr_cwd.on = k23_rr_cwd.known = 1;
	proxy_dir(pd);
	k23_syscall1(__NR_chdir, (long)pd);	/* a hint for a new image; may be refused */
	return 0;
}

/* The program's name of (tree m, rel): the tree's path, then rel. */
static long name_of(uint32_t m, const char *rel, char *out)
{
	char tmp[K23_VIRT_PATH_MAX];
	const char *pre = k23_rr_chan->mounts[m].prefix;
	size_t a = k23_strlen(pre), b = k23_strlen(rel);

	if (a + b + 2 > K23_VIRT_PATH_MAX)
		return -ENAMETOOLONG;
	k23_memcpy(tmp, pre, a);
	tmp[a] = '/';
	k23_memcpy(tmp + a + 1, rel, b + 1);
	k23_rr_normal(tmp, out);
	if (!out[0])
		out[0] = '/', out[1] = 0;
	return 0;
}

static long do_chdir(struct k23_call *c, struct k23_virt_call *vc)
{
	char rel[K23_VIRT_PATH_MAX], name[K23_VIRT_PATH_MAX];
	uint32_t m;
	uint64_t h;
	int w = k23_rr_where(-100, (unsigned long)c->args[0], rel, &m, &h);
	long r;

	if (w == 1)
		return name_of(m, rel, name) ?: enter(m, 0, rel, name);
	if (w == 2 && (r = k23_rr_local_name(c, vc, 0, 0, rel)))
		return r;
	r = k23_syscall1(__NR_chdir, c->args[0]);
	if (!r)
		k23_rr_cwd.on = k23_rr_cwd.known = 0;
	return r;
}

static long do_fchdir(long fd)
{
	char rel[K23_VIRT_PATH_MAX], name[K23_VIRT_PATH_MAX];
	struct k23_chan_slot *s;
	struct k23_rfd f;
	long r;

	if (!k23_rr_fd(fd, &f)) {
		r = k23_syscall1(__NR_fchdir, fd);
		if (!r)
			k23_rr_cwd.on = k23_rr_cwd.known = 0;
		return r;
	}
	if (!(s = k23_rr_begin(K23_RC_PATH, f.mount, f.handle)))
		return -EIO;
	r = (long)k23_rr_send(&s);
	if (r >= 0 && r < K23_VIRT_PATH_MAX) {
		k23_memcpy(rel, s->payload, (size_t)r);
		rel[r] = 0;
	} else if (r >= 0) {
		r = -ENAMETOOLONG;
	}
	k23_rr_end(s);
	if (r < 0)
		return r;
	return name_of(f.mount, rel, name) ?: enter(f.mount, f.handle, 0, name);
}

static long do_getcwd(long ubuf, long size)
{
	size_t n = k23_strlen(k23_rr_cwd.path) + 1;

	if (!k23_rr_cwd.on)
		return 1;
	if ((unsigned long)size < n)
		return -ERANGE;
	return k23_copy_to((void *)ubuf, k23_rr_cwd.path, n) ? -EFAULT : (long)n;
}

int k23_rr_cwd_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	long ret;

	(void)r;
	switch (c->nr) {
	case __NR_chdir:
		ret = do_chdir(c, vc);
		break;
	case __NR_fchdir:
		ret = do_fchdir(c->args[0]);
		break;
	case __NR_getcwd:
		ret = do_getcwd(c->args[0], c->args[1]);
		break;
	default:
		return 0;
	}
	if (ret == 1)
		return 0;
	c->ret = ret;
	return 1;
}

void k23_rr_cwd_keep(void)
{
	size_t n = k23_strlen(k23_rr_cwd.path) + 1;
	struct k23_chan_slot *s;

	if (!k23_rr_cwd.on || n > k23_rr_chan->payload_max ||
	    !(s = k23_rr_begin(K23_RC_CWD, k23_rr_cwd.mount, 0)))
		return;
	s->args[0] = (uint64_t)k23_syscall0(__NR_getpid);
	k23_memcpy(s->payload, k23_rr_cwd.path, n);
	s->len = (uint32_t)n;
	k23_rr_send(&s);
	k23_rr_end(s);
}

void k23_rr_cwd_inherit(void)
{
	char pd[32], now[64];
	struct k23_chan_slot *s;
	long r;

	if (!k23_rr_chan)
		return;
	proxy_dir(pd);
	r = k23_syscall2(__NR_getcwd, (long)now, sizeof(now));
	if (r <= 0 || k23_strcmp(now, pd) || !(s = k23_rr_begin(K23_RC_CWD, 0, 0)))
		return;
	s->args[0] = (uint64_t)k23_syscall0(__NR_getpid);
	s->args[1] = 1;
	r = (long)k23_rr_send(&s);
	if (r > 0 && r < K23_VIRT_PATH_MAX) {
		k23_memcpy(k23_rr_cwd.path, s->payload, (size_t)r);
		k23_rr_cwd.path[r] = 0;
		for (uint32_t i = 0; i < k23_rr_chan->nmounts; i++) {
			const char *p = k23_rr_chan->mounts[i].prefix;
			size_t n = k23_strlen(p);

			if (k23_memeq(k23_rr_cwd.path, p, n) &&
			    (!k23_rr_cwd.path[n] || k23_rr_cwd.path[n] == '/')) {
				k23_rr_cwd.mount = i;
				k23_rr_cwd.on = k23_rr_cwd.known = 1;
			}
		}
	}
	k23_rr_end(s);
}
