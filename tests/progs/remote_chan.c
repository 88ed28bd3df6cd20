/* remote_chan.c - drives file operations either natively or through k23's remote-call proxy.
 *
 *   remote_chan native DIR            < commands
 *   remote_chan remote PROXY URL      < commands   (starts the proxy: k23_remote_start)
 *
 * Reads one command per line from stdin and prints one result line per
 * command, the same way for both backends, so a test can compare a run
 * through the proxy (talking 9P2000.L to diod) with a native run on the
 * exported directory. Handles are named by small numbers (VAR).
 *
 *   open VAR PATH FLAGS MODE     FLAGS: r w rw, then ,creat ,excl ,trunc ,append ,dir
 *   write VAR OFF LEN SEED       LEN pattern bytes (from SEED) at OFF
 *   read VAR OFF LEN             prints the count and an FNV-1a hash
 *   fstat VAR | stat PATH [nofollow]
 *   ls VAR BUFSIZE               every name and type, sorted, read BUFSIZE at a time
 *   mkdir PATH MODE | unlink PATH | rmdir PATH | rename OLD NEW
 *   truncate PATH LEN | ftruncate VAR LEN | fsync VAR | chmod PATH MODE
 *   symlink TARGET PATH | readlink PATH
 *   lock VAR set|get rd|wr|un START LEN   (open-description locks natively)
 *   readcur VAR LEN | writecur VAR LEN SEED   at the handle's own offset (read(2), write(2))
 *   seek VAR OFF set|cur|end
 *   openat VAR DIRVAR PATH FLAGS MODE | statat DIRVAR PATH   from an open directory
 *   close VAR
 *   elapsed-below MS CMD...      runs CMD, prints its result and whether it took < MS
 *   gone VAR                     remote only: the proxy dropped VAR's handle after its
 *                                placeholder was closed (within 2 s)
 *   proxy-pid                    remote only: prints the proxy's pid (stderr)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "remote/chan_request.h"

#define NVAR 16

static int remote;
static int dirfd_ = -1;
static struct k23_chan_hdr *hdr;
static long var[NVAR];		/* fd (native) or handle (remote) */
static int ph[NVAR];		/* remote: placeholder descriptor */
static uint8_t buf[4 << 20];

/* --- remote backend: one call through the channel --- */

static int64_t rcall(uint32_t op, uint64_t handle, const uint64_t *args, const void *in,
		     uint32_t inlen, void *out, uint32_t outcap, uint64_t *outargs)
{
	return k23_chan_request(hdr, op, handle, args, in, inlen, out, outcap, outargs);
}

static int64_t rpath(uint32_t op, const char *path, uint64_t a0, uint64_t a1)
{
	uint64_t args[6] = { a0, a1 };

	return rcall(op, 0, args, path, (uint32_t)strlen(path) + 1, NULL, 0, NULL);
}

static int64_t rpath2(uint32_t op, const char *a, const char *b)
{
	size_t la = strlen(a) + 1, lb = strlen(b) + 1;
	char two[8192];

	if (la + lb > sizeof(two))
		return -ENAMETOOLONG;
	memcpy(two, a, la);
	memcpy(two + la, b, lb);
	return rcall(op, 0, NULL, two, (uint32_t)(la + lb), NULL, 0, NULL);
}

/* --- the commands, both backends --- */

static int flags_of(const char *s)
{
	int f = !strncmp(s, "rw", 2) ? O_RDWR : s[0] == 'w' ? O_WRONLY : O_RDONLY;

	if (strstr(s, ",creat")) f |= O_CREAT;
	if (strstr(s, ",excl")) f |= O_EXCL;
	if (strstr(s, ",trunc")) f |= O_TRUNC;
	if (strstr(s, ",append")) f |= O_APPEND;
	if (strstr(s, ",dir")) f |= O_DIRECTORY;
	return f;
}

static long do_open(int v, const char *path, int flags, int mode)
{
	if (!remote) {
		int fd = openat(dirfd_, path, flags | O_CLOEXEC, mode);
		if (fd < 0)
			return -errno;
		var[v] = fd;
		return 0;
	}
	uint64_t args[6] = { (uint64_t)flags, (uint64_t)mode }, out[6];
	int64_t h = rcall(K23_RC_OPEN, 0, args, path, (uint32_t)strlen(path) + 1, NULL, 0, out);
	if (h < 0)
		return h;
	/* The placeholder: take our end from the proxy, then tell it. */
	ph[v] = k23_chan_take_placeholder(hdr, (int)out[0]);
	if (ph[v] < 0)
		return -errno;
	var[v] = h;
	return rcall(K23_RC_PLACED, (uint64_t)h, NULL, NULL, 0, NULL, 0, NULL);
}

