/* exec_self.c - a program that executes "itself" while the kernel's exe link still names k23.
 *
 * Where k23 may move the exe link (loader/selfcopy.c), /proc/self/exe is the
 * program's file and executing it needs nothing special. Where it may not
 * (no CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, say after the program dropped
 * its capabilities and executed itself), /proc/self/exe, a descriptor
 * opened from it and any copy of it are k23's binary, where natively they
 * would be the program's (k23's binary: the launcher, build/k23, or k23-core
 * when it was executed directly). Such a target is replaced by the program's file,
 * reopened by the path it was loaded from and checked to be the same file.
 * A plain path naming k23's binary itself is left alone: that is a program
 * running k23 on purpose.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/stat.h>
#include <linux/fcntl.h>
#include <elf.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/process/exec.h"

/* "/proc/self/exe", "/proc/thread-self/exe", "/proc/<n>/exe". */
static int names_proc_exe(const char *p)
{
	size_t n = k23_strlen(p);

	return !k23_strncmp(p, "/proc/", 6) && n > 10 && !k23_strcmp(p + n - 4, "/exe");
}

/* 1 if the file holds at off the len bytes k23's memory holds at at. */
static int file_holds(int fd, unsigned long at, unsigned long len, unsigned long off)
{
	char buf[4096];

	for (unsigned long done = 0; done < len;) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);

		if (k23_syscall4(__NR_pread64, fd, (long)buf, (long)n, (long)(off + done)) != (long)n ||
		    !k23_memeq(buf, (const void *)(at + done), n))
			return 0;
		done += n;
	}
	return 1;
}

/* The same bytes as k23's own executable segment, at the same offset. */
static int same_text(int fd)
{
	unsigned long base = k23_rt.self_base, at = k23_rt.text_start;

	return base && at >= base && file_holds(fd, at, k23_rt.text_end - at, at - base);
}

/* A copy of the launcher (build/k23, loader/launcher.h) this image was
 * started by: its one PT_LOAD holds pages of the core's text, at the
 * addresses they have here. */
static int same_launcher(int fd)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (!k23_rt.core_ino ||
	    k23_syscall4(__NR_pread64, fd, (long)&eh, sizeof(eh), 0) != (long)sizeof(eh) ||
	    !k23_memeq(eh.e_ident, ELFMAG, SELFMAG) || eh.e_phnum < 1 ||
	    k23_syscall4(__NR_pread64, fd, (long)&ph, sizeof(ph), (long)eh.e_phoff) != (long)sizeof(ph) ||
	    ph.p_type != PT_LOAD || ph.p_vaddr < k23_rt.text_start || ph.p_filesz > k23_rt.text_end ||
	    ph.p_vaddr > k23_rt.text_end - ph.p_filesz || eh.e_entry < ph.p_vaddr ||
	    eh.e_entry >= ph.p_vaddr + ph.p_filesz)
		return 0;
	return file_holds(fd, ph.p_vaddr, ph.p_filesz, ph.p_offset);
}

static int is_k23(long fd, const struct stat *st, const char *path, int by_fd)
{
	if (st->st_dev == k23_rt.self_dev && st->st_ino == k23_rt.self_ino)
		return by_fd || names_proc_exe(path);
	return st->st_size == (long)k23_rt.self_size && (same_text((int)fd) || same_launcher((int)fd));
}

long k23_exec_own_image(long fd, const struct stat *st, const char *path, int by_fd)
{
	struct stat pst;
	long pfd;

	if (k23_rt.exe_moved || !k23_rt.exe_path[0] || !is_k23(fd, st, path, by_fd))
		return fd;
	k23_syscall1(__NR_close, fd);
	/* Not close-on-exec, as the file it replaces: the next image loads it. */
	pfd = k23_syscall3(__NR_open, (long)k23_rt.exe_path, O_RDONLY, 0);
	if (pfd < 0)
		return pfd;
	if (k23_syscall2(__NR_fstat, pfd, (long)&pst) || pst.st_dev != k23_rt.exe_dev ||
	    pst.st_ino != k23_rt.exe_ino) {
		k23_syscall1(__NR_close, pfd);
		return -ENOENT; /* the program's file is gone from where it was */
	}
	return pfd;
}
