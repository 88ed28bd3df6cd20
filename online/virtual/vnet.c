/* vnet.c - network identity in-process: destinations a rewrite names go to its real address, and real addresses the kernel reports come back as the virtual ones.
 *
 * See vnet.h for the shape. Addresses are compared in IPv6 form, an IPv4
 * address as ::ffff:a.b.c.d, so a program's AF_INET6 socket naming an
 * IPv4-mapped address meets the same rewrites as an AF_INET one; the copy
 * the kernel receives keeps the program's family and length (a rewrite to
 * IPv4 from an IPv6 address reaches it IPv4-mapped, through a dual-stack
 * socket). A reported address whose virtual form the program's family
 * cannot hold (an IPv6 from, reported on an AF_INET socket) is left real.
 *
 * sendmmsg: the headers of at most K23_VNET_MMSG messages are copied and
 * their names rewritten; a longer vector is cut to that many (the kernel
 * may send fewer messages than asked: the result says how many), and if
 * only a message past them is rewritten, the call sends the messages
 * before it untouched. recvmmsg likewise receives at most K23_VNET_MMSG
 * messages. Faults are left to the kernel: an address that cannot be read
 * is passed on as the program gave it, and the kernel answers EFAULT.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include "online/core/rtlib.h"
#include "online/virtual/vnet.h"

#define AF_INET_ 2
#define AF_INET6_ 10
#define UIO_MAXIOV_ 1024
#define MSGHDR_SIZE 56
#define NAMELEN_OFF 8
#define CONTROLLEN_OFF 40	/* msg_controllen, then msg_flags: what recvmsg writes back */
#define MSG_LEN_OFF 56

enum { K_NONE, K_IN, K_SENDMSG, K_SENDMMSG, K_CUT, K_OUT, K_RECVMSG, K_RECVMMSG };

/* The blob's rewrites (read-only, mapped by every image). */
static const struct k23_policy_rewrite *rules;
static uint32_t nrules;

long k23_vnet_attach(const struct k23_policy_view *b)
{
	rules = b->rewrite;
	nrules = b->h->n_rewrite;
	return 0;
}

int k23_vnet_on(void)
{
	return nrules > 0;
}

static int is_mapped(const uint8_t a[16])
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return k23_memeq(a, prefix, 12);
}

/* The address (IPv6 form) and port of an AF_INET or AF_INET6 sockaddr of
 * len bytes; 0 for another family or a length the kernel refuses. */
static int decode(const unsigned char *sa, long len, uint8_t a[16], unsigned *port)
{
	unsigned family = len >= 2 ? (unsigned)(sa[0] | sa[1] << 8) : 0;

	if (family == AF_INET_ && len >= 16) {
		k23_memset(a, 0, 10);
		a[10] = a[11] = 0xff;
		k23_memcpy(a + 12, sa + 4, 4);
	} else if (family == AF_INET6_ && len >= 24) {
		k23_memcpy(a, sa + 8, 16);
	} else {
		return 0;
	}
	*port = (unsigned)sa[2] << 8 | sa[3];
	return 1;
}

/* Writes address a and port into sa, keeping its family; 0 if the family
 * cannot hold a (IPv6 in an AF_INET sockaddr). */
static int encode(unsigned char *sa, const uint8_t a[16], unsigned port)
{
	if (sa[0] == AF_INET_ && !is_mapped(a))
		return 0;
	if (sa[0] == AF_INET_)
		k23_memcpy(sa + 4, a + 12, 4);
	else
		k23_memcpy(sa + 8, a, 16);
	sa[2] = (unsigned char)(port >> 8);
	sa[3] = (unsigned char)port;
	return 1;
}

/* The sockaddr at sa (len bytes, k23's copy) rewritten if it is a from:
 * forward 1. Or, forward 0, a to shown as its from. Returns 1 if changed. */
static int map(unsigned char *sa, long len, int forward)
{
	const struct k23_policy_rewrite *r = rules;
	uint8_t a[16];
	unsigned port;

	if (!decode(sa, len, a, &port))
		return 0;
	for (uint32_t i = 0; i < nrules; i++, r++) {
		if (forward && r->from_port == port && k23_memeq(r->from, a, 16))
			return encode(sa, r->to, r->to_port);
		if (!forward && r->to_port == port && k23_memeq(r->to, a, 16))
			return encode(sa, r->from, r->from_port);
	}
	return 0;
}

/* 1 if p points into the frame's buffers: another row of the call built
 * the argument (a path map's unix address), which is not this part's. */
static int built(const struct k23_virt_call *vc, long p)
{
	unsigned long b = (unsigned long)vc->path[0];

	return b && (unsigned long)p - b < 2 * K23_VIRT_PATH_MAX;
}

/* --- destinations the program names --- */

