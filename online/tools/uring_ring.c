/* uring_ring.c - the trace tool's view of the program's io_uring rings: which rings exist, where their queues lie, what the kernel took and completed.
 *
 * A ring's layout (entry counts; where head, tail, mask and the arrays lie;
 * 64- or 128-byte SQEs, 16- or 32-byte CQEs) is what io_uring_setup wrote
 * into the program's struct io_uring_params. When io_uring_enter is traced,
 * io_uring_setup goes through the dispatcher and k23 keeps a copy of those
 * parameters per ring descriptor (otherwise it takes the fast path as
 * before: a program that uses no ring pays nothing, one that is not traced
 * nothing either).
 *
 * Submissions: before io_uring_enter is made, k23 notes the SQ head (the
 * index of the next SQE the kernel takes). The call returns how many SQEs
 * it took, so after the call the SQEs from that head on, that many, are the
 * ones this call consumed. They are read after the call: the kernel never
 * writes SQEs, and the thread that filled them is still in the call.
 *
 * Completions: each ring remembers the CQ tail up to which CQEs were shown.
 * After each io_uring_enter the CQEs from there to the tail are shown: those
 * that arrived during the call, and those the kernel's workers posted since
 * the previous io_uring_enter (an operation that finished after the call
 * that submitted it returned, which the program reaped without entering).
 *
 * The rings are read through short-lived mappings of k23's own, as the
 * guard does (online/guard/uring_guard.c), never through the program's,
 * which may be gone or elsewhere. Rings in memory the program provides
 * (IORING_SETUP_NO_MMAP) are read with process_vm_readv where it put them.
 *
 * A ring entered by registered index (IORING_ENTER_REGISTERED_RING) is
 * found through the descriptor its index was registered from: k23 follows
 * io_uring_register(IORING_(UN)REGISTER_RING_FDS), per thread as the kernel
 * keeps them.
 *
 * Not shown (docs/strace-compat.md, "io_uring"): the SQEs of a ring whose
 * kernel thread takes them (IORING_SETUP_SQPOLL; its CQEs are shown); ring
 * descriptors k23 did not see io_uring_setup return in this process (kept
 * across execve, received over a socket, a dup of one); registered indices
 * whose descriptor was closed since, or that never had one
 * (IORING_SETUP_REGISTERED_FD_ONLY); set-up flags newer than Linux 6.13
 * (k23 cannot know whether they change the layout; the mixed-size SQE and
 * CQE rings of 6.18 do).
 */
#include <asm/unistd.h>
#include <linux/mman.h>
#include "online/tools/uring_ring.h"
#include "k23/compat.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/dispatch/dispatch.h"

#define PAGE 4096UL
#define RINGS 64		/* rings recorded per process; more replace the oldest */
#define KNOWN_FLAGS ((1U << 18) - 1)	/* IORING_SETUP_* up to HYBRID_IOPOLL (6.13) */
#define REGS 64			/* registered ring indices followed per process */
/* io_uring_register's opcode flag (Linux 6.3): the descriptor argument is a
 * registered index (an enum member in newer headers, so not #ifndef-able). */
#define REGISTER_USE_REGISTERED_RING (1U << 31)

struct ring {
	int key;		/* the descriptor + 1; 0: free; -1: being written */
	uint32_t seen_cq;	/* CQEs before this tail were shown */
	struct io_uring_params p;
};

/* A registered ring index of a thread and the descriptor it names. */
struct reg {
	int tid;		/* 0: free */
	unsigned index;
	int fd;
};

static void *table;		/* struct ring[RINGS], mapped at the first ring */
static unsigned next_victim;	/* where a full table writes next */
static void *regs;		/* struct reg[REGS], mapped at the first registration */

static bool is_err(long r)
{
	return (unsigned long)r > -4096UL;
}

int k23_uring_traced(void)
{
	return k23_rt.tool == K23_TOOL_TRACE && k23_tool_wants(__NR_io_uring_enter);
}

/* ---- The table of rings ---- */

static struct ring *find(struct ring *t, int key)
{
	for (int i = 0; i < RINGS; i++)
		if (__atomic_load_n(&t[i].key, __ATOMIC_ACQUIRE) == key)
			return &t[i];
	return 0;
}

