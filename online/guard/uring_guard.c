/* uring_guard.c - io_uring submissions must not reach k23's own descriptors.
 *
 * The kernel performs an io_uring operation itself, with no system call k23
 * could see: IORING_OP_CLOSE closes a descriptor of the submitter's table,
 * other operations read or write one. So at io_uring_enter, before the
 * kernel consumes the submission queue, k23 looks at every SQE slot of the
 * ring; a slot naming one of k23's descriptors (not as a fixed file) makes
 * k23 move that descriptor to another number first (fdguard.c). The kernel
 * then finds the number free and fails the operation with EBADF, as it
 * would natively, where k23's descriptor does not exist.
 *
 * Every slot is looked at, pending or not, with a stride of 64 bytes
 * whatever the SQE size, so nothing about the ring's set-up must be known
 * but its entry count: a stale slot or half of a 128-byte SQE read as one
 * costs at worst a move the program cannot notice. The ring is read through
 * short-lived mappings of k23's own (IORING_OFF_SQ_RING for the count,
 * IORING_OFF_SQES for the entries), whatever the program mapped. Where the
 * count sits in the ring is learnt once per image from a ring of k23's own.
 *
 * Not covered (docs/differences.md): a ring whose kernel thread polls the
 * queue (IORING_SETUP_SQPOLL) takes submissions without io_uring_enter;
 * rings in memory the program provides (IORING_SETUP_NO_MMAP) and rings
 * entered by registered index (IORING_ENTER_REGISTERED_RING) cannot be
 * mapped by k23.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/io_uring.h>
#include <linux/mman.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/guard/fdguard.h"

#define SQE_STRIDE 64
#define PAGE 4096UL

static long entries_off;	/* offset of sq_ring_entries in the ring; 0: not known yet, -1: none */

static int is_err(long r)
{
	return (unsigned long)r > -4096UL;
}

static long learn_entries_off(void)
{
	struct io_uring_params p;
	struct k23_fd_room room;
	long fd;

	k23_memset(&p, 0, sizeof(p));
	k23_fd_room_begin(&room, 4);
	fd = k23_syscall2(__NR_io_uring_setup, 1, (long)&p);
	k23_fd_room_end(&room);
	if (fd < 0)
		return -1;
	k23_syscall1(__NR_close, fd);
	if (!p.sq_off.ring_entries || p.sq_off.ring_entries >= PAGE - 4)
		return -1;
	return (long)p.sq_off.ring_entries;
}

/* The ring's SQ entry count, or 0. */
static uint32_t ring_entries(long fd)
{
	long m;
	uint32_t n;

	if (!entries_off)
		entries_off = learn_entries_off();
	if (entries_off < 0)
		return 0;
	m = k23_syscall6(__NR_mmap, 0, PAGE, PROT_READ, MAP_SHARED, fd, IORING_OFF_SQ_RING);
	if (is_err(m))
		return 0;
	n = __atomic_load_n((const uint32_t *)(m + entries_off), __ATOMIC_RELAXED);
	k23_syscall2(__NR_munmap, m, PAGE);
	return n <= 32768 ? n : 0; /* IORING_MAX_ENTRIES */
}

/* The descriptor a slot names, or -1 (none, or a fixed file). */
static int slot_fd(const uint8_t *sqes, size_t at)
{
	const struct io_uring_sqe *s = (const void *)(sqes + at);

	if (__atomic_load_n(&s->flags, __ATOMIC_RELAXED) & IOSQE_FIXED_FILE)
		return -1;
	return __atomic_load_n(&s->fd, __ATOMIC_RELAXED);
}

static int named(const uint8_t *sqes, size_t len, long fd)
{
	for (size_t at = 0; at + SQE_STRIDE <= len; at += SQE_STRIDE)
		if (slot_fd(sqes, at) == fd)
			return 1;
	return 0;
}

/* Moves a named guarded descriptor to a number no slot names (a batch
 * closing 256..263 must not close it at its new place either). */
static void scan(const uint8_t *sqes, size_t len)
{
	for (size_t at = 0; at + SQE_STRIDE <= len; at += SQE_STRIDE) {
		long fd = slot_fd(sqes, at);

		for (int tries = 0; fd >= 0 && tries < 64; tries++) {
			long to = k23_fd_guard_move_from(fd, (unsigned long)fd + 1);

			if (to < 0 || to == fd || !named(sqes, len, to))
				break; /* not k23's, no room, or now clear */
			fd = to; /* onto another named number: further up */
		}
	}
}

void k23_uring_guard(const struct k23_call *c)
{
	long fd = (int)c->args[0], m = -EINVAL;
	uint32_t n;
	size_t len = 0;

	if (c->args[3] & IORING_ENTER_REGISTERED_RING)
		return;
	n = ring_entries(fd);
	if (!n)
		return;
	/* 128-byte SQEs if the ring has them, else 64: the kernel refuses a
	 * mapping longer than the array. */
	for (size_t size = 128; size >= 64 && is_err(m); size /= 2) {
		len = ((size_t)n * size + PAGE - 1) & ~(PAGE - 1);
		m = k23_syscall6(__NR_mmap, 0, (long)len, PROT_READ, MAP_SHARED, fd,
				 (long)IORING_OFF_SQES);
	}
	if (is_err(m))
		return;
	scan((const uint8_t *)m, len);
	k23_syscall2(__NR_munmap, m, (long)len);
}
