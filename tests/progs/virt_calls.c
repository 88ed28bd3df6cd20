/* virt_calls.c - makes path-taking calls named on the command line, raw, and prints what each returns (tests/integration/virt_map*.sh).
 *
 *   virt_calls OP:ARG[:ARG...] ...
 *
 * Each result is printed as "OP ARGS: RESULT": a number, an errno name, or
 * what the call reports (a stat's type, mode, size and inode, a link's
 * text, a directory). Descriptors opened by "dir:PATH" are numbered d0,
 * d1... and named so in later operations' dirfd arguments ("d0"; "cwd":
 * AT_FDCWD). Raw calls: what the program asks is exactly what the kernel
 * (or k23) receives.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int dirs[16], ndirs;

static int dirfd_of(const char *s)
{
	if (!strcmp(s, "cwd"))
		return AT_FDCWD;
	if (s[0] == 'd' && atoi(s + 1) < ndirs)
		return dirs[atoi(s + 1)];
	return atoi(s);
}

static void result(const char *op, long r)
{
	if (r < 0)
		printf("%s: %s\n", op, strerrorname_np(errno));
	else
		printf("%s: %ld\n", op, r);
}

static void show_stat(const char *op, long r, const struct stat *st)
{
	if (r < 0)
		result(op, r);
	else
		printf("%s: mode %o size %lld ino %llu\n", op, st->st_mode, (long long)st->st_size,
		       (unsigned long long)st->st_ino);
}

/* Opens, reads up to 64 bytes, closes: what was read (or the error). */
static void show_open(const char *op, long fd)
{
	char buf[65];
	long n;

	if (fd < 0) {
		result(op, fd);
		return;
	}
	n = read((int)fd, buf, 64);
	close((int)fd);
	if (n < 0) {
		printf("%s: open, read %s\n", op, strerrorname_np(errno));
		return;
	}
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	printf("%s: read \"%s\"\n", op, buf);
}

