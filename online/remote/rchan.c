/* rchan.c - the remote trees of this image: attach (the channel, the mounts), and one request to the proxy.
 *
 * Requests go through common/remote/chan.c (freestanding): claim a slot,
 * fill it, wake the proxy, sleep on the slot's futex word. A call that
 * finds no proxy (none started, or it died) fails with EIO, as the policy's
 * unreachable: start promises; local calls never look at the channel.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/remote/rremote.h"

struct k23_chan_hdr *k23_rr_chan;
/* The mounts: the blob's remote section, in the order the proxy numbers them. */
const struct k23_policy_view *k23_rr_blob;

int k23_rr_on(void)
{
	return k23_rr_blob != 0;
}

long k23_rr_scan_inherited(void);

long k23_rr_attach(const struct k23_policy_view *b)
{
	if (!b->h->n_remote)
		return 0;
	if (k23_rt.chan_fd >= 0)
		k23_rr_chan = k23_chan_map(k23_rt.chan_fd);
	k23_rr_blob = b;
	k23_rr_cwd_inherit();
	return k23_rr_scan_inherited();
}

struct k23_chan_slot *k23_rr_begin(uint32_t op, uint32_t mount, uint64_t handle)
{
	struct k23_chan_slot *s;

	/* A tree down at start is still asked: the proxy connects on each
	 * call until the server answers, and fails it with EIO until then. */
	if (!k23_rr_chan)
		return 0;
	if (!(s = k23_chan_claim(k23_rr_chan)))
		return 0;
	s->op = op;
	s->mount = mount;
	s->handle = handle;
	s->len = 0;
	k23_memset(s->args, 0, sizeof(s->args));
	return s;
}

int64_t k23_rr_send(struct k23_chan_slot **s)
{
	int64_t r = k23_chan_call(k23_rr_chan, *s);

	if (r != K23_CHAN_ABANDONED)
		return r;
	*s = 0;	/* another thread's once the proxy frees it */
	return -EIO;
}

void k23_rr_end(struct k23_chan_slot *s)
{
	if (s)
		k23_chan_release(s);
}

void k23_rr_put_path(struct k23_chan_slot *s, const char *path)
{
	size_t n = k23_strlen(path) + 1;

	k23_memcpy(s->payload, path, n);
	s->len = (uint32_t)n;
}