/* A slot for key, claimed (key -1): its own, a free one, or the next victim. */
static struct ring *claim(struct ring *t, int key)
{
	for (int want = key, round = 0; round < 2; round++, want = 0) {
		for (int i = 0; i < RINGS; i++) {
			int k = want;

			if (__atomic_compare_exchange_n(&t[i].key, &k, -1, 0, __ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				return &t[i];
		}
	}
	for (int tries = 0; tries < RINGS; tries++) {
		struct ring *r = &t[__atomic_fetch_add(&next_victim, 1, __ATOMIC_RELAXED) % RINGS];
		int k = __atomic_load_n(&r->key, __ATOMIC_RELAXED);

		if (k > 0 && __atomic_compare_exchange_n(&r->key, &k, -1, 0, __ATOMIC_ACQUIRE,
							 __ATOMIC_RELAXED))
			return r;
	}
	return 0;
}

static void record(int fd, const struct io_uring_params *p)
{
	struct ring *t = k23_map_lazy(&table, RINGS * sizeof(struct ring), 1), *r;

	if (!t || !(r = claim(t, fd + 1)))
		return;
	r->p = *p;
	__atomic_store_n(&r->seen_cq, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->key, fd + 1, __ATOMIC_RELEASE);
}

/* The recorded parameters of ring fd. A ring replaced meanwhile (closed,
 * its number given to a new ring) may give a torn copy: k23_ur_open checks
 * it against the ring itself. */
static bool lookup(int fd, struct io_uring_params *p, uint32_t **seen)
{
	struct ring *t = k23_map_lazy(&table, RINGS * sizeof(struct ring), 0), *r;

	if (fd < 0 || !t || !(r = find(t, fd + 1)))
		return false;
	*p = r->p;
	*seen = &r->seen_cq;
	return true;
}

static void setup_call(struct k23_call *c)
{
	struct io_uring_params p;

	if (k23_copy_from(&p, (const void *)c->args[1], sizeof(p)))
		return;
	if (!(p.flags & IORING_SETUP_REGISTERED_FD_ONLY)) /* else ret is no descriptor */
		record((int)c->ret, &p);
}

/* ---- Registered ring indices ---- */

/* Only the thread itself writes its entries; a free slot is claimed by
 * its tid. fd -1 removes the entry. */
static void reg_set(int tid, unsigned index, int fd)
{
	struct reg *t = k23_map_lazy(&regs, REGS * sizeof(struct reg), fd >= 0);

	for (int i = 0; t && i < REGS; i++)
		if (__atomic_load_n(&t[i].tid, __ATOMIC_ACQUIRE) == tid && t[i].index == index) {
			if (fd >= 0)
				t[i].fd = fd;
			else
				__atomic_store_n(&t[i].tid, 0, __ATOMIC_RELEASE);
			return;
		}
	for (int i = 0; t && fd >= 0 && i < REGS; i++) {
		int none = 0;

		if (__atomic_compare_exchange_n(&t[i].tid, &none, -1, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED)) {
			t[i].index = index;
			t[i].fd = fd;
			__atomic_store_n(&t[i].tid, tid, __ATOMIC_RELEASE);
			return;
		}
	}
}

/* The descriptor the calling thread registered as index, or -1. */
static int reg_fd(unsigned index)
{
	struct reg *t = k23_map_lazy(&regs, REGS * sizeof(struct reg), 0);
	int tid = (int)k23_tid();

	for (int i = 0; t && i < REGS; i++)
		if (__atomic_load_n(&t[i].tid, __ATOMIC_ACQUIRE) == tid && t[i].index == index)
			return t[i].fd;
	return -1;
}

/* IORING_(UN)REGISTER_RING_FDS: the kernel wrote the index it chose into
 * each update it made (the first ret of them). */
static void register_call(struct k23_call *c)
{
	unsigned op = (unsigned)c->args[1] & ~REGISTER_USE_REGISTERED_RING;
	struct io_uring_rsrc_update u;
	int tid = (int)k23_tid();

	if (op != IORING_REGISTER_RING_FDS && op != IORING_UNREGISTER_RING_FDS)
		return;
	for (long i = 0; i < c->ret && i < 16; i++) { /* IO_RINGFD_REG_MAX */
		if (k23_copy_from(&u, (const char *)c->args[2] + i * sizeof(u), sizeof(u)))
			return;
		reg_set(tid, u.offset, op == IORING_REGISTER_RING_FDS ? (int)u.data : -1);
	}
}

void k23_uring_call(struct k23_call *c)
{
	c->ret = k23_passthrough(c);
	if (k23_is_error(c->ret) || !k23_uring_traced())
		return;
	if (c->nr == __NR_io_uring_setup)
		setup_call(c);
	else
		register_call(c);
}

/* ---- Reading a ring ---- */

static bool layout_known(const struct io_uring_params *p)
{
	return !(p->flags & ~KNOWN_FLAGS) && p->sq_entries && p->cq_entries &&
	       !(p->sq_entries & (p->sq_entries - 1)) && !(p->cq_entries & (p->cq_entries - 1));
}

static size_t round_page(size_t n)
{
	return (n + PAGE - 1) & ~(PAGE - 1);
}

static size_t max2(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* Bytes of the SQ ring k23 reads: the header words and the index array. */
static size_t sq_need(const struct io_uring_params *p)
{
	const struct io_sqring_offsets *o = &p->sq_off;
	size_t n = max2(max2(o->head, o->tail), max2(o->ring_mask, o->ring_entries)) + 4;

	if (!(p->flags & IORING_SETUP_NO_SQARRAY))
		n = max2(n, (size_t)o->array + (size_t)p->sq_entries * 4);
	return n;
}

static size_t cq_need(const struct io_uring_params *p, size_t cqe_size)
{
	const struct io_cqring_offsets *o = &p->cq_off;
	size_t n = max2(max2(o->head, o->tail), max2(o->ring_mask, o->ring_entries)) + 4;

	return max2(n, (size_t)o->cqes + (size_t)p->cq_entries * cqe_size);
}

static const uint8_t *map_part(int fd, unsigned long long off, size_t len)
{
	long m = k23_syscall6(__NR_mmap, 0, (long)round_page(len), PROT_READ, MAP_SHARED, fd,
			      (long)off);

	return is_err(m) ? 0 : (const uint8_t *)m;
}

static void unmap_part(const uint8_t *m, size_t len)
{
	if (m)
		k23_syscall2(__NR_munmap, (long)m, (long)round_page(len));
}

bool k23_ur_read(const struct k23_ur_view *v, const uint8_t *part, size_t len, size_t off,
		 void *dst, size_t n)
{
	if (!part || off > len || n > len - off)
		return false;
	if (v->user)
		return k23_copy_from(dst, part + off, n) == 0;
	k23_memcpy(dst, part + off, n);
	return true;
}

static bool read32(const struct k23_ur_view *v, const uint8_t *part, size_t len, size_t off,
		   uint32_t *val)
{
	if (!v->user && part && len >= 4 && off <= len - 4 && !(off & 3)) {
		/* the kernel updates heads and tails while k23 reads */
		*val = __atomic_load_n((const uint32_t *)(part + off), __ATOMIC_ACQUIRE);
		return true;
	}
	return k23_ur_read(v, part, len, off, val, 4);
}

/* The mapped ring is the one recorded: its masks and counts agree. */
static bool agrees(const struct k23_ur_view *v)
{
	const struct io_uring_params *p = &v->p;
	uint32_t sm, se, cm, ce;

	return read32(v, v->ring, v->ring_len, p->sq_off.ring_mask, &sm) &&
	       read32(v, v->ring, v->ring_len, p->sq_off.ring_entries, &se) &&
	       read32(v, v->cq, v->cq_len, p->cq_off.ring_mask, &cm) &&
	       read32(v, v->cq, v->cq_len, p->cq_off.ring_entries, &ce) &&
	       sm == p->sq_entries - 1 && se == p->sq_entries && cm == p->cq_entries - 1 &&
	       ce == p->cq_entries;
}

/* Maps (or, for IORING_SETUP_NO_MMAP, locates) the ring's parts; the SQE
 * array only when with_sqes. */
static bool open_parts(int fd, struct k23_ur_view *v, bool with_sqes)
{
	const struct io_uring_params *p = &v->p;

	v->sqe_size = sizeof(struct io_uring_sqe) << !!(p->flags & IORING_SETUP_SQE128);
	v->cqe_size = sizeof(struct io_uring_cqe) << !!(p->flags & IORING_SETUP_CQE32);
	v->ring_len = sq_need(p);
	v->cq_len = cq_need(p, v->cqe_size);
	v->sqes_len = with_sqes ? (size_t)p->sq_entries * v->sqe_size : 0;
	if (p->flags & IORING_SETUP_NO_MMAP) {
		v->user = true;
		v->ring = (const uint8_t *)K23_URING_USER_ADDR(p->cq_off);
		v->ring_len = v->cq_len = max2(v->ring_len, v->cq_len);
		v->cq = v->ring;
		v->sqes = with_sqes ? (const uint8_t *)K23_URING_USER_ADDR(p->sq_off) : 0;
		return v->ring && (!with_sqes || v->sqes);
	}
	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		v->ring_len = v->cq_len = max2(v->ring_len, v->cq_len);
		v->ring = v->cq = map_part(fd, IORING_OFF_SQ_RING, v->ring_len);
	} else {
		v->ring = map_part(fd, IORING_OFF_SQ_RING, v->ring_len);
		v->cq = map_part(fd, IORING_OFF_CQ_RING, v->cq_len);
		v->mapped_cq = true;
	}
	if (with_sqes)
		v->sqes = map_part(fd, IORING_OFF_SQES, v->sqes_len);
	return v->ring && v->cq && (!with_sqes || v->sqes);
}

void k23_ur_close(struct k23_ur_view *v)
{
	if (v->user)
		return;
	if (v->mapped_cq)
		unmap_part(v->cq, v->cq_len);
	unmap_part(v->ring, v->ring_len);
	unmap_part(v->sqes, v->sqes_len);
	v->ring = v->cq = v->sqes = 0;
}

static enum k23_ur_state open_view(const struct k23_call *c, struct k23_ur_view *v,
				   bool with_sqes)
{
	int fd = (int)c->args[0];

	k23_memset(v, 0, sizeof(*v));
	if ((c->args[3] & IORING_ENTER_REGISTERED_RING) && (fd = reg_fd((unsigned)c->args[0])) < 0)
		return K23_UR_REGISTERED;
	if (!lookup(fd, &v->p, &v->seen_cq))
		return K23_UR_UNKNOWN;
	if (!layout_known(&v->p))
		return K23_UR_LAYOUT;
	if (!open_parts(fd, v, with_sqes) || !agrees(v)) {
		k23_ur_close(v);
		return K23_UR_UNREADABLE;
	}
	return K23_UR_OK;
}

void k23_uring_enter_snap(struct k23_call *c)
{
	struct k23_ur_view v;

	if (!c->args[1] || open_view(c, &v, false) != K23_UR_OK)
		return;
	if (!(v.p.flags & IORING_SETUP_SQPOLL) &&
	    read32(&v, v.ring, v.ring_len, v.p.sq_off.head, &c->uring_sq_head))
		c->uring_sq_known = 1;
	k23_ur_close(&v);
}

enum k23_ur_state k23_ur_open(const struct k23_call *c, struct k23_ur_view *v)
{
	return open_view(c, v, c->uring_sq_known && !k23_is_error(c->ret) && c->ret > 0);
}

bool k23_ur_sqe(const struct k23_ur_view *v, uint32_t index, struct io_uring_sqe *sqe)
{
	uint32_t slot = index & (v->p.sq_entries - 1);

	if (!(v->p.flags & IORING_SETUP_NO_SQARRAY) &&
	    (!read32(v, v->ring, v->ring_len, v->p.sq_off.array + (size_t)slot * 4, &slot) ||
	     slot >= v->p.sq_entries))
		return false;
	return k23_ur_read(v, v->sqes, v->sqes_len, (size_t)slot * v->sqe_size, sqe, sizeof(*sqe));
}

bool k23_ur_cq_tail(const struct k23_ur_view *v, uint32_t *tail)
{
	return read32(v, v->cq, v->cq_len, v->p.cq_off.tail, tail);
}

bool k23_ur_cqe(const struct k23_ur_view *v, uint32_t index, struct io_uring_cqe *cqe)
{
	size_t at = v->p.cq_off.cqes + (size_t)(index & (v->p.cq_entries - 1)) * v->cqe_size;

	return k23_ur_read(v, v->cq, v->cq_len, at, cqe, sizeof(*cqe));
}

uint32_t k23_ur_claim_cqes(const struct k23_ur_view *v, uint32_t tail)
{
	uint32_t from = __atomic_load_n(v->seen_cq, __ATOMIC_RELAXED);

	do {
		if ((int32_t)(tail - from) <= 0)
			return tail; /* another thread showed them already */
	} while (!__atomic_compare_exchange_n(v->seen_cq, &from, tail, 0, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return from;
}
