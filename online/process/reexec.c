/* reexec.c - k23 executes itself with the program's own argv; its settings travel in a memfd.
 *
 * The kernel records where a new image's argument strings lie and
 * /proc/PID/cmdline reads exactly that range. When the program's strings are
 * not already in memory at hand (its own execve, a #! interpreter's argv),
 * k23 executes itself with the program's argv and environment unchanged and
 * passes its own data out of band (`k23 run` itself moves the record
 * instead: loader/mm_record.c):
 *
 *   fd D     memfd "k23-exec":  K23EXEC1\n CONFIG\n PROGFD\n EXECFN\0 SELF\0 ID\0
 *            (SELF: k23's own path, which the new image need not ask
 *            the kernel for; left out when it does not fit. ID: device,
 *            inode and size of the file executed at D+1, "dev:ino:size",
 *            when known here, so that the new image need not stat
 *            /proc/self/exe for them; left out for a copy from memory)
 *   fd D+1   O_PATH descriptor of k23's binary (or a memfd copy made from
 *            k23's memory when the file is gone), executed with
 *            execveat(D+1, "", argv, envp, AT_EMPTY_PATH)
 *   fd D+2   when k23's binary is the launcher (loader/launcher.h): k23-core,
 *            opened here, which the launcher maps without looking for it
 *
 * The new image recognises the hand-over by its AT_EXECFN, which the kernel
 * sets to "/dev/fd/<D+1>" for such an execveat, and reads fd D. No /proc
 * is needed.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include <asm/stat.h>
#include <elf.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/rtconfig.h"
#include "online/process/reexec.h"
#include "online/guard/fdguard.h"
#include "loader/launcher.h"


static size_t append(char *buf, size_t n, const char *s, size_t size)
{
	size_t len = k23_strlen(s);

	if (n + len + 1 > size)
		return 0;
	k23_memcpy(buf + n, s, len);
	return n + len;
}

/* "dev:ino:size" of the file executed, for the new image's k23_rt.self_*. */
static size_t append_id(char *rec, size_t n, const struct stat *id)
{
	unsigned long v[3] = { id->st_dev, id->st_ino, (unsigned long)id->st_size };
	char num[24];

	for (int i = 0; n && i < 3; i++) {
		k23_utoa(v[i], num);
		n = append(rec, n, num, K23_HANDOVER_MAX);
		if (n && i < 2)
			rec[n++] = ':';
	}
	return n;
}

static long write_record(int fd, int prog_fd, const char *execfn, const struct stat *id)
{
	char rec[K23_HANDOVER_MAX], num[24];
	size_t n = 0;

	n = append(rec, n, K23_HANDOVER_MAGIC, sizeof(rec));
	n = n ? k23_rtconfig_encode(rec + n, sizeof(rec) - n) + n : 0;
	if (!n)
		return -ENAMETOOLONG;
	rec[n++] = '\n';
	k23_utoa((unsigned long)prog_fd, num);
	n = append(rec, n, num, sizeof(rec));
	if (n)
		rec[n++] = '\n';
	n = n ? append(rec, n, execfn, sizeof(rec)) : 0;
	if (!n)
		return -ENAMETOOLONG;
	rec[n++] = 0;
	if (k23_rt.self_exe[0] && k23_strlen(k23_rt.self_exe) + 1 < sizeof(rec) - n) {
		size_t m;

		n = append(rec, n, k23_rt.self_exe, sizeof(rec));
		rec[n++] = 0;
		if (id && (m = append_id(rec, n, id)) != 0) {
			n = m;
			rec[n++] = 0;
		}
	}
	return k23_write_all(fd, rec, n);
}

/* A copy of fd at exactly want (free), or -1 (copies at another number
 * are closed again). */
static long dup_at(long fd, long want)
{
	long c = k23_syscall3(__NR_fcntl, fd, F_DUPFD, want);

	if (c >= 0 && c != want)
		k23_syscall1(__NR_close, c);
	return c == want ? c : -1;
}

