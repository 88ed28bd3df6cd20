/* chan.c - the client side of the remote-call channel (protocol in chan.h).
 *
 * Freestanding: raw system calls only, no libc, no memory of its own, so the
 * runtime can call it from inside a program (any thread, a signal handler
 * included) and hosted programs (tests, bench) can link the same code.
 */
#include <stdint.h>
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <linux/time.h>
#include "arch/x86_64/syscall.h"
#include "remote/chan.h"

#define CLOCK_MONO 1

static uint64_t now_ms(void)
{
	struct { long sec, nsec; } ts;

	k23_syscall2(__NR_clock_gettime, CLOCK_MONO, (long)&ts);
	return (uint64_t)ts.sec * 1000 + (uint64_t)ts.nsec / 1000000;
}

static void futex_wait_ms(uint32_t *w, uint32_t val, unsigned ms)
{
	struct { long sec, nsec; } ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	k23_syscall4(__NR_futex, (long)w, FUTEX_WAIT, val, (long)&ts);
}

static void futex_wake(uint32_t *w)
{
	k23_syscall3(__NR_futex, (long)w, FUTEX_WAKE, 0x7fffffff);
}

struct k23_chan_hdr *k23_chan_map(int fd)
{
	struct { char pad[48]; long long size; char rest[96]; } st;	/* struct stat */
	struct k23_chan_hdr *h;
	long p;

	if (k23_syscall2(__NR_fstat, fd, (long)&st) < 0 || st.size < (long long)sizeof(*h))
		return 0;
	p = k23_syscall6(__NR_mmap, 0, st.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p < 0 && p > -4096)
		return 0;
	h = (struct k23_chan_hdr *)p;
	if (h->magic != K23_CHAN_MAGIC || h->version != K23_CHAN_VERSION ||
	    h->region_size != (uint64_t)st.size ||
	    h->slot_off + (uint64_t)h->nslots * h->slot_size > h->region_size) {
		k23_syscall2(__NR_munmap, p, st.size);
		return 0;
	}
	return h;
}

/* A pidfd turns readable when its process has exited, reaped or not: the
 * proxy's parent is whoever adopted it, which may never reap it, and a
 * zombie still answers kill(pid, 0). */
int k23_chan_proxy_alive(const struct k23_chan_hdr *h)
{
	struct { int fd; short events, revents; } p;
	long fd, n;

	if (!__atomic_load_n(&h->alive, __ATOMIC_ACQUIRE))
		return 0;
	fd = k23_syscall2(__NR_pidfd_open, h->proxy_pid, 0);
	if (fd == -ESRCH)
		return 0;
	if (fd < 0)	/* no descriptor to spare: cannot tell, so alive */
		return k23_syscall2(__NR_kill, h->proxy_pid, 0) != -ESRCH;
	p.fd = (int)fd;
	p.events = 1;	/* POLLIN */
	p.revents = 0;
	n = k23_syscall3(__NR_poll, (long)&p, 1, 0);
	k23_syscall1(__NR_close, fd);
	return n <= 0;
}

struct k23_chan_slot *k23_chan_claim(struct k23_chan_hdr *h)
{
	uint64_t deadline = now_ms() + h->timeout_ms;
	uint32_t start = (uint32_t)k23_syscall0(__NR_gettid);

	for (;;) {
		for (uint32_t k = 0; k < h->nslots; k++) {
			/* Start at a place that depends on the thread, so threads
			 * rarely race for the same slot. */
			struct k23_chan_slot *s = k23_chan_slot_at(h, (start + k) % h->nslots);
			uint32_t free = K23_SLOT_FREE;

			if (__atomic_compare_exchange_n(&s->state, &free, K23_SLOT_CLAIMED, 0,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
				s->owner_tid = start;
				return s;
			}
		}
		if (!k23_chan_proxy_alive(h) || now_ms() >= deadline)
			return 0;
		struct { long sec, nsec; } ts = { 0, 1000000 };
		k23_syscall2(__NR_nanosleep, (long)&ts, 0);
	}
}

int64_t k23_chan_call(struct k23_chan_hdr *h, struct k23_chan_slot *s)
{
	uint64_t deadline = now_ms() + h->timeout_ms;

	__atomic_store_n(&s->state, K23_SLOT_REQUEST, __ATOMIC_RELEASE);
	__atomic_add_fetch(&h->doorbell, 1, __ATOMIC_RELEASE);
	futex_wake(&h->doorbell);
	for (;;) {
		uint32_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);

		if (st == K23_SLOT_DONE)
			return s->result;
		uint64_t t = now_ms();
		if (t >= deadline || !k23_chan_proxy_alive(h)) {
			/* Give the slot to the proxy to free, unless it just
			 * finished: then the reply is ours after all. */
			if (__atomic_compare_exchange_n(&s->state, &st, K23_SLOT_ABANDONED, 0,
							__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				return K23_CHAN_ABANDONED;
			if (st == K23_SLOT_DONE)
				return s->result;
			continue;
		}
		uint64_t left = deadline - t;
		futex_wait_ms(&s->state, st, left < K23_CHAN_PROBE_MS ? (unsigned)left
								     : K23_CHAN_PROBE_MS);
	}
}

void k23_chan_release(struct k23_chan_slot *s)
{
	uint32_t done = K23_SLOT_DONE;

	/* Only a slot holding our reply. */
	__atomic_compare_exchange_n(&s->state, &done, K23_SLOT_FREE, 0,
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

void k23_chan_unclaim(struct k23_chan_slot *s)
{
	__atomic_store_n(&s->state, K23_SLOT_FREE, __ATOMIC_RELEASE);
}
