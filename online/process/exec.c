/* exec.c - execve and execveat: the new program is loaded by k23 again, interposed from its first instruction.
 *
 * The kernel would start the new image with k23's SIGSYS handler gone and its
 * seccomp filter still in force, so the first call of ld.so would kill the
 * process. Instead k23 checks what the kernel would check (so failures come
 * back to the program as the same errors), opens the file, and executes
 * itself with the program's argv and environment (reexec.c), handing over
 * the opened file and the name the kernel would have put in AT_EXECFN.
 * k23's code sits at the same address in the new image, so the inherited
 * filter lets its start-up through.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/fcntl.h>
#include <asm/stat.h>
#include <linux/stat.h>
#include <linux/fcntl.h>
#include <linux/signal.h>
#include <elf.h>
#include "k23/compat.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/process/reexec.h"
#include "online/guard/fdguard.h"
#include "online/dispatch/dispatch.h"
#include "online/signals/signals.h"
#include "online/core/thread.h"
#include "online/process/exec.h"
#include "online/arch/x86_64/call_layout.h"
#include "rt/shebang.h"

/* A SIGSYS the program sent itself while it had it blocked waits in k23
 * (signals.c), since the kernel never blocks SIGSYS for it. Natively it
 * would stay pending across execve: just before the exec, with SIGSYS
 * blocked in the kernel's mask, it is queued to this thread again with
 * its siginfo, so the kernel carries it; the new image's k23 takes it back
 * into its own view as it starts (its handler finds it blocked in the
 * program's view: signals.c). Returns 1 if it was queued. */
static int carry_pending_sigsys(struct k23_thread *th)
{
	if (!th->sigsys_pending)
		return 0;
	if (k23_syscall4(__NR_rt_tgsigqueueinfo, k23_syscall0(__NR_getpid),
			 k23_tid(), SIGSYS, (long)&th->pending_si))
		return 0;
	th->sigsys_pending = 0;
	return 1;
}

/* The exec failed: the SIGSYS queued above is taken back into k23's view,
 * before SIGSYS is unblocked in the kernel's mask again. */
static void keep_pending_sigsys(struct k23_thread *th)
{
	k23_sigset_t sigsys = K23_SIGBIT(SIGSYS);
	struct { long sec, nsec; } now = { 0, 0 };

	if (k23_syscall4(__NR_rt_sigtimedwait, (long)&sigsys, (long)&th->pending_si,
			       (long)&now, sizeof(sigsys)) == SIGSYS)
		th->sigsys_pending = 1;
}

struct target {
	long nr;		/* execve or execveat */
	int dirfd;
	const char *path;
	int flags;		/* AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW */
	char *const *argv;
	char *const *envp;
};

/* An argv the kernel cannot read: execveat fails with EFAULT when it counts
 * the arguments, right after opening the file, before anything changes. */
#define UNREADABLE_ARGV (-4096L)

/* The kernel's own verdict on opening the file for execution, errno for
 * errno: the dirfd, flags and path (EBADF, EINVAL, ENOTDIR, ENOENT, ELOOP),
 * search and execute permission, noexec mounts, a file that is not regular,
 * a file someone holds open for writing (ETXTBSY), the process limit. Made
 * with the call the program made (nr), so a seccomp policy that refuses
 * that call refuses it here, as it would natively. */
static long kernel_open_check(long nr, int dirfd, const char *path, int flags)
{
	/* From the instruction k23 makes the program's calls with: a seccomp
	 * filter of the program's own judges it (own_filter.c). */
	struct k23_call probe = { .nr = nr };
	long r;

	if (nr == __NR_execve) {
		probe.args[0] = (long)path;
		probe.args[1] = UNREADABLE_ARGV;
	} else {
		probe.args[0] = dirfd;
		probe.args[1] = (long)path;
		probe.args[2] = UNREADABLE_ARGV;
		probe.args[4] = flags;
	}
	r = k23_call_raw(&probe);
	return r == -EFAULT ? 0 : r;
}