/* Places the memfd at D, k23's binary at D+1 and k23-core (if corefd >= 0)
 * at D+2, the first three free numbers in a row from base on (base is above
 * the program's limit when its table is full: k23_reexec). F_DUPFD takes
 * the lowest free number from its argument on, so each copy needs no look
 * first. */
static long place_fds(long memfd, long exefd, long corefd, long base, long *exe_at)
{
	long k = base;

	for (int tries = 0; tries < 64; tries++) {
		long d = k23_syscall3(__NR_fcntl, memfd, F_DUPFD, k);
		int core_ok;

		if (d < 0)
			return d;
		core_ok = corefd < 0 || dup_at(corefd, d + 2) == d + 2;
		if (core_ok && dup_at(exefd, d + 1) == d + 1) {
			*exe_at = d + 1;
			return d;
		}
		if (core_ok && corefd >= 0)
			k23_syscall1(__NR_close, d + 2);
		k23_syscall1(__NR_close, d);
		k = d + 1;
	}
	return -EMFILE;
}

/* k23's binary from its own memory, for when its file cannot be reopened
 * (deleted, replaced, or out of sight in the program's mount namespace):
 * the loadable bytes of each segment at their file offsets, the writable
 * one as it was in the file (kept by loader/selfcopy.c). */
static long self_from_memory(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)k23_rt.self_base;
	const Elf64_Phdr *ph;
	long fd, r = 0;

	if (!eh || !k23_rt.pristine)
		return -ENOENT;
	ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	fd = k23_syscall2(__NR_memfd_create, (long)"k23", 1 /* MFD_CLOEXEC */);
	for (unsigned i = 0; fd >= 0 && !r && i < eh->e_phnum; i++) {
		const void *src = (const void *)ph[i].p_vaddr;

		if (ph[i].p_type != PT_LOAD || !ph[i].p_filesz)
			continue;
		if (ph[i].p_flags & PF_W) {
			if (ph[i].p_offset != k23_rt.pristine_off || ph[i].p_filesz != k23_rt.pristine_len)
				r = -ENOENT;
			src = k23_rt.pristine;
		}
		if (!r && k23_syscall4(__NR_pwrite64, fd, (long)src, (long)ph[i].p_filesz,
				       (long)ph[i].p_offset) != (long)ph[i].p_filesz)
			r = -EIO;
	}
	if (r && fd >= 0)
		k23_syscall1(__NR_close, fd);
	return r ? r : fd;
}

/* k23-core beside the launcher (k23_rt.self_exe), if it is still the file
 * this image's core came from. */
static long open_core(void)
{
	char path[sizeof(k23_rt.self_exe)];
	size_t dir = k23_strlen(k23_rt.self_exe);
	struct stat st;
	long fd;

	while (dir && k23_rt.self_exe[dir - 1] != '/')
		dir--;
	if (!dir || dir + sizeof(K23_CORE_NAME) > sizeof(path))
		return -ENOENT;
	k23_memcpy(path, k23_rt.self_exe, dir);
	k23_memcpy(path + dir, K23_CORE_NAME, sizeof(K23_CORE_NAME));
	fd = k23_syscall3(__NR_open, (long)path, O_RDONLY | O_CLOEXEC, 0);
	if (fd >= 0 && (k23_syscall2(__NR_fstat, fd, (long)&st) || st.st_dev != k23_rt.core_dev ||
			st.st_ino != k23_rt.core_ino)) {
		k23_syscall1(__NR_close, fd);
		fd = -ENOENT;
	}
	return fd;
}

/* k23's own binary, to execute: while the exe link names it, through the
 * link (whatever the mount namespace); else by the path it was started
 * from, if that is still the same file; else rebuilt from memory. Started
 * by the launcher, the launcher again with its k23-core in *corefd; when
 * k23-core cannot be opened, the core rebuilt from memory, which starts
 * without a launcher. */