/* connect, bind, sendto: the address at args[ai], its length at ai + 1. */
static int one_in(struct k23_call *c, struct k23_vnet_frame *f, int ai)
{
	unsigned long len = (unsigned long)(unsigned)c->args[ai + 1];
	unsigned char family[2];

	/* The family first: only an AF_INET or AF_INET6 address is copied
	 * into the buffer the call's rows share. */
	if (!c->args[ai] || len < 16 || len > K23_VNET_SA ||
	    k23_copy_from(family, (const void *)c->args[ai], 2) ||
	    (family[0] != AF_INET_ && family[0] != AF_INET6_) || family[1] ||
	    k23_copy_from(f->sa, (const void *)c->args[ai], len) || !map(f->sa, (long)len, 1))
		return K_NONE;
	c->args[ai] = (long)f->sa;
	return K_IN;
}

/* The message header hdr (k23's copy): its name copied into name and
 * rewritten, msg_name pointed at the copy. 1 if rewritten. */
static int msg_name_in(unsigned char *hdr, unsigned char *name)
{
	unsigned long ptr;
	int len;

	k23_memcpy(&ptr, hdr, 8);
	k23_memcpy(&len, hdr + NAMELEN_OFF, 4);
	if (len > K23_VNET_SA)
		len = K23_VNET_SA; /* the kernel takes that much */
	if (!ptr || len < 16 || k23_copy_from(name, (const void *)ptr, (unsigned long)len) ||
	    !map(name, len, 1))
		return 0;
	ptr = (unsigned long)name;
	k23_memcpy(hdr, &ptr, 8);
	return 1;
}

static int sendmsg_in(struct k23_call *c, struct k23_vnet_frame *f)
{
	if (k23_copy_from(f->hdr[0], (const void *)c->args[1], MSGHDR_SIZE) ||
	    !msg_name_in(f->hdr[0], f->name[0]))
		return K_NONE;
	c->args[1] = (long)f->hdr[0];
	return K_SENDMSG;
}

static int sendmmsg_in(struct k23_call *c, struct k23_vnet_frame *f)
{
	unsigned long vec = (unsigned long)c->args[1], vlen = (unsigned)c->args[2], n;
	int any = 0;

	if (vlen > UIO_MAXIOV_)
		vlen = UIO_MAXIOV_;
	n = vlen > K23_VNET_MMSG ? K23_VNET_MMSG : vlen;
	if (!n || k23_copy_from(f->hdr, (const void *)vec, n * 64))
		return K_NONE;
	for (unsigned long i = 0; i < n; i++)
		any |= msg_name_in(f->hdr[i], f->name[i]);
	if (any) {
		f->n = (unsigned)n;
		c->args[1] = (long)f->hdr;
		c->args[2] = (long)n;
		return K_SENDMMSG;
	}
	/* None of the first: the messages before the first rewritten one go
	 * as the program wrote them; it sends the rest in its next call. */
	for (unsigned long i = n; i < vlen; i++) {
		if (k23_copy_from(f->hdr[0], (const void *)(vec + i * 64), 64))
			return K_NONE;
		if (msg_name_in(f->hdr[0], f->name[0])) {
			c->args[2] = (long)i;
			return K_CUT;
		}
	}
	return K_NONE;
}

/* --- addresses the kernel reports --- */

/* getpeername, getsockname, accept, accept4, recvfrom: the buffer at
 * args[ai], the length's address at ai + 1, received into the frame. */
static int one_out(struct k23_call *c, struct k23_vnet_frame *f, int ai)
{
	int ulen;

	if (!c->args[ai] || !c->args[ai + 1] ||
	    k23_copy_from(&ulen, (const void *)c->args[ai + 1], 4) || ulen < 0)
		return K_NONE; /* the kernel's own answer: EFAULT, EINVAL, or no address */
	f->n = (unsigned)ulen;
	f->outlen = K23_VNET_SA;
	c->args[ai] = (long)f->sa;
	c->args[ai + 1] = (long)&f->outlen;
	return K_OUT;
}

/* Copies the address the kernel reported (klen bytes at sa) to the
 * program's buffer of ulen bytes and klen to *lenp, as the kernel's
 * move_addr_to_user: 0 or -EFAULT. */
static long put_addr(unsigned char *sa, int klen, unsigned long buf, unsigned ulen, unsigned long lenp)
{
	unsigned len = (unsigned)klen < ulen ? (unsigned)klen : ulen;

	map(sa, klen, 0);
	if (len && k23_copy_to((void *)buf, sa, len))
		return -EFAULT;
	return k23_copy_to((void *)lenp, &klen, 4) ? -EFAULT : 0;
}

/* recvmsg, recvmmsg: each header with a name gets a buffer of the
 * frame (the program's buffer and length kept aside). */