static long do_read(int v, uint64_t off, uint32_t len, uint8_t *out)
{
	if (!remote) {
		ssize_t n = pread((int)var[v], out, len, (off_t)off);
		return n < 0 ? -errno : n;
	}
	/* Split by the payload, the way the runtime does. */
	uint32_t got = 0;
	while (got < len) {
		uint32_t k = len - got < hdr->payload_max ? len - got : hdr->payload_max;
		uint64_t args[6] = { off + got, k };
		int64_t n = rcall(K23_RC_READ, (uint64_t)var[v], args, NULL, 0, out + got, k, NULL);
		if (n < 0)
			return got ? (long)got : n;
		got += (uint32_t)n;
		if (n < k)
			break;
	}
	return got;
}

static long do_write(int v, uint64_t off, uint32_t len, const uint8_t *in)
{
	if (!remote) {
		ssize_t n = pwrite((int)var[v], in, len, (off_t)off);
		return n < 0 ? -errno : n;
	}
	uint32_t done = 0;
	while (done < len) {
		uint32_t k = len - done < hdr->payload_max ? len - done : hdr->payload_max;
		uint64_t args[6] = { off + done };
		int64_t n = rcall(K23_RC_WRITE, (uint64_t)var[v], args, in + done, k, NULL, 0, NULL);
		if (n < 0)
			return done ? (long)done : n;
		done += (uint32_t)n;
		if (n < k)
			break;
	}
	return done;
}

static long do_stat(int v, const char *path, int nofollow, struct statx *st)
{
	if (!remote) {
		int rc = v >= 0 ? statx((int)var[v], "", AT_EMPTY_PATH, STATX_BASIC_STATS, st)
				: statx(dirfd_, path, nofollow ? AT_SYMLINK_NOFOLLOW : 0,
					STATX_BASIC_STATS, st);
		return rc < 0 ? -errno : 0;
	}
	uint64_t args[6] = { nofollow ? AT_SYMLINK_NOFOLLOW : 0 };
	if (v >= 0)
		return rcall(K23_RC_STAT, (uint64_t)var[v], args, NULL, 0, st, sizeof(*st), NULL);
	return rcall(K23_RC_STAT, 0, args, path, (uint32_t)strlen(path) + 1, st, sizeof(*st), NULL);
}

struct ent { char name[256]; int type; };

