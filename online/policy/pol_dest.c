/* pol_dest.c - network destination rules in-process: connect, bind, sendto, sendmsg and every message of sendmmsg.
 *
 * The destination (an IPv4 or IPv6 address and port, a unix socket path, an
 * abstract name) is copied into k23's memory (struct k23_pol_net) before it
 * is decided, and the call is made with the copy: another thread cannot
 * change it in between. sendmsg's struct msghdr and its msg_name are copied;
 * what it points at besides (the iovecs, the data, msg_control) is not: it
 * decides nothing about the destination. sendmmsg: the headers of at most
 * K23_POL_MMSG messages and their names; a longer vector is cut to that many
 * (the kernel may send fewer than asked: the result says how many), and the
 * msg_len the kernel writes into the copies is copied back after the call.
 *
 * Rules apply in file order: the first that names the operation and matches
 * the destination decides. If none does, an operation some allow rule names
 * is refused (EACCES: its allow rules are a list, as Landlock's grants);
 * one only deny rules name is allowed. An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is the IPv4 address: IPv4 ranges are kept mapped.
 * Families other than AF_INET, AF_INET6 and AF_UNIX, an unnamed unix
 * address and a send with no address (a connected socket) are not decided
 * here. A connect of a datagram socket fixes where its later sends go: it is
 * decided as a sendto too; a sendto or sendmsg with MSG_FASTOPEN (TCP Fast
 * Open) connects: it is decided as a connect. Unix paths are matched as the program names them,
 * made absolute with its working directory, not through symlinks.
 *
 * A scope's rules (deny rules for the images of one executable) are
 * consulted after the tree's, for what those let through.
 *
 * sendmmsg stops at the first refused message as the kernel stops at the
 * first failing one: the messages before it are sent and counted; if it is
 * the first, the call fails with the rule's errno.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include "rt/fmt.h"
#include "online/core/rtlib.h"
#include "online/policy/pol_int.h"

#define AF_UNIX_ 1
#define AF_INET_ 2
#define AF_INET6_ 10
#define SOL_SOCKET_ 1
#define SO_TYPE_ 3
#define SOCK_STREAM_ 1
#define SOCK_SEQPACKET_ 5
#define UIO_MAXIOV_ 1024
#define MSGHDR_SIZE 56
#define MSG_LEN_OFF 56
#define MSG_FASTOPEN_ 0x20000000

struct dest {
	int kind;		/* K23_DEST_INET, _UNIX, _ABSTRACT; 0: not decided here */
	uint8_t addr[16];	/* IPv6 form */
	unsigned port;
	const char *name;	/* unix: NUL-terminated; abstract: len bytes */
	size_t len;
};

static int wants(long nr)
{
	uint32_t ops = k23_pol.b.h->n_dest ? k23_pol.b.h->dest_ops : 0;

	if (nr == __NR_connect)
		return !!(ops & (K23_DEST_CONNECT | K23_DEST_SENDTO));
	if (nr == __NR_bind)
		return !!(ops & K23_DEST_BIND);
	if (nr == __NR_sendto || nr == __NR_sendmsg)
		return !!(ops & (K23_DEST_SENDTO | K23_DEST_CONNECT)); /* MSG_FASTOPEN connects */
	if (nr == __NR_sendmmsg)
		return !!(ops & K23_DEST_SENDTO);
	return 0;
}

/* The destination of a copied sockaddr; cwd (K23_POL_PATH_MAX bytes) holds a
 * relative unix path made absolute. */
