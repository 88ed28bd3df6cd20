/* chan_request.h - one whole request through the channel, for hosted programs that drive
 * the proxy themselves (tests/progs/remote_chan.c, bench/remote.c).
 *
 * The runtime does not use it: it fills a slot from the program's memory
 * and keeps the slot across the call (online/remote/rchan.c). Hosted code
 * has its buffers at hand, so claim, fill, call, copy out and release are
 * one step here. Needs <string.h>, <unistd.h> and <sys/syscall.h>.
 */
#ifndef K23_REMOTE_CHAN_REQUEST_H
#define K23_REMOTE_CHAN_REQUEST_H

#include "remote/chan.h"

/* op on handle with args (NULL: zeros) and in (inlen bytes, at most
 * payload_max); the reply's payload into out (at most outcap bytes), its
 * args into outargs (NULL: not wanted). The proxy's result, -EIO without
 * a free slot or once the call was abandoned (the slot is then no longer
 * ours), -EINVAL for a payload too long for a slot. */
static inline int64_t k23_chan_request(struct k23_chan_hdr *h, uint32_t op, uint64_t handle,
				       const uint64_t *args, const void *in, uint32_t inlen,
				       void *out, uint32_t outcap, uint64_t *outargs)
{
	struct k23_chan_slot *s = k23_chan_claim(h);
	int64_t rc;

	if (!s)
		return -EIO;
	if (inlen > h->payload_max) {
		k23_chan_unclaim(s);
		return -EINVAL;
	}
	s->op = op;
	s->mount = 0;
	s->handle = handle;
	for (int i = 0; i < 6; i++)
		s->args[i] = args ? args[i] : 0;
	memcpy(s->payload, in, inlen);
	s->len = inlen;
	rc = k23_chan_call(h, s);
	if (rc == K23_CHAN_ABANDONED)
		return -EIO;
	if (rc >= 0 && out)
		memcpy(out, s->payload, s->len < outcap ? s->len : outcap);
	if (outargs)
		memcpy(outargs, s->args, sizeof(s->args));
	k23_chan_release(s);
	return rc;
}

/* Our end of an opened handle's placeholder: the proxy's descriptor
 * proxy_fd (args[0] of the OPEN reply) taken with pidfd_getfd. -1 and
 * errno if it cannot be taken. */
static inline int k23_chan_take_placeholder(const struct k23_chan_hdr *h, int proxy_fd)
{
	int pid = (int)syscall(SYS_pidfd_open, h->proxy_pid, 0), fd, e;

	if (pid < 0)
		return -1;
	fd = (int)syscall(SYS_pidfd_getfd, pid, proxy_fd, 0);
	e = errno;
	close(pid);
	errno = e;
	return fd;
}

#endif
