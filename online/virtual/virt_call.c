/* virt_call.c - the virtual layer around one call: which rows act on it, the frame, before and after.
 *
 * At attach each call number gets the list of rows in force for it
 * (rows_of), so a call no row wants costs one load in the dispatcher and
 * keeps the patched fast path.
 */
#include <asm/unistd.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/policy/policy.h"
#include "online/virtual/virt.h"
#include "online/virtual/vmap.h"
#include "online/virtual/vnet.h"
#include "online/virtual/vlib.h"
#include "online/virtual/vfile.h"
#include "online/remote/rremote.h"

static int virt_on;
/* Per call number: indexes + 1 of its rows in force, 0-terminated; the
 * path buffers its frame needs. */
static unsigned char rows_of[K23_MAX_SYSCALLS][K23_VIRT_ROWS_PER_CALL];
static unsigned char bufs_of[K23_MAX_SYSCALLS];

long k23_virt_attach(const struct k23_policy_view *b)
{
	long r;
	int any = 0;

	if ((r = k23_vmap_attach(b)) != 0 || (r = k23_vnet_attach(b)) != 0 ||
	    (r = k23_vlib_attach(b)) != 0 || (r = k23_vfile_attach(b)) != 0 ||
	    (r = k23_rr_attach(b)) != 0)
		return r;
	for (int i = 0; i < k23_virt_nrows; i++) {
		const struct k23_virt_row *row = &k23_virt_rows[i];
		unsigned char *slot;
		int k = 0;

		if (row->nr < 0 || row->nr >= K23_MAX_SYSCALLS || !row->on())
			continue;
		slot = rows_of[row->nr];
		while (k < K23_VIRT_ROWS_PER_CALL && slot[k])
			k++;
		if (k == K23_VIRT_ROWS_PER_CALL)
			return -22; /* EINVAL: the table has more rows for one call than fit */
		slot[k] = (unsigned char)(i + 1);
		if (row->bufs > bufs_of[row->nr])
			bufs_of[row->nr] = row->bufs > 2 ? 2 : row->bufs;
		any = 1;
	}
	__atomic_store_n(&virt_on, any, __ATOMIC_RELEASE);
	return 0;
}

int k23_virt_wants(long nr)
{
	return __atomic_load_n(&virt_on, __ATOMIC_ACQUIRE) && nr >= 0 && nr < K23_MAX_SYSCALLS &&
	       rows_of[nr][0];
}

void k23_virt_dispatch(struct k23_call *c)
{
	unsigned nb = bufs_of[c->nr];
	char store[nb * K23_VIRT_PATH_MAX + 1];
	struct k23_virt_call vc;

	vc.path[0] = nb > 0 ? store : 0;
	vc.path[1] = nb > 1 ? store + K23_VIRT_PATH_MAX : 0;
	vc.taken = 0;
	k23_memcpy(vc.args, c->args, sizeof(vc.args));
	if (k23_policy_wants(c->nr))
		k23_policy_dispatch(c, &vc);
	else
		k23_dispatch_body(c, 0, &vc);
}

int k23_virt_before(struct k23_call *c, struct k23_virt_call *vc)
{
	const unsigned char *slot = rows_of[c->nr];

	/* A tracer may have changed the call (ptrace_tracee.c): what the rows
	 * see and what is given back is the call as it is made. */
	k23_memcpy(vc->args, c->args, sizeof(vc->args));
	for (int k = 0; k < K23_VIRT_ROWS_PER_CALL && slot[k]; k++) {
		const struct k23_virt_row *row = &k23_virt_rows[slot[k] - 1];

		vc->cur = k;
		if (row->before(c, vc, row))
			return 1;
	}
	return 0;
}

int k23_virt_again(struct k23_call *c, struct k23_virt_call *vc)
{
	const unsigned char *slot = rows_of[c->nr];
	int again = 0;

	for (int k = 0; k < K23_VIRT_ROWS_PER_CALL && slot[k]; k++) {
		const struct k23_virt_row *row = &k23_virt_rows[slot[k] - 1];

		vc->cur = k;
		if (row->again && (vc->taken & (1u << k)))
			again |= row->again(c, vc, row);
	}
	return again;
}

void k23_virt_after(struct k23_call *c, struct k23_virt_call *vc)
{
	const unsigned char *slot = rows_of[c->nr];

	for (int k = K23_VIRT_ROWS_PER_CALL - 1; k >= 0; k--) {
		const struct k23_virt_row *row;

		if (!slot[k] || !(vc->taken & (1u << k)))
			continue;
		row = &k23_virt_rows[slot[k] - 1];
		if (row->after)
			row->after(c, vc, row);
	}
	k23_memcpy(c->args, vc->args, sizeof(vc->args));
}