static void decode(const unsigned char *sa, unsigned long len, char *abs, struct dest *d)
{
	unsigned family = len >= 2 ? (unsigned)(sa[0] | sa[1] << 8) : 0;

	d->kind = 0;
	if (family == AF_INET_ && len >= 16) {
		k23_memset(d->addr, 0, 10);
		d->addr[10] = d->addr[11] = 0xff;
		k23_memcpy(d->addr + 12, sa + 4, 4);
		d->port = (unsigned)sa[2] << 8 | sa[3];
		d->kind = K23_DEST_INET;
	} else if (family == AF_INET6_ && len >= 24) {
		k23_memcpy(d->addr, sa + 8, 16);
		d->port = (unsigned)sa[2] << 8 | sa[3];
		d->kind = K23_DEST_INET;
	} else if (family == AF_UNIX_ && len > 2 && sa[2] == 0) {
		d->name = (const char *)sa + 3;
		d->len = len - 3;
		d->kind = K23_DEST_ABSTRACT;
	} else if (family == AF_UNIX_ && len > 2) {
		size_t n = 0, o = 0;

		while (2 + n < len && sa[2 + n])
			n++;
		if (sa[2] != '/') {
			long r = k23_syscall2(__NR_getcwd, (long)abs, K23_POL_PATH_MAX - 110);

			if (r <= 0)
				return; /* no working directory: the kernel fails too */
			o = k23_strlen(abs);
			if (o > 1)
				abs[o++] = '/';
			else
				o = 1;
		}
		k23_memcpy(abs + o, sa + 2, n);
		abs[o + n] = 0;
		d->name = abs;
		d->len = o + n;
		d->kind = K23_DEST_UNIX;
	}
}

static int matches(const struct k23_policy_dest *r, const struct dest *d)
{
	const char *name = k23_pol.b.strings + r->name_off;

	switch (r->kind) {
	case K23_DEST_ANY:
		return 1;
	case K23_DEST_INET:
		if (d->kind != K23_DEST_INET || d->port < r->lo || d->port > r->hi)
			return 0;
		for (uint32_t i = 0; i < r->prefix; i += 8) {
			unsigned bits = r->prefix - i >= 8 ? 8 : r->prefix - i;
			unsigned mask = (0xff00u >> bits) & 0xff;

			if ((d->addr[i / 8] ^ r->addr[i / 8]) & mask)
				return 0;
		}
		return 1;
	case K23_DEST_UNIX:
		return d->kind == K23_DEST_UNIX && !k23_strcmp(d->name, name);
	case K23_DEST_ABSTRACT:
		return d->kind == K23_DEST_ABSTRACT && d->len == k23_strlen(name) &&
		       k23_memeq(d->name, name, d->len);
	}
	return 0;
}

static int scoped(uint32_t i)
{
	return k23_pol.b.dest[i].exe_off != K23_POLICY_EVERY_IMAGE;
}

/* The errno op on d meets (0: allowed), and the rule that decided (NULL:
 * none matched). The tree's rules first; what they let through, a scope
 * bound to this image may still refuse (its rules are deny rules). */
static int decide(uint32_t op, const struct dest *d, const struct k23_policy_dest **rule)
{
	uint32_t i, n = k23_pol.b.h->n_dest;
	int err = -1;

	*rule = 0;
	if (!d->kind || !(k23_pol.b.h->dest_ops & op))
		return 0;
	for (i = 0; i < n && err < 0; i++) {
		const struct k23_policy_dest *r = &k23_pol.b.dest[i];

		if (!scoped(i) && (r->ops & op) && matches(r, d)) {
			*rule = r;
			err = r->deny ? (r->err ? r->err : EACCES) : 0;
		}
	}
	if (err < 0)
		err = k23_pol.b.h->dest_closed & op ? EACCES : 0;
	for (i = 0; !err && k23_pol.dest_other && i < n; i++) {
		const struct k23_policy_dest *r = &k23_pol.b.dest[i];

		if (scoped(i) && !k23_pol.dest_other[i] && r->deny && (r->ops & op) && matches(r, d)) {
			*rule = r;
			err = r->err ? r->err : EACCES;
		}
	}
	return err;
}

static void put_hex16(struct k23_fmt *f, unsigned v)
{
	static const char hex[] = "0123456789abcdef";
	int started = 0;

	for (int s = 12; s >= 0; s -= 4)
		if ((v >> s & 15) || started || !s) {
			k23_fmt_char(f, hex[v >> s & 15]);
			started = 1;
		}
}

