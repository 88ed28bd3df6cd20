/* uring_ops.c - files opened, read, written, stat'ed, unlinked and closed through an io_uring ring; prints what it submitted and what its CQEs said.
 *
 *   uring_ops MODE SRC OUT
 *
 * Reads SRC and writes what it read to OUT, every operation through a ring;
 * each step is one io_uring_enter that submits and waits for its
 * completions (io_uring_submit_and_wait), the two closes one enter with two
 * SQEs. MODE is the ring's set-up:
 *   plain    liburing's default ring (64-byte SQEs, 16-byte CQEs, SQ array)
 *   big      IORING_SETUP_SQE128 | IORING_SETUP_CQE32
 *   nommap   IORING_SETUP_NO_MMAP: the rings in memory the program gives
 *            (raw io_uring_setup/io_uring_enter; Linux 6.5)
 *   sqpoll   IORING_SETUP_SQPOLL: a kernel thread takes the SQEs
 *   dup      the plain ring entered through a dup of its descriptor
 *   registered  the plain ring entered by registered index
 *               (io_uring_register_ring_fd)
 *   async    the plain ring, and first a read from a pipe that completes
 *            after the io_uring_enter that submitted it returned (the pipe
 *            is written in between), reaped without entering if it can be;
 *            then a NOP
 *
 * For every SQE it prints "sqe: OP key=value..." and for every CQE it reaps
 * "cqe: user_data=N res=R", from its own knowledge (what it asked for, what
 * its CQEs said), in the words of k23's trace lines, so a test can compare
 * the two. Exit 77: the kernel refuses the ring (io_uring disabled, too old).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <liburing.h>

#ifndef IORING_SETUP_NO_MMAP
#define IORING_SETUP_NO_MMAP (1U << 14)
#endif

static struct io_uring ring;
static int raw_mode;		/* nommap: the ring driven by raw calls */
static unsigned long long next_ud = 1;

/* ---- A ring the program maps itself (IORING_SETUP_NO_MMAP) ---- */

static struct {
	int fd;
	struct io_uring_params p;
	char *rings;
	struct io_uring_sqe *sqes;
	unsigned sq_tail, pending;
} raw;

static int raw_setup(void)
{
	raw.rings = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	raw.sqes = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw.rings == MAP_FAILED || raw.sqes == MAP_FAILED)
		return -ENOMEM;
	memset(&raw.p, 0, sizeof(raw.p));
	raw.p.flags = IORING_SETUP_NO_MMAP;
	/* user_addr (Linux 6.5) is resv2 in liburing 2.3's copy of the header */
	raw.p.cq_off.resv2 = (unsigned long)raw.rings;
	raw.p.sq_off.resv2 = (unsigned long)raw.sqes;
	raw.fd = (int)syscall(__NR_io_uring_setup, 8, &raw.p);
	return raw.fd < 0 ? -errno : 0;
}

static unsigned *ring_u32(unsigned off)
{
	return (unsigned *)(raw.rings + off);
}

static struct io_uring_sqe *raw_get_sqe(void)
{
	unsigned i = raw.sq_tail & (raw.p.sq_entries - 1);

	ring_u32(raw.p.sq_off.array)[i] = i;
	raw.sq_tail++;
	raw.pending++;
	memset(&raw.sqes[i], 0, sizeof(raw.sqes[i]));
	return &raw.sqes[i];
}

static int raw_submit_and_wait(unsigned n)
{
	int r;

	__atomic_store_n(ring_u32(raw.p.sq_off.tail), raw.sq_tail, __ATOMIC_RELEASE);
	r = (int)syscall(__NR_io_uring_enter, raw.fd, raw.pending, n, IORING_ENTER_GETEVENTS, NULL, 0);
	raw.pending = 0;
	return r < 0 ? -errno : r;
}

static int raw_reap(struct io_uring_cqe *out)
{
	unsigned head = *ring_u32(raw.p.cq_off.head);
	unsigned tail = __atomic_load_n(ring_u32(raw.p.cq_off.tail), __ATOMIC_ACQUIRE);
	struct io_uring_cqe *cqes = (void *)(raw.rings + raw.p.cq_off.cqes);

	if (head == tail)
		return -EAGAIN;
	*out = cqes[head & (raw.p.cq_entries - 1)];
	__atomic_store_n(ring_u32(raw.p.cq_off.head), head + 1, __ATOMIC_RELEASE);
	return 0;
}

/* ---- The same steps on either ring ---- */

static struct io_uring_sqe *get_sqe(void)
{
	struct io_uring_sqe *s = raw_mode ? raw_get_sqe() : io_uring_get_sqe(&ring);

	if (!s) {
		fprintf(stderr, "no SQE\n");
		exit(1);
	}
	return s;
}

static unsigned long long tag(struct io_uring_sqe *s)
{
	io_uring_sqe_set_data64(s, next_ud);
	return next_ud++;
}

/* Submits what was prepared and waits for n completions; results[i] is the
 * res of the CQE with user_data first + i. */
static void run(unsigned n, unsigned long long first, int *results)
{
	int r = raw_mode ? raw_submit_and_wait(n) : io_uring_submit_and_wait(&ring, n);

	if (r < 0) {
		fprintf(stderr, "submit: %s\n", strerror(-r));
		exit(1);
	}
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_cqe c, *cp;

		if (raw_mode) {
			if (raw_reap(&c) < 0) {
				fprintf(stderr, "missing CQE\n");
				exit(1);
			}
		} else {
			if (io_uring_wait_cqe(&ring, &cp) < 0)
				exit(1);
			c = *cp;
			io_uring_cqe_seen(&ring, cp);
		}
		printf("cqe: user_data=%llu res=%d\n", (unsigned long long)c.user_data, c.res);
		if (c.user_data >= first && c.user_data < first + n)
			results[c.user_data - first] = c.res;
	}
}

