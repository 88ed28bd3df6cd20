/* rcopy.c - a remote file as a local copy: mmap of a remote descriptor, execve of a program in a remote tree.
 *
 * Both read the whole file into a new memfd (close-to-open: the copy is
 * what the server held when the call was made; later writes by anyone are
 * not seen through the mapping). mmap then maps the memfd in the call's
 * place, sealed against writing, so a shared mapping stays read-only (a
 * shared writable mapping of a remote file fails with ENODEV: not served);
 * a private one may be written as natively. execve executes
 * /proc/self/fd/N of the memfd through k23's own exec path (which opens
 * the name it is given): the program's argv and environment are its own;
 * a #! script's memfd stays open across the execve, for the interpreter
 * reads the script by that name (docs/remote.md).
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/memfd.h>
#include <linux/stat.h>
#include "online/core/rtlib.h"
#include "online/remote/rremote.h"

/* Copies the file behind handle into a new memfd: the memfd or -errno. */
static long copy_handle(uint32_t mount, uint64_t handle, unsigned cloexec)
{
	long fd = k23_syscall2(__NR_memfd_create, (long)"k23-remote", (cloexec ? MFD_CLOEXEC : 0) |
			       MFD_ALLOW_SEALING);
	uint64_t off = 0;

	if (fd < 0)
		return fd;
	for (;;) {
		struct k23_chan_slot *s = k23_rr_begin(K23_RC_READ, mount, handle);
		long r;

		if (!s) {
			r = -EIO;
		} else {
			s->args[0] = off;
			s->args[1] = k23_rr_chan->payload_max;
			r = (long)k23_rr_send(&s);
			if (r > 0)
				r = k23_write_all((int)fd, (const char *)s->payload, (size_t)r) ?: r;
			k23_rr_end(s);
		}
		if (r < 0) {
			k23_syscall1(__NR_close, fd);
			return r;
		}
		if (!r)
			return fd;
		off += (uint64_t)r;
	}
}

static long seal(long fd)
{
	return k23_syscall3(__NR_fcntl, fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
}

int k23_rr_mmap_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	struct k23_rfd f;
	long m;

	(void)r;
	if ((c->args[3] & MAP_ANONYMOUS) || !k23_rr_maybe(c->args[4]) || !k23_rr_fd(c->args[4], &f))
		return 0;
	if ((f.flags & O_ACCMODE) == O_WRONLY || (f.flags & O_PATH)) {
		c->ret = -EACCES;
		return 1;
	}
	if ((c->args[3] & MAP_SHARED) && (c->args[2] & PROT_WRITE)) {
		c->ret = -ENODEV;
		return 1;
	}
	if ((m = copy_handle(f.mount, f.handle, 1)) < 0 || seal(m) < 0) {
		if (m >= 0)
			k23_syscall1(__NR_close, m);
		c->ret = m < 0 ? m : -EIO;
		return 1;
	}
	vc->state[2] = m;
	c->args[4] = m;
	k23_virt_take(vc);
	return 0;
}

int k23_rr_exec_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	char path[K23_VIRT_PATH_MAX], head[2];
	struct k23_chan_slot *s;
	uint32_t mt;
	uint64_t h, mode;
	int d = c->nr == __NR_execveat ? 0 : -1;
	long res, m;

	(void)r;
	k23_rr_cwd_keep();
	switch (k23_rr_where(d < 0 ? -100 : c->args[0], (unsigned long)c->args[d + 1], path, &mt, &h)) {
	case 0:
		return 0;
	case 2:	/* local, from a remote working directory */
		if ((res = k23_rr_local_name(c, vc, d + 1, 0, path))) {
			c->ret = res;
			return 1;
		}
		return 0;
	}
	if (!(s = k23_rr_begin(K23_RC_OPEN, mt, h))) {
		c->ret = -EIO;
		return 1;
	}
	k23_rr_put_path(s, path);
	s->args[0] = O_RDONLY;
	res = (long)k23_rr_send(&s);
	mode = res >= 0 ? s->args[1] : 0;
	k23_rr_end(s);
	if (res < 0) {
		c->ret = res;
		return 1;
	}
	/* No placeholder: the handle is closed when the copy is made. */
	if ((s = k23_rr_begin(K23_RC_PLACED, mt, (uint64_t)res))) {
		s->args[0] = 1;
		k23_rr_send(&s);
		k23_rr_end(s);
	}
	m = S_ISREG(mode) && (mode & 0111) ? copy_handle(mt, (uint64_t)res, 1) : -EACCES;
	if ((s = k23_rr_begin(K23_RC_CLOSE, mt, (uint64_t)res))) {
		k23_rr_send(&s);
		k23_rr_end(s);
	}
	if (m >= 0 && k23_syscall4(__NR_pread64, m, (long)head, 2, 0) == 2 && head[0] == '#' && head[1] == '!')
		k23_syscall3(__NR_fcntl, m, F_SETFD, 0); /* the interpreter opens it */
	if (m < 0 || k23_syscall2(__NR_fchmod, m, (long)(mode & 07777)) < 0 || seal(m) < 0) {
		if (m >= 0)
			k23_syscall1(__NR_close, m);
		c->ret = m < 0 ? m : -EIO;
		return 1;
	}
	k23_memcpy(vc->path[0], "/proc/self/fd/", 14);
	k23_utoa((unsigned long)m, vc->path[0] + 14);
	vc->state[2] = m;
	if (d == 0)
		c->args[0] = -100;
	c->args[d + 1] = (long)vc->path[0];
	k23_virt_take(vc);
	return 0;
}

/* mmap and a failed execve: the memfd is the mapping's now, or not needed. */
void k23_rr_exec_after(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	(void)c, (void)r;
	k23_syscall1(__NR_close, vc->state[2]);
}
