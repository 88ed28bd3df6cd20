/* test_remote_client.c - the runtime's client of remote trees (online/remote/) against a fake proxy in a thread of the test.
 *
 * The fake serves the channel (common/remote/chan.h) from a local
 * directory: OPEN (with a real socketpair placeholder the client fetches
 * with pidfd_getfd from this very process), READ, WRITE and GETDENTS at the
 * handle's offset, SEEK, STAT, PLACED, CLOSE. Only what the client's
 * bookkeeping needs is checked here: which paths are remote, that the
 * program's descriptor is the kernel's lowest free number, that dup'd
 * descriptors share one offset, that a number reused for a local file is
 * no longer taken for remote, and close-on-exec as asked. The real proxy
 * and server are tested by tests/integration/remote_*.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "policy/policy.h"
#include "policy/blob.h"
#include "online/core/rt.h"
#include "online/remote/rremote.h"

static char dir[] = "/tmp/k23-test-rr.XXXXXX";
static unsigned char *blob;
static struct k23_policy_view v;
static struct k23_chan_hdr *h;
static volatile int stop;
static pthread_t proxy;

struct fake { int fd, keep; off_t off; DIR *d; };
static struct fake handles[64];
static int nhandles = 1;

/* The fake's descriptors stay out of the way of the numbers under test
 * (a real proxy is another process). */
static int high(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, 100);

	close(fd);
	return h;
}

static void serve(struct k23_chan_slot *s)
{
	struct fake *f = s->handle < (uint64_t)nhandles ? &handles[s->handle] : NULL;
	char path[PATH_MAX];
	off_t off;
	ssize_t r = 0;
	int sv[2];

	switch (s->op) {
	case K23_RC_OPEN:
		snprintf(path, sizeof(path), "%s/%s", dir, (char *)s->payload);
		r = open(path, (int)s->args[0] | O_CLOEXEC, (mode_t)s->args[1]);
		if (r < 0) { r = -errno; break; }
		r = high((int)r);
		socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
		sv[0] = high(sv[0]);
		sv[1] = high(sv[1]);
		handles[nhandles] = (struct fake){ (int)r, sv[0], 0, NULL };
		s->args[0] = (uint64_t)sv[1]; /* closed after PLACED */
		handles[nhandles].d = (void *)(intptr_t)sv[1];
		r = nhandles++;
		break;
	case K23_RC_PLACED:
		close((int)(intptr_t)f->d);
		f->d = NULL;
		break;
	case K23_RC_READ: case K23_RC_WRITE:
		off = s->args[2] & K23_RC_AT_OFFSET ? f->off : (off_t)s->args[0];
		r = s->op == K23_RC_READ ? pread(f->fd, s->payload, s->args[1], off)
					 : pwrite(f->fd, s->payload, s->len, off);
		if (r < 0) r = -errno;
		else if (s->args[2] & K23_RC_AT_OFFSET) f->off += r;
		break;
	case K23_RC_SEEK:
		r = s->args[1] == SEEK_CUR ? f->off + (off_t)s->args[0] : (off_t)s->args[0];
		f->off = r;
		break;
	case K23_RC_STAT:
		if (s->handle)
			r = statx(f->fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, (struct statx *)s->payload);
		else {
			snprintf(path, sizeof(path), "%s/%s", dir, (char *)s->payload);
			r = statx(AT_FDCWD, path, (int)s->args[0], STATX_BASIC_STATS, (struct statx *)s->payload);
		}
		if (r < 0) r = -errno;
		s->len = sizeof(struct statx);
		break;
	case K23_RC_GETDENTS:
		lseek(f->fd, f->off, SEEK_SET);
		r = syscall(SYS_getdents64, f->fd, s->payload, s->args[1]);
		if (r < 0) r = -errno;
		else f->off = lseek(f->fd, 0, SEEK_CUR);
		break;
	case K23_RC_CLOSE:
		close(f->fd);
		break;
	default:
		r = -ENOSYS;
	}
	s->result = r;
}

