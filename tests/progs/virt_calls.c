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