/* "connect 127.0.0.1:8080", "sendto [::1]:53", "bind unix:/run/x.sock" */
static void describe(char *buf, uint32_t op, const struct dest *d)
{
	struct k23_fmt f;
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	k23_fmt_init(&f, buf, 255);
	k23_fmt_str(&f, op == K23_DEST_BIND ? "bind " : op == K23_DEST_CONNECT ? "connect " : "sendto ");
	if (d->kind == K23_DEST_INET && k23_memeq(d->addr, mapped, 12)) {
		for (int i = 12; i < 16; i++) {
			k23_fmt_udec(&f, d->addr[i]);
			k23_fmt_char(&f, i < 15 ? '.' : ':');
		}
		k23_fmt_udec(&f, d->port);
	} else if (d->kind == K23_DEST_INET) {
		int zs = -1, zn = 0; /* the longest run of zero groups, written "::" */

		for (int i = 0; i < 8; i++) {
			int n = 0;

			while (i + n < 8 && !d->addr[2 * (i + n)] && !d->addr[2 * (i + n) + 1])
				n++;
			if (n > zn && n > 1) {
				zs = i;
				zn = n;
			}
		}
		k23_fmt_char(&f, '[');
		for (int i = 0; i < 8; i++) {
			if (i == zs) {
				k23_fmt_str(&f, "::");
				i += zn - 1;
				continue;
			}
			if (i && i != zs + zn)
				k23_fmt_char(&f, ':');
			put_hex16(&f, (unsigned)d->addr[2 * i] << 8 | d->addr[2 * i + 1]);
		}
		k23_fmt_str(&f, "]:");
		k23_fmt_udec(&f, d->port);
	} else {
		k23_fmt_str(&f, d->kind == K23_DEST_UNIX ? "unix:" : "unix-abstract:");
		k23_fmt_mem(&f, d->name, d->len > 200 ? 200 : d->len);
	}
	buf[f.len] = 0;
}

/* Decides op on the sockaddr copied at sa; records a denial (1: refuse). */
static int judge(struct k23_pol_call *pc, uint32_t op, const unsigned char *sa, unsigned long len,
		 int *err)
{
	const struct k23_policy_dest *r;
	struct dest d;

	decode(sa, len, pc->real, &d);
	*err = decide(op, &d, &r);
	if (!*err)
		return 0;
	describe(pc->net.what, op, &d);
	k23_pol_verdict(pc, K23_POL_INPROCESS, *err, r ? r->rule : 0, r ? r->line : 0, pc->net.what);
	return 1;
}

static int sock_type(long fd)
{
	int v = -1, len = sizeof(v);

	if (k23_syscall5(__NR_getsockopt, fd, SOL_SOCKET_, SO_TYPE_, (long)&v, (long)&len) != 0)
		return -1;
	return v;
}

/* The message header at hdr: its name copied into name, msg_name pointed at
 * the copy. Returns the name's length (0: none). */
static unsigned long copy_name(unsigned char *hdr, unsigned char *name, long *fault)
{
	unsigned long ptr, len;
	unsigned nl;

	k23_memcpy(&ptr, hdr, 8);
	k23_memcpy(&nl, hdr + 8, 4);
	len = nl > K23_POL_SA_MAX ? K23_POL_SA_MAX : nl; /* the kernel takes that much */
	if (!ptr || !len)
		return 0;
	if (k23_copy_from(name, (const void *)ptr, len)) {
		*fault = 1;
		return 0;
	}
	ptr = (unsigned long)name;
	k23_memcpy(hdr, &ptr, 8);
	return len;
}

static int refuse(struct k23_call *c, long err)
{
	c->ret = -err;
	return 1;
}