static long open_target(const struct target *t)
{
	/* Not close-on-exec: the next image loads it (reexec.c). */
	int oflags = O_RDONLY | ((t->flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0);

	if ((t->flags & AT_EMPTY_PATH) && !t->path[0]) {
		/* The calling thread's table: not /proc/self's (the leader's),
		 * which a thread with a table of its own does not share. */
		char proc[48] = "/proc/thread-self/fd/";

		k23_utoa((unsigned long)t->dirfd, proc + 21);
		return k23_syscall3(__NR_open, (long)proc, O_RDONLY, 0);
	}
	return k23_syscall4(__NR_openat, t->dirfd, (long)t->path, oflags, 0);
}

static long check_format(int fd, int depth);

/* A #! file: the kernel's split of the line (common/rt/shebang.c), then the
 * interpreter as the kernel opens and judges it. */
static long check_script(const char *head, long n, int depth)
{
	struct k23_shebang sb;
	long r = k23_shebang_parse(&sb, head, n), fd;

	if (r)
		return r;
	r = kernel_open_check(__NR_execve, AT_FDCWD, sb.interp, 0);
	if (r)
		return r;
	fd = k23_syscall3(__NR_open, (long)sb.interp, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	r = check_format((int)fd, depth + 1);
	k23_syscall1(__NR_close, fd);
	return r;
}

/* The first bytes of the file, read once: the kernel's 256 for a #! line,
 * and for most ELF files their program headers and PT_INTERP's path too. */
#define EXEC_HEAD 1024

/* n bytes at off, from the head when it holds them, else from the file. */
static int read_at(int fd, const char *head, long have, void *buf, unsigned long n,
		   unsigned long off)
{
	if (off < (unsigned long)have && (unsigned long)have - off >= n) {
		k23_memcpy(buf, head + off, n);
		return 0;
	}
	return k23_syscall4(__NR_pread64, fd, (long)buf, (long)n, (long)off) == (long)n ? 0 : -1;
}

/* The kernel opens an ELF's PT_INTERP (ld.so) before the point of no
 * return: a missing or unusable one fails the execve with its errno
 * (ENOENT for a program built for another libc, say); a malformed entry
 * is ENOEXEC. */
static long check_elf_interp(int fd, const char *head, long have)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)head;
	char path[4096];
	Elf64_Phdr ph;

	if (eh->e_phentsize != sizeof(ph))
		return -ENOEXEC;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (read_at(fd, head, have, &ph, sizeof(ph), eh->e_phoff + i * sizeof(ph)))
			return -EIO;
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz < 2 || ph.p_filesz > sizeof(path) ||
		    read_at(fd, head, have, path, ph.p_filesz, ph.p_offset) || path[ph.p_filesz - 1])
			return -ENOEXEC;
		return kernel_open_check(__NR_execve, AT_FDCWD, path, 0);
	}
	return 0;
}

/* What the kernel's format search would say: ELF64 x86-64 or #!, else
 * ENOEXEC; ELOOP past the kernel's nesting of interpreters. */
static long check_format(int fd, int depth)
{
	char head[EXEC_HEAD] __attribute__((aligned(8)));
	long n;

	if (depth > K23_EXEC_MAX_DEPTH)
		return -ELOOP;
	n = k23_syscall4(__NR_pread64, fd, (long)head, sizeof(head), 0);
	if (n < 0)
		return n;
	if (n >= 2 && head[0] == '#' && head[1] == '!')
		return check_script(head, n < K23_SHEBANG_BUF ? n : K23_SHEBANG_BUF, depth);
	if (n < 64 || k23_strncmp(head, "\177ELF", 4) != 0)
		return -ENOEXEC;
	if (head[4] != 2 /* ELFCLASS64 */ || head[5] != 1 /* little endian */)
		return -ENOEXEC;
	if (*(unsigned short *)(head + 18) != 62 /* EM_X86_64 */)
		return -ENOEXEC;
	if (*(unsigned short *)(head + 16) != 2 && *(unsigned short *)(head + 16) != 3)
		return -ENOEXEC;
	return check_elf_interp(fd, head, n);
}

