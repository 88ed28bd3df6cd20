/* target.c - resolving what to run: PATH search like execvp, #! like the kernel, then ELF checks.
 *
 * Errors follow the shell's conventions: 127 when the program is not found,
 * 126 when it is found but cannot be executed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "log.h"
#include "target.h"
#include "rt/shebang.h"


/* The kernel's verdict on opening path for execution (online/process/exec.c,
 * kernel_open_check): an argv it cannot read makes execve fail with
 * EFAULT right after the open and its checks (permission, noexec mount,
 * file type, ETXTBSY), before anything changes. */
static int kernel_open_check(const char *path)
{
	if (syscall(SYS_execve, path, (char **)-4096L, NULL) == 0 || errno == EFAULT)
		return 0;
	return -errno;
}

/* The start path opens with openat, not open: musl's open() follows an
 * O_CLOEXEC open with fcntl(F_SETFD) for kernels older than 2.6.23, one
 * more system call per file at every start (loader/launch.c, mm_record.c
 * and selfcopy.c do the same).
 *
 * The kernel's check comes first: when it passes, the file is a regular
 * file this process may execute (execve opens only those, with the same
 * effective ids faccessat's AT_EACCESS uses), so stat and faccessat could
 * only agree: two system calls fewer per start. Where it fails, they tell
 * a directory (EISDIR, where execve says EACCES) and the rest apart as
 * before; a name that does not resolve (ENOENT, ENOTDIR: a PATH search
 * meets many) would fail stat the same way, so it is answered at once. */
static int can_exec(const char *path)
{
	struct stat st;
	int k = kernel_open_check(path);

	if (k == 0 || k == -ENOENT || k == -ENOTDIR)
		return k;
	if (stat(path, &st) != 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode) || faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) != 0)
		return -EACCES;
	return k;
}

static int path_error(const char *name, int err)
{
	if (err == -ENOENT || err == -ENOTDIR)
		return k23_fail(127, "%s: %s", name, strerror(-err));
	if (err == -EISDIR)
		return k23_fail(126, "%s: Is a directory", name);
	return k23_fail(126, "%s: %s", name, strerror(-err));
}

/* execvp's search: the first executable match wins; a match that exists but
 * is not executable only counts if nothing better is found. */
static int search_path(const char *name, char *out)
{
	const char *p = getenv("PATH");
	int saw_denied = 0;

	if (!p)
		p = "/bin:/usr/bin";
	while (1) {
		const char *end = strchrnul(p, ':');
		int dlen = (int)(end - p), r;

		if (snprintf(out, PATH_MAX, "%.*s%s%s", dlen, p, dlen ? "/" : "", name) < PATH_MAX) {
			r = can_exec(out);
			if (r == 0)
				return 0;
			if (r == -EACCES)
				saw_denied = 1;
		}
		if (!*end)
			break;
		p = end + 1;
	}
	if (saw_denied)
		return k23_fail(126, "%s: Permission denied", name);
	return k23_fail(127, "%s: command not found", name);
}

/* A copy of argv with extra_front empty slots first; argv itself when
 * there are none (it lives as long as k23, and is never changed). */
static char **argv_dup(char **argv, int extra_front, int *argc)
{
	int n = 0;
	char **v;

	while (argv[n])
		n++;
	if (!extra_front) {
		*argc = n;
		return argv;
	}
	v = calloc((size_t)(n + extra_front + 1), sizeof(char *));
	if (!v)
		return NULL;
	memcpy(v + extra_front, argv, (size_t)n * sizeof(char *));
	*argc = n + extra_front;
	return v;
}

static int load_chain(struct k23_target *t, int fd, const char *path, int depth);

