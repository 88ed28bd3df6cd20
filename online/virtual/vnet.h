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
 * written back), and the program's argument registers are restored.
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

#include <stdint.h>
#include "k23/tool.h"

#define K23_VNET_MMSG 32	/* messages of one sendmmsg/recvmmsg rewritten; a longer vector is cut */
#define K23_VNET_SA 128		/* sizeof(struct sockaddr_storage) */

/* One call's copies, on k23's stack for the call. */
struct k23_vnet_frame {
	int kind;			/* what before did (vnet.c), 0: nothing */
	int ai;				/* the argument index of the address (or the header) */
	long saved[2];			/* the program's argument values at ai, ai + 1 */
	unsigned n;			/* mmsg: messages in the copies */
	int outlen;			/* the kernel's length for a reported address */
	unsigned char sa[K23_VNET_SA];
	unsigned char hdr[K23_VNET_MMSG][64];	/* struct mmsghdr (struct msghdr: the first 56) */
	unsigned char name[K23_VNET_MMSG][K23_VNET_SA];
	unsigned long uname[K23_VNET_MMSG];	/* recvmsg, recvmmsg: the program's msg_name */
	int ulen[K23_VNET_MMSG];		/* and msg_namelen */
};

/* 1 if the policy rewrites destinations and nr is a call that names or
 * reports an address. */
int k23_vnet_wants(long nr);
/* Before the call: rewrites c's arguments into f. Never answers the call
 * itself: returns 0. */
int k23_vnet_before(struct k23_call *c, struct k23_vnet_frame *f);
/* After the call: the reported addresses shown as the program's world,
 * its arguments restored. */
void k23_vnet_after(struct k23_call *c, struct k23_vnet_frame *f);

#endif
