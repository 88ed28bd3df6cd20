/* ptrace_sud.c - PTRACE_SET/GET_SYSCALL_USER_DISPATCH_CONFIG from a tracer under k23 on a tracee under k23: the tracee's own SUD, emulated.
 *
 * The kernel's SUD configuration of a tracee under k23 is k23's, and must
 * stay so: set for real, it would switch off k23's interposition of the
 * tracee (or dispatch k23's own calls to the program). The program's own
 * SUD is emulated in the tracee (views/prog_sud.c: its k23_thread entry),
 * so the tracer's k23 sets and reads that instead, through
 * process_vm_readv/writev at the addresses of its own copy (k23 lies at the
 * same address in every image, ptrace_shared.h). The kernel's checks come
 * first: the real GET request with the tracer's size judges the tracee's
 * state (not traced by this thread, not stopped: ESRCH) and the size
 * (EINVAL); then the configuration is checked as the kernel checks it
 * (kernel/entry/syscall_user_dispatch.c). The tracee's table of threads
 * may not even be mapped, and the tracer cannot map it: SET leaves a
 * request in the tracee's k23_ptrace_shared, which the thread takes into
 * its entry at its next trapped call, before that call is judged; GET
 * reports a request not taken yet, else the entry. Inclusive mode is kept,
 * as the kernel keeps it, as the inverted range, so GET reports it as mode
 * ON with that range.
 */
#include <stdint.h>
#include <asm/errno.h>
#include <linux/prctl.h>
#include "online/core/rtlib.h"
#include "online/core/thread.h"
#include "online/dispatch/fastpath.h"
#include "online/views/prog_sud.h"
#include "online/ptrace/ptrace_shared.h"
#include "online/ptrace/ptrace_tracer.h"
#include "online/ptrace/ptrace_sud.h"

#ifndef PR_SYS_DISPATCH_INCLUSIVE_ON
#define PR_SYS_DISPATCH_INCLUSIVE_ON 2
#endif
#define TASK_SIZE_MAX 0x7ffffffff000UL

struct sud_config {	/* the kernel's struct ptrace_sud_config */
	uint64_t mode, selector, offset, len;
};

#define SHARED(f) ((unsigned long)&k23_ptrace_shared.f)
#define REQ(i, f) ((unsigned long)&k23_ptrace_shared.sud_req[i].f)

/* The slot of the tracee's requests that holds one for tid (or, if free
 * is set, a free one): its index, or -1. */
static int req_slot(int tid, int free)
{
	int other, empty = -1;

	for (int i = 0; i < K23_SUD_REQS; i++) {
		if (k23_tracee_read(tid, REQ(i, tid), &other, sizeof(other)))
			return -1;
		if (other == tid)
			return i;
		if (other == 0 && empty < 0)
			empty = i;
	}
	return free ? empty : -1;
}

static long set_config(int tid, const struct sud_config *c)
{
	struct k23_sud_req r = { 0, c->mode != PR_SYS_DISPATCH_OFF, c->offset, c->len,
				 (const volatile unsigned char *)(uintptr_t)c->selector };
	int one = 1, zero = 0, i;

	switch (c->mode) {
	case PR_SYS_DISPATCH_OFF:
		if (r.start || r.len || r.selector)
			return -EINVAL;
		break;
	case PR_SYS_DISPATCH_ON:
		if (r.start && r.start + r.len <= r.start)
			return -EINVAL;
		break;
	case PR_SYS_DISPATCH_INCLUSIVE_ON:
		if (!r.len || r.start + r.len <= r.start)
			return -EINVAL;
		r.start += r.len;
		r.len = -r.len;
		break;
	default:
		return -EINVAL;
	}
	if (r.selector && (unsigned long)r.selector >= TASK_SIZE_MAX)
		return -EFAULT;
	/* The thread is stopped; it takes the request at its next trapped
	 * call, before that call is judged (as prog_sud.c's prctl would: every
	 * call of the tracee must now go the trapped way). */
	i = req_slot(tid, 1);
	if (i < 0)
		return -ENOMEM;
	if (k23_tracee_write(tid, REQ(i, on), &r.on, sizeof(r) - sizeof(r.tid)) ||
	    k23_tracee_write(tid, REQ(i, tid), &tid, sizeof(tid)) ||
	    k23_tracee_write(tid, SHARED(sud_reqs), &one, sizeof(one)) ||
	    k23_tracee_write(tid, (unsigned long)&k23_prog_sud_seen, &one, sizeof(one)) ||
	    k23_tracee_write(tid, (unsigned long)&k23_fast.ok, &zero, sizeof(zero)))
		return -EFAULT;
	return 0;
}

#define FIELD(e, f) ((e) + __builtin_offsetof(struct k23_thread, f))

/* The tracee thread's emulated SUD: a request it has not taken yet, else
 * its k23_thread entry, else off. */
static long get_config(int tid, struct sud_config *c)
{
	unsigned long base = 0, e;
	int i = req_slot(tid, 0), on = 0, cur;
	struct k23_sud_req r;

	k23_memset(c, 0, sizeof(*c));
	if (i >= 0) {
		if (k23_tracee_read(tid, REQ(i, tid), &r, sizeof(r)))
			return -EFAULT;
		c->mode = r.on ? PR_SYS_DISPATCH_ON : PR_SYS_DISPATCH_OFF;
		c->offset = r.start;
		c->len = r.len;
		c->selector = (uintptr_t)r.selector;
		return 0;
	}
	if (k23_tracee_read(tid, (unsigned long)k23_thread_table_ref(), &base, sizeof(base)) || !base)
		return 0; /* no thread of the tracee ever had a configuration */
	for (unsigned n = 0; n < K23_THREAD_SLOTS; n++) {
		e = base + (((unsigned)tid + n) % K23_THREAD_SLOTS) * sizeof(struct k23_thread);
		if (k23_tracee_read(tid, FIELD(e, tid), &cur, sizeof(cur)) || cur == 0)
			return 0;
		if (cur == tid)
			break;
	}
	if (cur != tid)
		return 0;
	if (k23_tracee_read(tid, FIELD(e, sud_on), &on, sizeof(on)) || !on)
		return 0; /* off: as the kernel reports it after an off (all zero) */
	if (k23_tracee_read(tid, FIELD(e, sud_start), &c->offset, sizeof(c->offset)) ||
	    k23_tracee_read(tid, FIELD(e, sud_len), &c->len, sizeof(c->len)) ||
	    k23_tracee_read(tid, FIELD(e, sud_selector), &c->selector, sizeof(c->selector)))
		return -EFAULT;
	c->mode = PR_SYS_DISPATCH_ON;
	return 0;
}

long k23_tracee_sud(int tid, long req, unsigned long size, void *data)
{
	struct sud_config c;
	long r = k23_ptrace_raw(K23_PTRACE_GET_SUD, tid, size, (unsigned long)&c);

	if (r)
		return r;
	if (req == K23_PTRACE_GET_SUD) {
		r = get_config(tid, &c);
		if (r == 0 && k23_copy_to(data, &c, sizeof(c)))
			r = -EFAULT;
		return r;
	}
	if (k23_copy_from(&c, data, sizeof(c)))
		return -EFAULT;
	return set_config(tid, &c);
}