static void one(char *spec)
{
	char op[512], *a[6] = { 0 };
	int n = 0;
	struct stat st;
	struct statx sx;
	long r;

	snprintf(op, sizeof(op), "%s", spec);
	strtok(spec, ":");
	while (n < 6 && (a[n] = strtok(NULL, ":")))
		n++;
	if (!strcmp(spec, "open")) {
		show_open(op, syscall(SYS_open, a[0], O_RDONLY));
	} else if (!strcmp(spec, "openat")) {
		show_open(op, syscall(SYS_openat, dirfd_of(a[0]), a[1], O_RDONLY));
	} else if (!strcmp(spec, "openat2")) {
		struct open_how how = { .flags = O_RDONLY };

		show_open(op, syscall(SYS_openat2, dirfd_of(a[0]), a[1], &how, sizeof(how)));
	} else if (!strcmp(spec, "openw")) {	/* open for writing, write "w", close */
		r = syscall(SYS_openat, AT_FDCWD, a[0], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (r >= 0) {
			if (write((int)r, "w\n", 2) != 2)
				r = -1;
			close((int)r);
		}
		result(op, r < 0 ? r : 0);
	} else if (!strcmp(spec, "creat")) {
		r = syscall(SYS_creat, a[0], 0644);
		if (r >= 0)
			close((int)r);
		result(op, r < 0 ? r : 0);
	} else if (!strcmp(spec, "stat")) {
		r = syscall(SYS_stat, a[0], &st);
		show_stat(op, r, &st);
	} else if (!strcmp(spec, "lstat")) {
		r = syscall(SYS_lstat, a[0], &st);
		show_stat(op, r, &st);
	} else if (!strcmp(spec, "fstatat")) {
		r = syscall(SYS_newfstatat, dirfd_of(a[0]), a[1], &st, a[2] ? AT_SYMLINK_NOFOLLOW : 0);
		show_stat(op, r, &st);
	} else if (!strcmp(spec, "statx")) {
		r = syscall(SYS_statx, dirfd_of(a[0]), a[1], 0, STATX_BASIC_STATS, &sx);
		if (r < 0)
			result(op, r);
		else
			printf("%s: mode %o size %llu ino %llu\n", op, sx.stx_mode,
			       (unsigned long long)sx.stx_size, (unsigned long long)sx.stx_ino);
	} else if (!strcmp(spec, "access")) {
		result(op, syscall(SYS_access, a[0], R_OK));
	} else if (!strcmp(spec, "faccessat")) {
		result(op, syscall(SYS_faccessat, dirfd_of(a[0]), a[1], R_OK));
	} else if (!strcmp(spec, "faccessat2")) {
		result(op, syscall(SYS_faccessat2, dirfd_of(a[0]), a[1], R_OK, 0));
	} else if (!strcmp(spec, "dir")) {
		r = syscall(SYS_openat, AT_FDCWD, a[0], O_RDONLY | O_DIRECTORY);
		if (r >= 0 && ndirs < 16)
			dirs[ndirs++] = (int)r;
		result(op, r < 0 ? r : 0);
	} else if (!strcmp(spec, "chdir")) {
		result(op, syscall(SYS_chdir, a[0]));
	} else if (!strcmp(spec, "badptr")) {	/* names at bad addresses: EFAULT */
		result(op, syscall(SYS_open, (char *)8, O_RDONLY));
		result(op, syscall(SYS_stat, (char *)-4096L, &st));
	} else if (!strcmp(spec, "unmapped")) {	/* a name in a page unmapped, moved, protected */
		char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *q;

		snprintf(p, 4096, "%s", a[0]);
		show_open(op, syscall(SYS_open, p, O_RDONLY));
		mprotect(p, 4096, PROT_NONE);
		show_open(op, syscall(SYS_open, p, O_RDONLY));
		mprotect(p, 4096, PROT_READ);
		show_open(op, syscall(SYS_open, p, O_RDONLY));
		q = mremap(p, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, p + 1024 * 1024 * 64);
		show_open(op, syscall(SYS_open, p, O_RDONLY));
		show_open(op, syscall(SYS_open, q, O_RDONLY));
		munmap(q, 4096);
		show_open(op, syscall(SYS_open, q, O_RDONLY));
		p = sbrk(0);
		if (sbrk(4096) != (void *)-1) {
			snprintf(p, 4096, "%s", a[0]);
			show_open(op, syscall(SYS_open, p, O_RDONLY));
			sbrk(-4096);
			show_open(op, syscall(SYS_open, p, O_RDONLY));
		}
	} else if (!strcmp(spec, "mode")) {	/* a new file's: no inode */
		r = syscall(SYS_lstat, a[0], &st);
		if (r < 0)
			result(op, r);
		else
			printf("%s: mode %o size %lld\n", op, st.st_mode, (long long)st.st_size);
	} else if (!strcmp(spec, "mtime")) {
		r = syscall(SYS_stat, a[0], &st);
		if (r < 0)
			result(op, r);
		else
			printf("%s: %lld uid %u\n", op, (long long)st.st_mtime, st.st_uid);
	} else if (!strcmp(spec, "statfs")) {
		struct statfs sf;

		r = syscall(SYS_statfs, a[0], &sf);
		if (r < 0)
			result(op, r);
		else
			printf("%s: type %lx\n", op, (unsigned long)sf.f_type);
	} else if (!strcmp(spec, "readlink") || !strcmp(spec, "readlinkat") ||
		   !strcmp(spec, "fdlink")) {
		char buf[4096], link[64];
		int size = a[1] && strcmp(spec, "readlinkat") ? atoi(a[1]) : (int)sizeof(buf);

		if (!strcmp(spec, "fdlink")) {
			snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd_of(a[0]));
			r = syscall(SYS_readlink, link, buf, size);
		} else if (!strcmp(spec, "readlink")) {
			r = syscall(SYS_readlink, a[0], buf, size);
		} else {
			r = syscall(SYS_readlinkat, dirfd_of(a[0]), a[1], buf, sizeof(buf));
		}
		if (r < 0)
			result(op, r);
		else
			printf("%s: %ld \"%.*s\"\n", op, r, (int)r, buf);
	} else if (!strcmp(spec, "getcwd")) {
		char buf[4096];
		int size = a[0] ? atoi(a[0]) : (int)sizeof(buf);

		r = syscall(SYS_getcwd, buf, size);
		if (r < 0)
			result(op, r);
		else
			printf("%s: %ld \"%s\"\n", op, r, buf);
	} else if (!strcmp(spec, "exec") || !strcmp(spec, "execveat")) {
		char *argv[] = { a[0], "from", "exec", NULL };
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			if (!strcmp(spec, "exec"))
				syscall(SYS_execve, a[0], argv, environ);
			else
				syscall(SYS_execveat, dirfd_of(a[0]), a[1], argv, environ, 0);
			printf("%s: %s\n", op, strerrorname_np(errno));
			_exit(127);
		}
		waitpid(pid, &status, 0);
		printf("%s: status %d\n", op, WEXITSTATUS(status));
	} else if (!strcmp(spec, "mkdir")) {
		result(op, syscall(SYS_mkdir, a[0], 0755));
	} else if (!strcmp(spec, "mkdirat")) {
		result(op, syscall(SYS_mkdirat, dirfd_of(a[0]), a[1], 0755));
	} else if (!strcmp(spec, "mknod")) {
		result(op, syscall(SYS_mknod, a[0], S_IFIFO | 0644, 0));
	} else if (!strcmp(spec, "mknodat")) {
		result(op, syscall(SYS_mknodat, dirfd_of(a[0]), a[1], S_IFIFO | 0644, 0));
	} else if (!strcmp(spec, "unlink")) {
		result(op, syscall(SYS_unlink, a[0]));
	} else if (!strcmp(spec, "unlinkat")) {
		result(op, syscall(SYS_unlinkat, dirfd_of(a[0]), a[1], a[2] ? AT_REMOVEDIR : 0));
	} else if (!strcmp(spec, "rmdir")) {
		result(op, syscall(SYS_rmdir, a[0]));
	} else if (!strcmp(spec, "rename")) {
		result(op, syscall(SYS_rename, a[0], a[1]));
	} else if (!strcmp(spec, "renameat")) {
		result(op, syscall(SYS_renameat, dirfd_of(a[0]), a[1], dirfd_of(a[2]), a[3]));
	} else if (!strcmp(spec, "renameat2")) {
		result(op, syscall(SYS_renameat2, dirfd_of(a[0]), a[1], dirfd_of(a[2]), a[3],
				   RENAME_NOREPLACE));
	} else if (!strcmp(spec, "link")) {
		result(op, syscall(SYS_link, a[0], a[1]));
	} else if (!strcmp(spec, "linkat")) {
		result(op, syscall(SYS_linkat, dirfd_of(a[0]), a[1], dirfd_of(a[2]), a[3], 0));
	} else if (!strcmp(spec, "symlink")) {
		result(op, syscall(SYS_symlink, a[0], a[1]));
	} else if (!strcmp(spec, "symlinkat")) {
		result(op, syscall(SYS_symlinkat, a[0], dirfd_of(a[1]), a[2]));
	} else if (!strcmp(spec, "truncate")) {
		result(op, syscall(SYS_truncate, a[0], atol(a[1])));
	} else if (!strcmp(spec, "utimensat")) {
		struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };

		result(op, syscall(SYS_utimensat, dirfd_of(a[0]), a[1], ts, 0));
	} else if (!strcmp(spec, "utimes")) {
		struct timeval tv[2] = { { 1100000000, 0 }, { 1100000000, 0 } };

		result(op, syscall(SYS_utimes, a[0], tv));
	} else if (!strcmp(spec, "futimesat")) {
		struct timeval tv[2] = { { 1200000000, 0 }, { 1200000000, 0 } };

		result(op, syscall(SYS_futimesat, dirfd_of(a[0]), a[1], tv));
	} else if (!strcmp(spec, "utime")) {
		long tb[2] = { 1300000000, 1300000000 };

		result(op, syscall(SYS_utime, a[0], tb));
	} else if (!strcmp(spec, "chmod")) {
		result(op, syscall(SYS_chmod, a[0], strtol(a[1], NULL, 8)));
	} else if (!strcmp(spec, "fchmodat")) {
		result(op, syscall(SYS_fchmodat, dirfd_of(a[0]), a[1], strtol(a[2], NULL, 8)));
	} else if (!strcmp(spec, "chown")) {
		result(op, syscall(SYS_chown, a[0], getuid(), getgid()));
	} else if (!strcmp(spec, "lchown")) {
		result(op, syscall(SYS_lchown, a[0], getuid(), getgid()));
	} else if (!strcmp(spec, "fchownat")) {
		result(op, syscall(SYS_fchownat, dirfd_of(a[0]), a[1], getuid(), getgid(), 0));
	} else if (!strcmp(spec, "setxattr") || !strcmp(spec, "lsetxattr")) {
		result(op, syscall(spec[0] == 'l' ? SYS_lsetxattr : SYS_setxattr, a[0], "user.k23", "v1",
				   2, 0));
	} else if (!strcmp(spec, "getxattr") || !strcmp(spec, "lgetxattr")) {
		char v[64];

		r = syscall(spec[0] == 'l' ? SYS_lgetxattr : SYS_getxattr, a[0], "user.k23", v, sizeof(v));
		if (r < 0)
			result(op, r);
		else
			printf("%s: \"%.*s\"\n", op, (int)r, v);
	} else if (!strcmp(spec, "listxattr") || !strcmp(spec, "llistxattr")) {
		char v[256];

		r = syscall(spec[0] == 'l' ? SYS_llistxattr : SYS_listxattr, a[0], v, sizeof(v));
		if (r < 0)
			result(op, r);
		else
			printf("%s: %ld \"%s\"\n", op, r, r ? v : "");
	} else if (!strcmp(spec, "removexattr") || !strcmp(spec, "lremovexattr")) {
		result(op, syscall(spec[0] == 'l' ? SYS_lremovexattr : SYS_removexattr, a[0], "user.k23"));
	} else if (!strcmp(spec, "inotify")) {
		int in = inotify_init1(IN_CLOEXEC);

		r = syscall(SYS_inotify_add_watch, in, a[0], IN_ALL_EVENTS);
		result(op, r < 0 ? r : 0);
		close(in);
	} else if (!strcmp(spec, "unix")) {	/* bind, listen, connect, the names both ends see */
		struct sockaddr_un sa = { .sun_family = AF_UNIX }, got;
		socklen_t len;
		int srv = socket(AF_UNIX, SOCK_STREAM, 0), cli = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", a[0]);
		r = syscall(SYS_bind, srv, &sa, sizeof(sa));
		printf("%s: bind %s\n", op, r < 0 ? strerrorname_np(errno) : "0");
		listen(srv, 1);
		r = syscall(SYS_connect, cli, &sa, sizeof(sa));
		printf("%s: connect %s\n", op, r < 0 ? strerrorname_np(errno) : "0");
		len = sizeof(got);
		if (getsockname(srv, (struct sockaddr *)&got, &len) == 0)
			printf("%s: getsockname %u \"%s\"\n", op, len, got.sun_path);
		len = sizeof(got);
		if (getpeername(cli, (struct sockaddr *)&got, &len) == 0)
			printf("%s: getpeername %u \"%s\"\n", op, len, got.sun_path);
		close(srv);
		close(cli);
	} else {
		printf("%s: unknown operation\n", op);
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++)
		one(argv[i]);
	return 0;
}
