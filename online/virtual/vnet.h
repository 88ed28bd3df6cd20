/* vnet.h - network identity in-process: destinations rewritten (identity: rewrite:), addresses the kernel reports shown as the program's world.
 *
 * Before a call (k23_vnet_before): a destination the program names that is
 * a rewrite's from (connect, bind, sendto, sendmsg, each message of
 * sendmmsg) is copied into the frame, replaced by the rewrite's to, and
 * the call's argument pointed at the copy; the program's memory is never
 * written. An address the kernel reports (getpeername, getsockname,
 * accept, accept4, recvfrom, recvmsg, recvmmsg) is received into the frame
 * instead of the program's buffer. After the call (k23_vnet_after): a
 * reported address that is a rewrite's to is shown as its from, copied out
 * as the kernel would (truncated to the program's length, the full length
 * written back); the virtual layer gives the call its program's arguments
 * back (virt_call.c).
 *
 * Which sockets were rewritten is not recorded: the reverse mapping is a
 * property of addresses (a to is shown as its from wherever the kernel
 * reports it), so it needs no table, holds for descriptors duplicated,
 * inherited across fork and execve or passed over a unix socket, and
 * agrees for every socket of the tree. The rules are the compiled
 * policy's (policy/blob.h), mapped by every image (online/policy/).
 */
#ifndef K23_VNET_H
#define K23_VNET_H

#include "online/virtual/virt.h"

#define K23_VNET_MMSG 16	/* messages of one sendmmsg/recvmmsg rewritten; a longer vector is cut */
#define K23_VNET_SA 128		/* sizeof(struct sockaddr_storage) */

/* One call's copies: in the frame's first path buffer (a row of this part
 * asks for one), for the call. A call's rows share the buffer: a path
 * map's row acts only on AF_UNIX addresses, this part only on AF_INET and
 * AF_INET6 ones, so at most one of them writes it. */
struct k23_vnet_frame {
	int kind;			/* what before did (vnet.c) */
	int ai;				/* the argument index of the address (or the header) */
	unsigned n;			/* mmsg: messages in the copies; an output: the program's length */
	int outlen;			/* the kernel's length for a reported address */
	unsigned char sa[K23_VNET_SA];
	unsigned char hdr[K23_VNET_MMSG][64];	/* struct mmsghdr (struct msghdr: the first 56) */
	unsigned char name[K23_VNET_MMSG][K23_VNET_SA];
	unsigned long uname[K23_VNET_MMSG];	/* recvmsg, recvmmsg: the program's msg_name */
	int ulen[K23_VNET_MMSG];		/* and msg_namelen */
};
_Static_assert(sizeof(struct k23_vnet_frame) <= K23_VIRT_PATH_MAX, "one path buffer holds the frame");

/* Reads the blob's rewrites (0). */
long k23_vnet_attach(const struct k23_policy_view *b);
/* 1 if this image rewrites destinations. */
int k23_vnet_on(void);
/* The rows of virt_table.c: before a call that names an address, the
 * copy rewritten; before one that reports an address, the frame's buffer
 * given to the kernel. Never answers a call itself (0). */
int k23_vnet_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);
/* After it: reported addresses shown as the program's world. */
void k23_vnet_after(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);

#endif