/* async: a read the kernel finishes after its io_uring_enter returned. */
static void late_read(void)
{
	struct io_uring_sqe *s;
	struct io_uring_cqe *c;
	unsigned long long ud;
	char b[8];
	int p[2];

	if (pipe(p))
		exit(1);
	s = get_sqe();
	io_uring_prep_read(s, p[0], b, sizeof(b), 0);
	ud = tag(s);
	printf("sqe: IORING_OP_READ fd=%d len=%zu user_data=%llu\n", p[0], sizeof(b), ud);
	if (io_uring_submit(&ring) != 1 || write(p[1], "ping", 4) != 4 ||
	    io_uring_wait_cqe(&ring, &c) < 0)
		exit(1);
	printf("cqe: user_data=%llu res=%d\n", (unsigned long long)c->user_data, c->res);
	io_uring_cqe_seen(&ring, c);
	close(p[0]);
	close(p[1]);
	s = get_sqe();
	io_uring_prep_nop(s);
	ud = tag(s);
	printf("sqe: IORING_OP_NOP user_data=%llu\n", ud);
	run(1, ud, (int[]){ 0 });
}

static int do_open(const char *path, int flags, mode_t mode)
{
	struct io_uring_sqe *s = get_sqe();
	unsigned long long ud;
	int res;

	io_uring_prep_openat(s, AT_FDCWD, path, flags, mode);
	ud = tag(s);
	printf("sqe: IORING_OP_OPENAT fd=AT_FDCWD path=\"%s\" user_data=%llu\n", path, ud);
	run(1, ud, &res);
	return res;
}

int main(int argc, char **argv)
{
	static char buf[4096];
	struct statx stx;
	struct io_uring_sqe *s;
	unsigned long long ud;
	int in, out, n, res[2], r;

	if (argc != 4)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "nommap")) {
		raw_mode = 1;
		r = raw_setup();
	} else {
		struct io_uring_params p;

		memset(&p, 0, sizeof(p));
		if (!strcmp(argv[1], "big")) {
			p.flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
		} else if (!strcmp(argv[1], "sqpoll")) {
			p.flags = IORING_SETUP_SQPOLL;
			p.sq_thread_idle = 2000;
		} else if (strcmp(argv[1], "plain") && strcmp(argv[1], "dup") &&
			   strcmp(argv[1], "registered") && strcmp(argv[1], "async")) {
			return 2;
		}
		r = io_uring_queue_init_params(8, &ring, &p);
	}
	if (r < 0) {
		printf("ring: %s\n", strerror(-r));
		return 77;
	}
	if (!strcmp(argv[1], "dup"))
		ring.ring_fd = ring.enter_ring_fd = dup(ring.ring_fd);
	if (!strcmp(argv[1], "registered") && (r = io_uring_register_ring_fd(&ring)) != 1) {
		printf("io_uring_register_ring_fd: %s\n", strerror(-r));
		return 77;
	}
	if (!strcmp(argv[1], "async"))
		late_read();

	if ((in = do_open(argv[2], O_RDONLY, 0)) < 0)
		return 1;
	s = get_sqe();
	io_uring_prep_read(s, in, buf, sizeof(buf), 0);
	ud = tag(s);
	printf("sqe: IORING_OP_READ fd=%d len=%zu off=0 user_data=%llu\n", in, sizeof(buf), ud);
	run(1, ud, &n);
	if (n < 0)
		return 1;

	if ((out = do_open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return 1;
	s = get_sqe();
	io_uring_prep_write(s, out, buf, (unsigned)n, 0);
	ud = tag(s);
	printf("sqe: IORING_OP_WRITE fd=%d len=%d off=0 user_data=%llu\n", out, n, ud);
	run(1, ud, res);

	s = get_sqe();
	io_uring_prep_statx(s, AT_FDCWD, argv[3], 0, STATX_SIZE, &stx);
	ud = tag(s);
	printf("sqe: IORING_OP_STATX fd=AT_FDCWD path=\"%s\" mask=STATX_SIZE user_data=%llu\n",
	       argv[3], ud);
	run(1, ud, res);
	printf("statx: size %llu\n", (unsigned long long)stx.stx_size);

	/* two SQEs, one io_uring_enter */
	s = get_sqe();
	io_uring_prep_close(s, in);
	ud = tag(s);
	printf("sqe: IORING_OP_CLOSE fd=%d user_data=%llu\n", in, ud);
	s = get_sqe();
	io_uring_prep_close(s, out);
	printf("sqe: IORING_OP_CLOSE fd=%d user_data=%llu\n", out, tag(s));
	run(2, ud, res);

	/* a failing one: its CQE carries -ENOENT */
	do_open("missing-k23-uring-file", O_RDONLY, 0);
	s = get_sqe();
	io_uring_prep_unlinkat(s, AT_FDCWD, "missing-k23-uring-file", 0);
	ud = tag(s);
	printf("sqe: IORING_OP_UNLINKAT fd=AT_FDCWD path=\"missing-k23-uring-file\" user_data=%llu\n",
	       ud);
	run(1, ud, res);
	return 0;
}