static int run_script(struct k23_target *t, int fd, const char *path, const char *buf, ssize_t n,
		      int depth)
{
	struct k23_shebang sb;
	char **v;
	int argc, ifd, r;

	close(fd);
	if (depth >= K23_MAX_SCRIPT_DEPTH)
		return k23_fail(126, "%s: too many levels of #! interpreters", path);
	if (k23_shebang_parse(&sb, buf, n) != 0)
		return k23_fail(126, "%s: cannot execute: Exec format error (bad #! line)", path);
	r = can_exec(sb.interp);
	if (r)
		return k23_fail(r == -ENOENT ? 127 : 126, "%s: bad interpreter %s: %s", path,
				sb.interp, strerror(r == -EISDIR ? EACCES : -r));
	/* argv becomes: interp [optarg] script original-argv[1..] */
	v = argv_dup(t->argv + 1, sb.arg ? 3 : 2, &argc);
	if (!v)
		return k23_fail(126, "out of memory");
	v[0] = strdup(sb.interp);
	if (sb.arg)
		v[1] = strdup(sb.arg);
	v[sb.arg ? 2 : 1] = strdup(path);
	t->argv = v;
	t->argc = argc;
	t->script = 1;
	ifd = openat(AT_FDCWD, v[0], O_RDONLY | O_CLOEXEC);
	if (ifd < 0)
		return k23_fail(126, "%s: cannot open interpreter %s: %s", path, v[0], strerror(errno));
	return load_chain(t, ifd, v[0], depth + 1);
}

static int load_chain(struct k23_target *t, int fd, const char *path, int depth)
{
	/* One read for the #! line and the ELF headers both (elf_file.h). */
	ssize_t n = pread(fd, t->elf.head, sizeof(t->elf.head), 0);
	enum k23_elf_err err;

	if (n < 0)
		return k23_fail(126, "%s: %s", path, strerror(errno));
	if (n >= 2 && t->elf.head[0] == '#' && t->elf.head[1] == '!')
		return run_script(t, fd, path, (const char *)t->elf.head, n, depth);
	err = k23_elf_read_head(fd, &t->elf, n);
	if (err) {
		if (err == K23_ELF_NOT_ELF)
			return k23_fail(126, "%s: cannot execute: Exec format error (neither ELF nor #! script)", path);
		return k23_fail(126, "%s: cannot execute: %s", path, k23_elf_strerror(err, &t->elf));
	}
	t->fd = fd;
	snprintf(t->path, sizeof(t->path), "%s", path);
	return 0;
}

/* The kernel names a process after the last component of the name it was
 * executed by; for a descriptor (fexecve: "/dev/fd/N") after the file. */
static void set_comm(struct k23_target *t, int fd)
{
	char proc[64], path[PATH_MAX];
	const char *name = t->execfn, *p = name + 8;
	ssize_t n;

	if (!strncmp(name, "/dev/fd/", 8) && *p && strspn(p, "0123456789") == strlen(p)) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		n = readlink(proc, path, sizeof(path) - 1);
		if (n > 0) {
			path[n] = 0;
			name = path;
		}
	}
	p = strrchr(name, '/');
	snprintf(t->comm, sizeof(t->comm), "%.15s", p ? p + 1 : name); /* TASK_COMM_LEN */
}

/* Every field read before it is written; not a memset of the whole (22
 * KiB, in bss: a page fault for each of its pages never otherwise touched). */
static void target_reset(struct k23_target *t)
{
	t->fd = -1;
	t->elf.phnum = 0;
	t->elf.why = "";
	t->path[0] = 0;
	t->execfn[0] = 0;
	t->argv = NULL;
	t->argc = 0;
	t->script = 0;
	t->comm[0] = 0;
}

int k23_target_resolve(struct k23_target *t, const char *name, char **argv)
{
	char found[PATH_MAX];
	int r, fd;

	target_reset(t);
	if (!*name)
		return k23_fail(127, "'': No such file or directory");
	if (strchr(name, '/')) {
		if (snprintf(found, sizeof(found), "%s", name) >= PATH_MAX)
			return k23_fail(126, "%s: File name too long", name);
		r = can_exec(found);
		if (r)
			return path_error(name, r);
	} else if ((r = search_path(name, found)) != 0) {
		return r;
	}
	snprintf(t->execfn, sizeof(t->execfn), "%s", found);
	set_comm(t, -1);
	t->argv = argv_dup(argv, 0, &t->argc);
	if (!t->argv)
		return k23_fail(126, "out of memory");
	fd = openat(AT_FDCWD, found, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return path_error(name, -errno);
	return load_chain(t, fd, found, 0);
}

int k23_target_from_fd(struct k23_target *t, int fd, const char *execfn, char **argv)
{
	target_reset(t);
	snprintf(t->execfn, sizeof(t->execfn), "%s", execfn);
	set_comm(t, fd);
	t->argv = argv_dup(argv, 0, &t->argc);
	if (!t->argv)
		return k23_fail(126, "out of memory");
	/* Keep it off the program's descriptor table once loaded. */
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return load_chain(t, fd, execfn, 0);
}