static void *run_proxy(void *arg)
{
	(void)arg;
	while (!stop) {
		uint32_t bell = __atomic_load_n(&h->doorbell, __ATOMIC_ACQUIRE);

		for (uint32_t i = 0; i < h->nslots; i++) {
			struct k23_chan_slot *s = k23_chan_slot_at(h, i);
			uint32_t st = K23_SLOT_REQUEST;

			if (!__atomic_compare_exchange_n(&s->state, &st, K23_SLOT_BUSY, 0, __ATOMIC_ACQ_REL,
							 __ATOMIC_RELAXED))
				continue;
			serve(s);
			__atomic_store_n(&s->state, K23_SLOT_DONE, __ATOMIC_RELEASE);
			syscall(SYS_futex, &s->state, FUTEX_WAKE, 1, 0, 0, 0);
		}
		struct timespec ts = { 0, 20000000 };
		syscall(SYS_futex, &h->doorbell, FUTEX_WAIT, bell, &ts, 0, 0);
	}
	return NULL;
}

static int setup(void **state)
{
	char pol[PATH_MAX], file[PATH_MAX];
	struct pol_compiled c = { 0 };
	struct policy p;
	struct stat st;
	FILE *f;
	int fd, cfd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(pol, sizeof(pol), "%s/p.yaml", dir);
	f = fopen(pol, "w");
	fprintf(f, "remote:\n  /k23-test-remote/data: \"9p://127.0.0.1:1/x\"\n");
	fclose(f);
	snprintf(file, sizeof(file), "%s/hello", dir);
	f = fopen(file, "w");
	fputs("hello, remote world\n", f);
	fclose(f);
	assert_int_equal(k23_policy_read(pol, &p), 0);
	fd = memfd_create("blob", 0);
	assert_int_equal(k23_policy_write_blob(&p, &c, fd), 0);
	fstat(fd, &st);
	blob = malloc((size_t)st.st_size);
	assert_int_equal(pread(fd, blob, (size_t)st.st_size, 0), st.st_size);
	close(fd);
	k23_policy_free(&p);
	assert_int_equal(k23_policy_view(blob, (unsigned long)st.st_size, &v), 1);
	/* The channel, as the launcher makes it. */
	cfd = memfd_create("chan", 0);
	assert_int_equal(ftruncate(cfd, (off_t)k23_chan_region_size()), 0);
	h = mmap(NULL, k23_chan_region_size(), PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
	*h = (struct k23_chan_hdr){ K23_CHAN_MAGIC, K23_CHAN_VERSION, K23_CHAN_NSLOTS, K23_CHAN_SLOT_SIZE,
		K23_CHAN_SLOT_SIZE - sizeof(struct k23_chan_slot), (uint32_t)((sizeof(*h) + 4095) & ~4095ul),
		0, (uint32_t)getpid(), 1, 5000, 4000, 1, 0, k23_chan_region_size(), { { "", "", 0, 0 } } };
	pthread_create(&proxy, NULL, run_proxy, NULL);
	k23_rt.chan_fd = cfd;
	assert_int_equal(k23_rr_attach(&v), 0);
	assert_int_equal(k23_rr_on(), 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	stop = 1;
	pthread_join(proxy, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static long call(long nr, long a0, long a1, long a2, long a3)
{
	struct k23_call c = { .nr = nr, .args = { a0, a1, a2, a3, 0, 0 } };
	struct k23_virt_call vc = { .taken = 0 };
	int answered;

	if (nr == SYS_openat || nr == SYS_newfstatat || nr == SYS_stat)
		answered = k23_rr_path_before(&c, &vc, NULL);
	else
		answered = k23_rr_fd_before(&c, &vc, NULL);
	if (!answered) {
		c.ret = syscall(nr, a0, a1, a2, a3);
		if (c.ret < 0)
			c.ret = -errno;
	}
	if (vc.taken)
		k23_rr_dup_after(&c, &vc, NULL);
	return c.ret;
}

static void test_paths(void **state)
{
	char out[K23_VIRT_PATH_MAX];
	uint32_t m;
	uint64_t hd;

	(void)state;
	assert_int_equal(k23_rr_where(AT_FDCWD, (unsigned long)"/k23-test-remote/data//a/./b", out, &m, &hd), 1);
	assert_string_equal(out, "a/b");
	assert_int_equal(k23_rr_where(AT_FDCWD, (unsigned long)"/k23-test-remote/data", out, &m, &hd), 1);
	assert_string_equal(out, "");
	/* A lookalike, a climb out of the tree, a relative name from the cwd: local. */
	assert_int_equal(k23_rr_where(AT_FDCWD, (unsigned long)"/k23-test-remote/database", out, &m, &hd), 0);
	assert_int_equal(k23_rr_where(AT_FDCWD, (unsigned long)"/k23-test-remote/data/../etc", out, &m, &hd), 0);
	assert_int_equal(k23_rr_where(AT_FDCWD, (unsigned long)"data/x", out, &m, &hd), 0);
}

static void test_open_read_dup(void **state)
{
	int lowest = dup(0), fd, fd2, flags;
	char buf[64] = { 0 };
	struct stat st;

	(void)state;
	close(lowest);
	fd = (int)call(SYS_openat, AT_FDCWD, (long)"/k23-test-remote/data/hello", O_RDONLY, 0);
	assert_int_equal(fd, lowest); /* the number an open gets natively */
	flags = fcntl(fd, F_GETFD);
	assert_int_equal(flags & FD_CLOEXEC, 0);
	assert_int_equal(call(SYS_read, fd, (long)buf, 6, 0), 6);
	assert_string_equal(buf, "hello,");
	fd2 = (int)call(SYS_dup, fd, 0, 0, 0);
	assert_true(fd2 > fd);
	/* One open file description: the offset is shared. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(call(SYS_read, fd2, (long)buf, 7, 0), 7);
	assert_string_equal(buf, " remote");
	assert_int_equal(call(SYS_lseek, fd, 0, SEEK_SET, 0), 0);
	assert_int_equal(call(SYS_pread64, fd2, (long)buf, 5, 7), 5);
	assert_memory_equal(buf, "remot", 5);
	assert_int_equal(call(SYS_fstat, fd, (long)&st, 0, 0), 0);
	assert_int_equal(st.st_size, 20);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(call(SYS_fcntl, fd, F_GETFL, 0, 0) & O_ACCMODE, O_RDONLY);
	assert_int_equal(call(SYS_write, fd, (long)"x", 1, 0), -EBADF);
	assert_int_equal(call(SYS_close, fd, 0, 0, 0), 0);
	/* The number, reused for a local file, is the kernel's again. */
	fd = open("/dev/zero", O_RDONLY);
	assert_int_equal(fd, lowest);
	assert_int_equal(k23_rr_maybe(fd), 0);
	memset(buf, 1, 4);
	assert_int_equal(call(SYS_read, fd, (long)buf, 4, 0), 4);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	close(fd);
	assert_int_equal(call(SYS_close, fd2, 0, 0, 0), 0);
}

static void test_missing_and_cloexec(void **state)
{
	int fd;

	(void)state;
	assert_int_equal(call(SYS_openat, AT_FDCWD, (long)"/k23-test-remote/data/none", O_RDONLY, 0), -ENOENT);
	fd = (int)call(SYS_openat, AT_FDCWD, (long)"/k23-test-remote/data", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	{
		char d[4096];
		long n = call(SYS_getdents64, fd, (long)d, sizeof(d), 0);
		int seen = 0;

		assert_true(n > 0);
		for (long o = 0; o < n; o += ((struct dirent *)(d + o))->d_reclen)
			seen |= !strcmp(((struct dirent *)(d + o))->d_name, "hello");
		assert_true(seen);
	}
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_open_read_dup),
		cmocka_unit_test(test_missing_and_cloexec),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
