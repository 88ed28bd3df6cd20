/* pol_ports.c - Landlock's TCP port grants, evaluated in-process: under complain mode (where Landlock is not installed) and to log what it refuses.
 *
 * Landlock (ABI 4+) governs bind and connect of TCP sockets by port only.
 * The sockaddr is copied into k23's memory and the call made with the
 * copy, as for paths. Destination rules (addresses, unix paths, sendto,
 * sendmsg) are pol_dest.c's, beside this one in pol_check.c's table.
 */
#include <asm/unistd.h>
#include <linux/in.h>
#include <linux/socket.h>
#include <linux/net.h>
#include "online/core/rtlib.h"
#include "online/policy/pol_int.h"

#define K23_AF_INET 2
#define K23_AF_INET6 10
#define K23_SOL_SOCKET 1
#define K23_SO_TYPE 3
#define K23_SO_PROTOCOL 38

static int wants(long nr)
{
	return (nr == __NR_connect || nr == __NR_bind) && k23_pol.observe && k23_pol.b.h->handled_net;
}

static int sockopt(long fd, int opt)
{
	int v = -1, len = sizeof(v);

	if (k23_syscall5(__NR_getsockopt, fd, K23_SOL_SOCKET, opt, (long)&v, (long)&len) != 0)
		return -1;
	return v;
}

static int check(struct k23_call *c, struct k23_pol_call *pc)
{
	unsigned long len = (unsigned long)c->args[2];
	unsigned char *sa = (unsigned char *)pc->real; /* room for any sockaddr */
	uint64_t right = c->nr == __NR_bind ? 1 /* BIND_TCP */ : 2 /* CONNECT_TCP */;
	unsigned port, family;

	if (len < 4 || len > 128 || k23_copy_from(sa, (const void *)c->args[1], len))
		return 0; /* the kernel refuses it as it is */
	c->args[1] = (long)sa;
	family = sa[0] | (unsigned)sa[1] << 8;
	if (family != K23_AF_INET && family != K23_AF_INET6)
		return 0;
	if (sockopt(c->args[0], K23_SO_TYPE) != 1 /* SOCK_STREAM */ ||
	    sockopt(c->args[0], K23_SO_PROTOCOL) != IPPROTO_TCP)
		return 0;
	port = (unsigned)sa[2] << 8 | sa[3];
	for (uint32_t i = 0; i < k23_pol.b.h->n_net; i++)
		if (k23_pol.b.net[i].port == port && (k23_pol.b.net[i].access & right))
			return 0;
	k23_pol_verdict(pc, K23_POL_LANDLOCK, 13 /* EACCES */, 0, 0, "port not granted");
	pc->v.port = port;
	pc->v.access = c->nr == __NR_bind ? 'b' : 'c';
	return 0;
}

const struct k23_pol_checker k23_pol_ports = { "ports", wants, check, 0 };
