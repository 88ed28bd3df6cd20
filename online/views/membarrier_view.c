/* membarrier_view.c - the program's membarrier registrations, apart from k23's own.
 *
 * k23 registers the process for MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE
 * when it patches a trapped site (lazy.c). Natively a program that has not
 * registered gets EPERM for the expedited commands, and
 * MEMBARRIER_CMD_GET_REGISTRATIONS shows what it registered: so k23 keeps
 * the program's registrations here and answers from them. Like the kernel's
 * (per mm), they are shared by threads, copied by fork and dropped by
 * execve (a new image starts with none).
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/membarrier.h>
#include "online/core/rt.h"
#include "online/dispatch/dispatch.h"
#include "online/views/membarrier_view.h"

#ifndef MEMBARRIER_CMD_GET_REGISTRATIONS
#define MEMBARRIER_CMD_GET_REGISTRATIONS (1 << 9)
#endif

static int registered;	/* MEMBARRIER_CMD_REGISTER_* bits the program registered */

/* The registration an expedited command needs, or 0. */
static int needs(long cmd)
{
	switch (cmd) {
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		return MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		return MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ:
		return MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ;
	}
	return 0;
}

void k23_do_membarrier(struct k23_call *c)
{
	long cmd = c->args[0];
	int need = needs(cmd);
	int mine = MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED |
		   MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE |
		   MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ;

	/* Flags the kernel refuses are refused first (EINVAL), as natively. */
	if (need && !(__atomic_load_n(&registered, __ATOMIC_ACQUIRE) & need) &&
	    (c->args[1] == 0 || cmd == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ)) {
		c->ret = -EPERM;
		return;
	}
	c->ret = k23_passthrough(c);
	if (c->ret < 0)
		return;
	if (cmd & mine)
		__atomic_fetch_or(&registered, (int)cmd, __ATOMIC_ACQ_REL);
	else if (cmd == MEMBARRIER_CMD_GET_REGISTRATIONS)
		c->ret = (c->ret & ~(long)mine) | __atomic_load_n(&registered, __ATOMIC_ACQUIRE);
}