static int recv_in(struct k23_call *c, struct k23_vnet_frame *f, int mmsg)
{
	unsigned long vlen = mmsg ? (unsigned)c->args[2] : 1, n, ptr;
	int len, any = 0, full = K23_VNET_SA;

	if (vlen > UIO_MAXIOV_)
		vlen = UIO_MAXIOV_;
	n = vlen > K23_VNET_MMSG ? K23_VNET_MMSG : vlen;
	if (!n || k23_copy_from(f->hdr, (const void *)c->args[1], mmsg ? n * 64 : MSGHDR_SIZE))
		return K_NONE;
	for (unsigned long i = 0; i < n; i++) {
		k23_memcpy(&ptr, f->hdr[i], 8);
		k23_memcpy(&len, f->hdr[i] + NAMELEN_OFF, 4);
		if (ptr && len < 0)
			return K_NONE; /* the kernel refuses it (EINVAL) */
		f->uname[i] = ptr;
		f->ulen[i] = len;
		if (!ptr)
			continue;
		any = 1;
		ptr = (unsigned long)f->name[i];
		k23_memcpy(f->hdr[i], &ptr, 8);
		k23_memcpy(f->hdr[i] + NAMELEN_OFF, &full, 4);
	}
	if (!any)
		return K_NONE;
	f->n = (unsigned)n;
	c->args[1] = (long)f->hdr;
	if (mmsg)
		c->args[2] = (long)n;
	return mmsg ? K_RECVMMSG : K_RECVMSG;
}

int k23_vnet_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	struct k23_vnet_frame *f = (struct k23_vnet_frame *)(void *)vc->path[0];
	int ai = c->nr == __NR_sendto || c->nr == __NR_recvfrom ? 4 : 1;

	(void)r;
	if (built(vc, c->args[ai]))
		return 0;
	switch (c->nr) {
	case __NR_connect: case __NR_bind: case __NR_sendto:
		f->kind = one_in(c, f, ai);
		break;
	case __NR_sendmsg:
		f->kind = sendmsg_in(c, f);
		break;
	case __NR_sendmmsg:
		f->kind = sendmmsg_in(c, f);
		break;
	case __NR_getpeername: case __NR_getsockname: case __NR_accept: case __NR_accept4:
	case __NR_recvfrom:
		f->kind = one_out(c, f, ai);
		break;
	case __NR_recvmsg:
		f->kind = recv_in(c, f, 0);
		break;
	case __NR_recvmmsg:
		f->kind = recv_in(c, f, 1);
		break;
	default:
		f->kind = K_NONE;
	}
	f->ai = ai;
	if (f->kind != K_NONE)
		k23_virt_take(vc);
	return 0;
}

/* What recvmsg writes back into the program's header, for each message
 * received: the name (shown as the program's world) and its length,
 * msg_controllen, msg_flags, and recvmmsg's msg_len. */
static void recv_out(struct k23_call *c, const struct k23_virt_call *vc, struct k23_vnet_frame *f,
		     int mmsg)
{
	unsigned long stride = mmsg ? 64 : MSGHDR_SIZE, got;

	if (c->ret < 0)
		return;
	got = mmsg ? (unsigned long)c->ret : 1;
	for (unsigned long i = 0; i < got && i < f->n; i++) {
		unsigned long user = (unsigned long)vc->args[1] + i * stride;
		long r = 0;
		int klen;

		if (f->uname[i]) {
			k23_memcpy(&klen, f->hdr[i] + NAMELEN_OFF, 4);
			r = put_addr(f->name[i], klen, f->uname[i], (unsigned)f->ulen[i], user + NAMELEN_OFF);
		}
		if (!r && k23_copy_to((void *)(user + CONTROLLEN_OFF), f->hdr[i] + CONTROLLEN_OFF, 12))
			r = -EFAULT;
		if (!r && mmsg && k23_copy_to((void *)(user + MSG_LEN_OFF), f->hdr[i] + MSG_LEN_OFF, 4))
			r = -EFAULT;
		if (r) { /* as the kernel: the messages before count */
			c->ret = i ? (long)i : r;
			return;
		}
	}
}

void k23_vnet_after(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	struct k23_vnet_frame *f = (struct k23_vnet_frame *)(void *)vc->path[0];
	long e;

	(void)r;
	switch (f->kind) {
	case K_SENDMMSG: /* the kernel wrote each sent message's msg_len into the copies */
		for (long i = 0; i < c->ret && i < (long)f->n; i++)
			k23_copy_to((unsigned char *)vc->args[1] + i * 64 + MSG_LEN_OFF,
				    f->hdr[i] + MSG_LEN_OFF, 4);
		break;
	case K_OUT:
		if (c->ret >= 0 && (e = put_addr(f->sa, f->outlen, (unsigned long)vc->args[f->ai], f->n,
						 (unsigned long)vc->args[f->ai + 1]))) {
			if (c->nr == __NR_accept || c->nr == __NR_accept4)
				k23_syscall1(__NR_close, c->ret); /* as the kernel: not installed */
			c->ret = e;
		}
		break;
	case K_RECVMSG:
	case K_RECVMMSG:
		recv_out(c, vc, f, f->kind == K_RECVMMSG);
		break;
	}
}