/* Executed through a descriptor rather than a name (fexecve and the like). */
static int by_fd(const struct target *t)
{
	const char *p = t->path;

	return ((t->flags & AT_EMPTY_PATH) && !p[0]) || !k23_strncmp(p, "/dev/fd/", 8) ||
	       !k23_strncmp(p, "/proc/self/fd/", 14) || !k23_strncmp(p, "/proc/thread-self/fd/", 21);
}

/* Opens the target the way execve would judge it; returns the fd or -errno. */
static long open_checked(const struct target *t)
{
	struct stat st;
	long fd, r;

	r = kernel_open_check(t->nr, t->dirfd, t->path, t->flags);
	if (r)
		return r;
	fd = open_target(t);
	if (fd < 0)
		return fd;
	r = k23_syscall2(__NR_fstat, fd, (long)&st);
	if (!r && !S_ISREG(st.st_mode))
		r = -EACCES;
	if (!r)
		fd = k23_exec_own_image(fd, &st, t->path, by_fd(t));
	if (!r && fd >= 0)
		r = check_format((int)fd, 0);
	if (r && fd >= 0)
		k23_syscall1(__NR_close, fd);
	return r ? r : fd;
}

/* AT_EXECFN as the kernel builds it for execveat. */
static size_t execfn(const struct target *t, char *buf, size_t size)
{
	size_t n, len = k23_strlen(t->path);

	if (t->dirfd == AT_FDCWD || t->path[0] == '/') {
		if (len >= size)
			return 0;
		k23_memcpy(buf, t->path, len + 1);
		return len;
	}
	k23_memcpy(buf, "/dev/fd/", 8);
	n = 8 + k23_utoa((unsigned long)t->dirfd, buf + 8);
	if (!len)
		return n;
	if (n + 1 + len >= size)
		return 0;
	buf[n++] = '/';
	k23_memcpy(buf + n, t->path, len + 1);
	return n + len;
}

static long reexec(const struct target *t, long fd)
{
	char fn[4096 + 32];

	if (!execfn(t, fn, sizeof(fn)))
		return -ENAMETOOLONG;
	return k23_reexec((int)fd, fn, t->argv, t->envp);
}

void k23_do_exec(struct k23_call *c)
{
	struct target t;
	struct k23_thread *th;
	long fd;
	int queued = 0;

	t.nr = c->nr;
	if (c->nr == __NR_execve) {
		t.dirfd = AT_FDCWD;
		t.path = (const char *)c->args[0];
		t.argv = (char *const *)c->args[1];
		t.envp = (char *const *)c->args[2];
		t.flags = 0;
	} else {
		t.dirfd = (int)c->args[0];
		t.path = (const char *)c->args[1];
		t.argv = (char *const *)c->args[2];
		t.envp = (char *const *)c->args[3];
		t.flags = (int)c->args[4];
	}
	if (!t.path) {
		c->ret = -EFAULT;
		k23_report(c);
		return;
	}
	fd = open_checked(&t);
	if (fd == -EMFILE) {
		/* The kernel needs no descriptor to execute a file; k23 does: it
		 * takes one above the program's limit (fdguard.c). */
		struct k23_fd_room room;

		k23_fd_room_begin(&room, 8);
		fd = open_checked(&t);
		k23_fd_room_end(&room);
	}
	if (fd < 0) {
		c->ret = fd;
		k23_report(c);
		return;
	}
	/* From here the exec cannot fail for reasons the program could see
	 * natively; report it as the success it will be. */
	c->ret = 0;
	k23_report(c);
	/* The mask survives execve: the new image must get the program's,
	 * not the one k23 holds signals back with, SIGSYS included: the
	 * kernel carries that bit to the next image, whose loader takes it
	 * into its view (loader/launch.c). No trap can come until then: only
	 * k23's code runs. */
	k23_mask_program(c);
	th = k23_thread_self(0);
	if (k23_sigview_blocked_in(th)) {
		k23_sigsys_block();
		queued = carry_pending_sigsys(th);
	}
	c->ret = reexec(&t, fd);
	if (queued)
		keep_pending_sigsys(th);
	if (c->uc)
		k23_mask_held(c);
	else if (k23_sigview_blocked_in(th)) /* a patched call: the mask is the program's */
		k23_sigsys_unblock();
	k23_syscall1(__NR_close, fd);
}