static int cmp_ent(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

static long do_ls(int v, uint32_t bufsize, char *out, size_t cap)
{
	static struct ent e[4096];
	size_t n = 0, used = 0;
	uint64_t cookie = 0;

	if (!remote)
		lseek((int)var[v], 0, SEEK_SET);	/* from the start, like cookie 0 */
	for (;;) {
		long got;
		if (!remote) {
			got = syscall(SYS_getdents64, (int)var[v], buf, bufsize);
			if (got < 0)
				return -errno;
		} else {
			uint64_t args[6] = { cookie, bufsize };
			got = rcall(K23_RC_GETDENTS, (uint64_t)var[v], args, NULL, 0, buf, bufsize, NULL);
			if (got < 0)
				return got;
		}
		if (got == 0)
			break;
		for (long off = 0; off < got;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			if (n < 4096) {
				snprintf(e[n].name, sizeof(e[n].name), "%s", d->d_name);
				e[n++].type = d->d_type;
			}
			cookie = (uint64_t)d->d_off;
			off += d->d_reclen;
		}
	}
	qsort(e, n, sizeof(e[0]), cmp_ent);
	for (size_t i = 0; i < n && used < cap; i++)
		used += (size_t)snprintf(out + used, cap - used, " %s/%d", e[i].name, e[i].type);
	return (long)n;
}

static long do_lock(int v, const char *how, const char *type, uint64_t start, uint64_t len,
		    int *got_type)
{
	int t = !strcmp(type, "rd") ? F_RDLCK : !strcmp(type, "wr") ? F_WRLCK : F_UNLCK;
	int get = !strcmp(how, "get");

	if (!remote) {
		struct flock fl = { .l_type = (short)t, .l_whence = SEEK_SET,
				    .l_start = (off_t)start, .l_len = (off_t)len };
		if (fcntl((int)var[v], get ? F_OFD_GETLK : F_OFD_SETLK, &fl) < 0)
			return -errno;
		*got_type = fl.l_type;
		return 0;
	}
	uint64_t args[6] = { get ? F_GETLK : F_SETLK, (uint64_t)t, start, len, (uint64_t)v + 1 }, out[6];
	int64_t rc = rcall(K23_RC_LOCK, (uint64_t)var[v], args, NULL, 0, NULL, 0, out);
	*got_type = (int)out[1];
	return rc;
}

/* How much one call moves: the payload (remote), as much natively. */
static uint32_t hdr_payload(void)
{
	return remote ? hdr->payload_max : 200000;
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static void result(long rc)
{
	if (rc < 0)
		printf(" error %s\n", strerror((int)-rc));
	else
		printf(" %ld\n", rc);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(char *line);

static void statline(long rc, struct statx *st)
{
	if (rc < 0) {
		result(rc);
		return;
	}
	printf(" type %o perm %o size %llu nlink %u\n", st->stx_mode & S_IFMT, st->stx_mode & 07777,
	       (unsigned long long)st->stx_size, st->stx_nlink);
}

static void run(char *line)
{
	char *argv[8] = { 0 }, *save;
	int argc = 0;
	struct statx st;

	for (char *t = strtok_r(line, " \n", &save); t && argc < 8; t = strtok_r(NULL, " \n", &save))
		argv[argc++] = t;
	if (!argc)
		return;
	const char *c = argv[0];
	int v = argc > 1 ? atoi(argv[1]) % NVAR : 0;
	if (v < 0)
		v = 0;
	printf("%s", c);
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf(":");
	if (!strcmp(c, "open") && argc == 5) {
		result(do_open(v, argv[2], flags_of(argv[3]), (int)strtol(argv[4], NULL, 8)));
	} else if (!strcmp(c, "write") && argc == 5) {
		uint32_t len = (uint32_t)atol(argv[3]);
		if (len > sizeof(buf))
			len = sizeof(buf);
		for (uint32_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(i * 7 + (unsigned)atoi(argv[4]) + i / 251);
		result(do_write(v, (uint64_t)atoll(argv[2]), len, buf));
	} else if (!strcmp(c, "read") && argc == 4) {
		uint32_t len = (uint32_t)atol(argv[3]);
		if (len > sizeof(buf))
			len = sizeof(buf);
		long n = do_read(v, (uint64_t)atoll(argv[2]), len, buf);
		if (n < 0)
			result(n);
		else
			printf(" %ld hash %016llx\n", n, (unsigned long long)fnv(buf, (size_t)n));
	} else if (!strcmp(c, "fstat") && argc == 2) {
		statline(do_stat(v, NULL, 0, &st), &st);
	} else if (!strcmp(c, "stat") && argc >= 2) {
		statline(do_stat(-1, argv[1], argc > 2, &st), &st);
	} else if (!strcmp(c, "ls") && argc == 3) {
		static char out[1 << 16];
		out[0] = 0;
		long n = do_ls(v, (uint32_t)atol(argv[2]), out, sizeof(out));
		if (n < 0)
			result(n);
		else
			printf(" %ld%s\n", n, out);
	} else if (!strcmp(c, "mkdir") && argc == 3) {
		long m = strtol(argv[2], NULL, 8);
		result(remote ? rpath(K23_RC_MKDIR, argv[1], (uint64_t)m, 0)
			      : mkdirat(dirfd_, argv[1], (mode_t)m) < 0 ? -errno : 0);
	} else if (!strcmp(c, "unlink") && argc == 2) {
		result(remote ? rpath(K23_RC_UNLINK, argv[1], 0, 0)
			      : unlinkat(dirfd_, argv[1], 0) < 0 ? -errno : 0);
	} else if (!strcmp(c, "rmdir") && argc == 2) {
		result(remote ? rpath(K23_RC_RMDIR, argv[1], 0, 0)
			      : unlinkat(dirfd_, argv[1], AT_REMOVEDIR) < 0 ? -errno : 0);
	} else if (!strcmp(c, "rename") && argc == 3) {
		result(remote ? rpath2(K23_RC_RENAME, argv[1], argv[2])
			      : renameat(dirfd_, argv[1], dirfd_, argv[2]) < 0 ? -errno : 0);
	} else if (!strcmp(c, "truncate") && argc == 3) {
		long long n = atoll(argv[2]);
		int fd = remote ? -1 : openat(dirfd_, argv[1], O_WRONLY | O_CLOEXEC);
		result(remote ? rpath(K23_RC_TRUNCATE, argv[1], (uint64_t)n, 0)
			      : fd < 0 ? -errno : ftruncate(fd, n) < 0 ? -errno : 0);
		if (fd >= 0)
			close(fd);
	} else if (!strcmp(c, "ftruncate") && argc == 3) {
		uint64_t args[6] = { (uint64_t)atoll(argv[2]) };
		result(remote ? rcall(K23_RC_TRUNCATE, (uint64_t)var[v], args, NULL, 0, NULL, 0, NULL)
			      : ftruncate((int)var[v], atoll(argv[2])) < 0 ? -errno : 0);
	} else if (!strcmp(c, "fsync") && argc == 2) {
		result(remote ? rcall(K23_RC_FSYNC, (uint64_t)var[v], NULL, NULL, 0, NULL, 0, NULL)
			      : fsync((int)var[v]) < 0 ? -errno : 0);
	} else if (!strcmp(c, "chmod") && argc == 3) {
		long m = strtol(argv[2], NULL, 8);
		result(remote ? rpath(K23_RC_CHMOD, argv[1], (uint64_t)m, 0)
			      : fchmodat(dirfd_, argv[1], (mode_t)m, 0) < 0 ? -errno : 0);
	} else if (!strcmp(c, "symlink") && argc == 3) {
		result(remote ? rpath2(K23_RC_SYMLINK, argv[1], argv[2])
			      : symlinkat(argv[1], dirfd_, argv[2]) < 0 ? -errno : 0);
	} else if (!strcmp(c, "readlink") && argc == 2) {
		char t[4096];
		long n = remote ? rcall(K23_RC_READLINK, 0, NULL, argv[1], (uint32_t)strlen(argv[1]) + 1,
					t, sizeof(t) - 1, NULL)
				: readlinkat(dirfd_, argv[1], t, sizeof(t) - 1);
		if (!remote && n < 0)
			n = -errno;
		if (n < 0)
			result(n);
		else
			printf(" %.*s\n", (int)n, t);
	} else if (!strcmp(c, "lock") && argc == 6) {
		int t = -1;
		long rc = do_lock(v, argv[2], argv[3], (uint64_t)atoll(argv[4]), (uint64_t)atoll(argv[5]), &t);
		if (rc == 0 && !strcmp(argv[2], "get"))
			printf(" 0 type %s\n", t == F_RDLCK ? "rd" : t == F_WRLCK ? "wr" : "un");
		else
			result(rc);
	} else if ((!strcmp(c, "readcur") && argc == 3) || (!strcmp(c, "writecur") && argc == 4)) {
		uint32_t len = (uint32_t)atol(argv[2]);
		int wr = c[0] == 'w';
		long n;
		if (len > hdr_payload())
			len = hdr_payload();
		if (wr)
			for (uint32_t i = 0; i < len; i++)
				buf[i] = (uint8_t)(i * 5 + (unsigned)atoi(argv[3]));
		if (!remote) {
			n = wr ? write((int)var[v], buf, len) : read((int)var[v], buf, len);
			if (n < 0)
				n = -errno;
		} else {
			uint64_t args[6] = { 0, len, K23_RC_AT_OFFSET };
			n = rcall(wr ? K23_RC_WRITE : K23_RC_READ, (uint64_t)var[v], args,
				  wr ? buf : NULL, wr ? len : 0, wr ? NULL : buf, len, NULL);
		}
		if (n < 0 || wr)
			result(n);
		else
			printf(" %ld hash %016llx\n", n, (unsigned long long)fnv(buf, (size_t)n));
	} else if (!strcmp(c, "seek") && argc == 4) {
		int w = !strcmp(argv[3], "set") ? SEEK_SET : !strcmp(argv[3], "cur") ? SEEK_CUR : SEEK_END;
		long long o = atoll(argv[2]);
		if (!remote) {
			off_t r = lseek((int)var[v], o, w);
			result(r < 0 ? -errno : (long)r);
		} else {
			uint64_t args[6] = { (uint64_t)o, (uint64_t)w };
			result(rcall(K23_RC_SEEK, (uint64_t)var[v], args, NULL, 0, NULL, 0, NULL));
		}
	} else if (!strcmp(c, "openat") && argc == 6) {
		int d = atoi(argv[2]) % NVAR, fl = flags_of(argv[4]), mode = (int)strtol(argv[5], NULL, 8);
		if (!remote) {
			int fd = openat((int)var[d], argv[3], fl | O_CLOEXEC, mode);
			if (fd >= 0)
				var[v] = fd;
			result(fd < 0 ? -errno : 0);
		} else {
			uint64_t args[6] = { (uint64_t)fl, (uint64_t)mode }, out[6];
			int64_t h = rcall(K23_RC_OPEN, (uint64_t)var[d], args, argv[3],
					  (uint32_t)strlen(argv[3]) + 1, NULL, 0, out);
			if (h >= 0) {
				var[v] = h;	/* no placeholder: closed with CLOSE */
				ph[v] = -2;
				uint64_t no[6] = { 1 };
				rcall(K23_RC_PLACED, (uint64_t)h, no, NULL, 0, NULL, 0, NULL);
			}
			result(h < 0 ? h : 0);
		}
	} else if (!strcmp(c, "statat") && argc == 3) {
		int d = atoi(argv[1]) % NVAR;
		long rc;
		if (!remote) {
			rc = statx((int)var[d], argv[2], 0, STATX_BASIC_STATS, &st) < 0 ? -errno : 0;
		} else {
			uint64_t args[6] = { 0 };
			rc = rcall(K23_RC_STAT, (uint64_t)var[d], args, argv[2], (uint32_t)strlen(argv[2]) + 1,
				   &st, sizeof(st), NULL);
		}
		statline(rc, &st);
	} else if (!strcmp(c, "close") && argc == 2) {
		if (remote && ph[v] == -2) {
			rcall(K23_RC_CLOSE, (uint64_t)var[v], NULL, NULL, 0, NULL, 0, NULL);
		} else if (remote) {
			close(ph[v]);	/* the proxy sees its EOF and closes the handle */
			ph[v] = -1;
		} else {
			close((int)var[v]);
		}
		result(0);
	} else if (!strcmp(c, "elapsed-below") && argc >= 3) {
		double ms = atof(argv[1]), t0 = now();
		char rest[1024] = "";
		for (int i = 2; i < argc; i++)
			snprintf(rest + strlen(rest), sizeof(rest) - strlen(rest), "%s ", argv[i]);
		printf("\n  ");
		run(rest);
		double took = (now() - t0) * 1000;
		printf("  took-below-%s: %s\n", argv[1], took < ms ? "yes" : "no");
		fprintf(stderr, "remote_chan: %s took %.0f ms\n", argv[2], took);
	} else if (!strcmp(c, "gone") && argc == 2 && remote) {
		int64_t rc = 0;
		for (int i = 0; i < 200; i++) {
			uint64_t args[6] = { 0, 1 };
			rc = rcall(K23_RC_READ, (uint64_t)var[v], args, NULL, 0, buf, 1, NULL);
			if (rc == -EBADF)
				break;
			usleep(10000);
		}
		printf(" %s\n", rc == -EBADF ? "yes" : "no");
	} else if (!strcmp(c, "proxy-pid") && remote) {
		printf(" ok\n");
		fprintf(stderr, "%u\n", hdr->proxy_pid);
	} else {
		printf(" bad command\n");
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	char line[4096];

	if (argc == 3 && !strcmp(argv[1], "native")) {
		dirfd_ = open(argv[2], O_DIRECTORY | O_RDONLY);
		if (dirfd_ < 0) {
			perror(argv[2]);
			return 2;
		}
	} else if (argc == 4 && !strcmp(argv[1], "remote")) {
		struct k23_remote_mount m = { "/mnt/remote", argv[3], 0 };
		struct k23_remote_opts o = { argv[2], 0, 0, NULL };
		const char *t = getenv("REMOTE_TIMEOUT_MS");
		int chan, life;

		if (t)
			o.timeout_ms = (unsigned)atoi(t);
		if (k23_remote_start(&m, 1, &o, &chan, &life) < 0)
			return 1;
		hdr = k23_chan_map(chan);
		if (!hdr) {
			fprintf(stderr, "remote_chan: cannot map the channel\n");
			return 2;
		}
		remote = 1;
	} else {
		fprintf(stderr, "usage: remote_chan native DIR | remote PROXY URL\n");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin))
		run(line);
	return 0;
}