static int check_mmsg(struct k23_call *c, struct k23_pol_call *pc)
{
	unsigned long vlen = (unsigned long)(unsigned)c->args[2], n;
	long fault = 0;
	int err;

	if (vlen > UIO_MAXIOV_)
		vlen = UIO_MAXIOV_;
	n = vlen > K23_POL_MMSG ? K23_POL_MMSG : vlen;
	if (!n)
		return 0;
	if (k23_copy_from(pc->net.hdr, (const void *)c->args[1], n * 64))
		return refuse(c, EFAULT);
	pc->net.user_vec = (unsigned long)c->args[1];
	c->args[1] = (long)pc->net.hdr;
	c->args[2] = (long)n;
	pc->post = 1;
	for (unsigned long i = 0; i < n; i++) {
		unsigned long len = copy_name(pc->net.hdr[i], pc->net.name[i], &fault);

		if (fault) { /* the kernel sends the messages before it */
			if (!i)
				return refuse(c, EFAULT);
			c->args[2] = (long)i;
			return 0;
		}
		if (!len || !judge(pc, K23_DEST_SENDTO, pc->net.name[i], len, &err))
			continue;
		if (k23_pol.complain)
			return 0;
		if (!i)
			return refuse(c, err);
		c->args[2] = (long)i; /* as the kernel stops at a failing message */
		return 0;
	}
	return 0;
}

static int check(struct k23_call *c, struct k23_pol_call *pc)
{
	unsigned char *sa = pc->net.name[0];
	unsigned long len;
	long fault = 0;
	int err, denied = 0, type;

	switch (c->nr) {
	case __NR_connect:
	case __NR_bind:
	case __NR_sendto: {
		int ai = c->nr == __NR_sendto ? 4 : 1;

		len = (unsigned long)(unsigned)c->args[ai + 1];
		if (!c->args[ai] || len < 2 || len > K23_POL_SA_MAX)
			return 0; /* no destination, or one the kernel refuses (EINVAL) */
		if (k23_copy_from(sa, (const void *)c->args[ai], len))
			return refuse(c, EFAULT);
		c->args[ai] = (long)sa;
		if (c->nr == __NR_bind) {
			denied = judge(pc, K23_DEST_BIND, sa, len, &err);
		} else if (c->nr == __NR_sendto) {
			denied = judge(pc, c->args[3] & MSG_FASTOPEN_ ? K23_DEST_CONNECT : K23_DEST_SENDTO,
				       sa, len, &err);
		} else {
			denied = judge(pc, K23_DEST_CONNECT, sa, len, &err);
			if (!denied && (k23_pol.b.h->dest_ops & K23_DEST_SENDTO) &&
			    (type = sock_type(c->args[0])) >= 0 && type != SOCK_STREAM_ &&
			    type != SOCK_SEQPACKET_)
				denied = judge(pc, K23_DEST_SENDTO, sa, len, &err);
		}
		break;
	}
	case __NR_sendmsg:
		if (k23_copy_from(pc->net.hdr[0], (const void *)c->args[1], MSGHDR_SIZE))
			return refuse(c, EFAULT);
		c->args[1] = (long)pc->net.hdr[0];
		len = copy_name(pc->net.hdr[0], sa, &fault);
		if (fault)
			return refuse(c, EFAULT);
		denied = len && judge(pc, c->args[2] & MSG_FASTOPEN_ ? K23_DEST_CONNECT : K23_DEST_SENDTO,
				      sa, len, &err);
		break;
	case __NR_sendmmsg:
		return check_mmsg(c, pc);
	}
	return denied && !k23_pol.complain ? refuse(c, err) : 0;
}

/* sendmmsg: the kernel wrote each sent message's msg_len into the copies. */
static void after(struct k23_call *c, struct k23_pol_call *pc)
{
	if (c->nr != __NR_sendmmsg || c->ret <= 0 || c->ret > K23_POL_MMSG)
		return;
	for (long i = 0; i < c->ret; i++)
		k23_copy_to((unsigned char *)pc->net.user_vec + i * 64 + MSG_LEN_OFF,
			    pc->net.hdr[i] + MSG_LEN_OFF, 4);
}

const struct k23_pol_checker k23_pol_dest = { "destinations", wants, check, after };