static long open_self(long *corefd, struct stat *id, int *id_known)
{
	long fd;

	*corefd = -1;
	*id_known = 0;
	if (k23_rt.core_ino) {
		*corefd = open_core();
		if (*corefd < 0)
			return self_from_memory();
	}
	if (!k23_rt.exe_moved) {
		/* The link names the file this image was executed from, the
		 * one k23_rt.self_* describe (launch.c, k23_find_self). */
		id->st_dev = k23_rt.self_dev, id->st_ino = k23_rt.self_ino;
		id->st_size = (long)k23_rt.self_size;
		*id_known = k23_rt.self_ino != 0;
		return k23_syscall3(__NR_open, (long)"/proc/self/exe", O_PATH | O_CLOEXEC, 0);
	}
	fd = k23_syscall3(__NR_open, (long)k23_rt.self_exe, O_PATH | O_CLOEXEC, 0);
	if (fd >= 0 && (k23_syscall2(__NR_fstat, fd, (long)id) || id->st_dev != k23_rt.self_dev ||
			id->st_ino != k23_rt.self_ino)) {
		k23_syscall1(__NR_close, fd);
		fd = -ENOENT;
	}
	if (fd < 0 && *corefd >= 0) {
		k23_syscall1(__NR_close, *corefd);
		*corefd = -1;
	}
	*id_known = fd >= 0;
	return fd >= 0 ? fd : self_from_memory();
}

/* The descriptors one attempt made (-1: none). */
struct handover {
	long memfd, exefd, corefd, d, k;
};

static void handover_close(struct handover *h)
{
	long fds[] = { h->memfd, h->exefd, h->corefd, h->d >= 0 && h->corefd >= 0 ? h->d + 2 : -1,
		       h->d, h->k };

	for (unsigned i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			k23_syscall1(__NR_close, fds[i]);
	h->memfd = h->exefd = h->corefd = h->d = h->k = -1;
}

/* The memfd with the record at D, k23's binary at D+1 (h->k), k23-core at
 * D+2, from base on; 0 or -errno. The originals are close-on-exec; only
 * their copies pass. */
static long handover_make(struct handover *h, int prog_fd, const char *execfn, long base)
{
	struct stat id;
	int id_known;
	long r;

	h->memfd = h->exefd = h->corefd = h->d = h->k = -1;
	h->memfd = k23_syscall2(__NR_memfd_create, (long)"k23-exec", 1 /* MFD_CLOEXEC */);
	if (h->memfd < 0)
		return h->memfd;
	h->exefd = open_self(&h->corefd, &id, &id_known);
	if (h->exefd < 0)
		return h->exefd;
	r = write_record((int)h->memfd, prog_fd, execfn, id_known ? &id : 0);
	if (r)
		return r;
	h->d = place_fds(h->memfd, h->exefd, h->corefd, base, &h->k);
	return h->d < 0 ? h->d : 0;
}

long k23_reexec(int prog_fd, const char *execfn, char *const argv[], char *const envp[])
{
	struct handover h;
	long r = handover_make(&h, prog_fd, execfn, 3);

	if (r == -EMFILE || r == -EINVAL) {
		/* The program's table is full, its limit maybe as low as 3:
		 * k23's descriptors are made in a room above it (fdguard.c),
		 * which the new image must not inherit. Only then: the room
		 * costs two to three prlimit calls, and the new image closes
		 * the copies before the program runs, wherever they are. */
		struct k23_fd_room room;

		handover_close(&h);
		k23_fd_room_begin(&room, 16);
		r = handover_make(&h, prog_fd, execfn,
				  room.top > room.base ? (long)room.base : 3);
		k23_fd_room_end(&room);
	}
	k23_fd_guard_exec();
	if (!r)
		r = k23_syscall5(__NR_execveat, h.k, (long)"", (long)argv, (long)envp, AT_EMPTY_PATH);
	handover_close(&h);
	return r;
}
