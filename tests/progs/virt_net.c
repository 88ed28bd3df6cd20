/* virt_net.c - a network client and server that print every address the kernel shows them, for the network identity tests (virt_net.sh).
 *
 * ADDR is IPv4 (an AF_INET socket) or IPv6, IPv4-mapped included (an
 * AF_INET6 socket), or a name getaddrinfo resolves (its first answer).
 * Addresses are printed ADDR:PORT or [ADDR]:PORT.
 *
 *   virt_net tcp ADDR PORT MSG     connect, getpeername, send MSG, print the echo
 *   virt_net udp ADDR PORT MSG     sendto + recvfrom, sendmsg + recvmsg, then
 *                                  connect + getpeername + send + recv
 *   virt_net mmsg ADDR PORT ADDR2 PORT2
 *                                  one sendmmsg to both, one recvmmsg of both
 *                                  echoes (their sources, sorted)
 *   virt_net mmsgmany ADDR PORT ADDR2 PORT2 COUNT SPLIT
 *                                  COUNT messages by sendmmsg (called until
 *                                  all are sent), the first SPLIT to ADDR2,
 *                                  the rest to ADDR; the echoes by recvmmsg:
 *                                  how many came from each source
 *   virt_net server ADDR PORT      bind, listen, getsockname; connect to it,
 *                                  accept: the peer's address (not its port,
 *                                  which the kernel picks), both ends' names
 *   virt_net short ADDR PORT       getpeername into an 8-byte buffer: the
 *                                  length reported and the bytes written
 *   virt_net fork ADDR PORT MSG    a child (fork, then execve of this
 *                                  program) makes the tcp run
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

union sa {
	struct sockaddr s;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_storage st;
};

static socklen_t addr_of(const char *a, const char *port, union sa *u)
{
	memset(u, 0, sizeof(*u));
	if (inet_pton(AF_INET, a, &u->in.sin_addr) == 1) {
		u->in.sin_family = AF_INET;
		u->in.sin_port = htons((unsigned short)atoi(port));
		return sizeof(u->in);
	}
	if (inet_pton(AF_INET6, a, &u->in6.sin6_addr) != 1) {
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
		int e = getaddrinfo(a, port, &hints, &ai);
		socklen_t len;

		if (e) { /* a name the resolver (nsswitch) does not know */
			printf("getaddrinfo %s: %s\n", a, gai_strerror(e));
			exit(1);
		}
		memcpy(u, ai->ai_addr, ai->ai_addrlen);
		len = ai->ai_addrlen;
		freeaddrinfo(ai);
		return len;
	}
	u->in6.sin6_family = AF_INET6;
	u->in6.sin6_port = htons((unsigned short)atoi(port));
	return sizeof(u->in6);
}

static const char *show(const union sa *u, socklen_t len, int with_port)
{
	static char out[4][80];
	static int k;
	char a[INET6_ADDRSTRLEN] = "?";
	char *o = out[k++ % 4];

	if (u->s.sa_family == AF_INET && len >= sizeof(u->in)) {
		inet_ntop(AF_INET, &u->in.sin_addr, a, sizeof(a));
		if (with_port)
			snprintf(o, 80, "%s:%u", a, ntohs(u->in.sin_port));
		else
			snprintf(o, 80, "%s", a);
	} else if (u->s.sa_family == AF_INET6 && len >= sizeof(u->in6)) {
		inet_ntop(AF_INET6, &u->in6.sin6_addr, a, sizeof(a));
		if (with_port)
			snprintf(o, 80, "[%s]:%u", a, ntohs(u->in6.sin6_port));
		else
			snprintf(o, 80, "%s", a);
	} else {
		snprintf(o, 80, "family %d len %u", u->s.sa_family, (unsigned)len);
	}
	return o;
}

static void die(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	exit(1);
}

static void peer(int s, const char *what)
{
	union sa u;
	socklen_t len = sizeof(u);

	if (getpeername(s, &u.s, &len))
		die("getpeername");
	printf("%s %s\n", what, show(&u, len, 1));
}

static int do_tcp(char **argv)
{
	union sa to;
	socklen_t len = addr_of(argv[2], argv[3], &to);
	int s = socket(to.s.sa_family, SOCK_STREAM, 0);
	char buf[256];
	ssize_t n;

	if (connect(s, &to.s, len))
		die("connect");
	printf("connect ok\n");
	peer(s, "peer");
	if (send(s, argv[4], strlen(argv[4]), 0) < 0)
		die("send");
	n = recv(s, buf, sizeof(buf) - 1, MSG_WAITALL);
	if (n < 0)
		die("recv");
	buf[n] = 0;
	printf("echo %s\n", buf);
	return 0;
}

static int do_udp(char **argv)
{
	union sa to, from;
	socklen_t len = addr_of(argv[2], argv[3], &to), flen;
	int s = socket(to.s.sa_family, SOCK_DGRAM, 0);
	char buf[256];
	struct iovec iov = { argv[4], strlen(argv[4]) };
	struct msghdr m = { .msg_name = &to, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (sendto(s, argv[4], strlen(argv[4]), 0, &to.s, len) < 0)
		die("sendto");
	flen = sizeof(from);
	if ((n = recvfrom(s, buf, sizeof(buf) - 1, 0, &from.s, &flen)) < 0)
		die("recvfrom");
	buf[n] = 0;
	printf("recvfrom %s: %s\n", show(&from, flen, 1), buf);
	if (sendmsg(s, &m, 0) < 0)
		die("sendmsg");
	memset(&from, 0, sizeof(from));
	iov = (struct iovec){ buf, sizeof(buf) - 1 };
	m = (struct msghdr){ .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1 };
	if ((n = recvmsg(s, &m, 0)) < 0)
		die("recvmsg");
	buf[n] = 0;
	printf("recvmsg %s: %s (namelen %u, flags %d)\n", show(&from, m.msg_namelen, 1), buf,
	       (unsigned)m.msg_namelen, m.msg_flags);
	if (connect(s, &to.s, len))
		die("connect");
	peer(s, "connected peer");
	if (send(s, argv[4], strlen(argv[4]), 0) < 0)
		die("send");
	if ((n = recv(s, buf, sizeof(buf) - 1, 0)) < 0)
		die("recv");
	buf[n] = 0;
	printf("recv: %s\n", buf);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int do_mmsg(char **argv)
{
	union sa to[2], from[2];
	socklen_t l0 = addr_of(argv[2], argv[3], &to[0]), l1 = addr_of(argv[4], argv[5], &to[1]);
	int s = socket(to[0].s.sa_family, SOCK_DGRAM, 0), n, got = 0;
	struct iovec iov[2] = { { "one", 3 }, { "two", 3 } };
	char buf[2][64], *lines[2];
	struct iovec riov[2] = { { buf[0], 63 }, { buf[1], 63 } };
	struct mmsghdr m[2];

	memset(m, 0, sizeof(m));
	for (int i = 0; i < 2; i++) {
		m[i].msg_hdr.msg_name = &to[i];
		m[i].msg_hdr.msg_namelen = i ? l1 : l0;
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	n = sendmmsg(s, m, 2, 0);
	if (n < 0)
		die("sendmmsg");
	printf("sendmmsg: %d msg_len=%u,%u\n", n, m[0].msg_len, m[1].msg_len);
	while (got < 2) {
		memset(m, 0, sizeof(m));
		for (int i = 0; i < 2; i++) {
			m[i].msg_hdr.msg_name = &from[i];
			m[i].msg_hdr.msg_namelen = sizeof(from[i]);
			m[i].msg_hdr.msg_iov = &riov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(s, m, (unsigned)(2 - got), MSG_WAITFORONE, NULL);
		if (n < 0)
			die("recvmmsg");
		for (int i = 0; i < n; i++) {
			buf[i][m[i].msg_len] = 0;
			lines[got] = malloc(160);
			snprintf(lines[got++], 160, "recvmmsg %s: %s (msg_len %u)",
				 show(&from[i], m[i].msg_hdr.msg_namelen, 1), buf[i], m[i].msg_len);
		}
	}
	qsort(lines, 2, sizeof(lines[0]), cmp);
	printf("%s\n%s\n", lines[0], lines[1]);
	return 0;
}

static int do_mmsgmany(char **argv)
{
	enum { MAX = 64 };
	union sa to[2], from[MAX];
	socklen_t l0 = addr_of(argv[2], argv[3], &to[0]), l1 = addr_of(argv[4], argv[5], &to[1]);
	int s = socket(to[0].s.sa_family, SOCK_DGRAM, 0), count = atoi(argv[6]), split = atoi(argv[7]);
	int sent = 0, got = 0, n, nsrc = 0, per[2] = { 0, 0 };
	char text[MAX][8], buf[MAX][8], seen[MAX] = { 0 }, src[2][80];
	struct iovec iov[MAX];
	struct mmsghdr m[MAX];

	if (count > MAX)
		count = MAX;
	memset(m, 0, sizeof(m));
	for (int i = 0; i < count; i++) {
		snprintf(text[i], sizeof(text[i]), "m%d", i);
		iov[i] = (struct iovec){ text[i], strlen(text[i]) };
		m[i].msg_hdr.msg_name = i < split ? &to[1] : &to[0];
		m[i].msg_hdr.msg_namelen = i < split ? l1 : l0;
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	while (sent < count) {
		if ((n = sendmmsg(s, m + sent, (unsigned)(count - sent), 0)) <= 0)
			die("sendmmsg");
		sent += n;
	}
	printf("sent %d, msg_len of the last %u\n", sent, m[count - 1].msg_len);
	while (got < count) {
		memset(m, 0, sizeof(m));
		for (int i = 0; i < count - got; i++) {
			iov[i] = (struct iovec){ buf[i], sizeof(buf[i]) - 1 };
			m[i].msg_hdr.msg_name = &from[i];
			m[i].msg_hdr.msg_namelen = sizeof(from[i]);
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		if ((n = recvmmsg(s, m, (unsigned)(count - got), MSG_WAITFORONE, NULL)) <= 0)
			die("recvmmsg");
		for (int i = 0; i < n; i++) {
			const char *a = show(&from[i], m[i].msg_hdr.msg_namelen, 1);
			int k = 0;

			buf[i][m[i].msg_len] = 0;
			seen[atoi(buf[i] + 1) % MAX] = 1;
			while (k < nsrc && strcmp(src[k], a))
				k++;
			if (k == nsrc && nsrc < 2)
				snprintf(src[nsrc++], sizeof(src[0]), "%s", a);
			if (k < 2)
				per[k]++;
		}
		got += n;
	}
	for (int i = 0; i < count; i++)
		if (!seen[i])
			printf("message m%d not echoed\n", i);
	if (nsrc == 2 && strcmp(src[0], src[1]) > 0)
		printf("%d from %s\n%d from %s\n", per[1], src[1], per[0], src[0]);
	else
		for (int k = 0; k < nsrc; k++)
			printf("%d from %s\n", per[k], src[k]);
	return 0;
}

static int do_server(char **argv)
{
	union sa at, u;
	socklen_t len = addr_of(argv[2], argv[3], &at), ul;
	int l = socket(at.s.sa_family, SOCK_STREAM, 0), c, a, one = 1;

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, &at.s, len))
		die("bind");
	if (listen(l, 4))
		die("listen");
	ul = sizeof(u);
	if (getsockname(l, &u.s, &ul))
		die("getsockname");
	printf("listening at %s\n", show(&u, ul, 1));
	c = socket(at.s.sa_family, SOCK_STREAM, 0);
	if (connect(c, &at.s, len))
		die("connect");
	ul = sizeof(u);
	if ((a = accept(l, &u.s, &ul)) < 0)
		die("accept");
	printf("accepted a peer at %s\n", show(&u, ul, 0));
	ul = sizeof(u);
	if (getsockname(a, &u.s, &ul))
		die("getsockname");
	printf("accepted socket's name %s\n", show(&u, ul, 1));
	peer(c, "client's peer");
	close(a);
	c = socket(at.s.sa_family, SOCK_STREAM, 0);
	if (connect(c, &at.s, len))
		die("connect");
	ul = sizeof(u);
	if ((a = accept4(l, &u.s, &ul, SOCK_CLOEXEC)) < 0)
		die("accept4");
	printf("accept4: a peer at %s\n", show(&u, ul, 0));
	return 0;
}

static int do_short(char **argv)
{
	union sa to;
	socklen_t len = addr_of(argv[2], argv[3], &to);
	int s = socket(to.s.sa_family, SOCK_STREAM, 0);
	unsigned char buf[16];

	if (connect(s, &to.s, len))
		die("connect");
	memset(buf, 0xee, sizeof(buf));
	len = 8;
	if (getpeername(s, (struct sockaddr *)buf, &len))
		die("getpeername");
	printf("getpeername into 8 bytes: length %u, bytes", (unsigned)len);
	for (int i = 0; i < 10; i++)
		printf(" %02x", buf[i]);
	printf("\n");
	return 0;
}

static int do_fork(char **argv)
{
	int st;
	pid_t p = fork();

	if (p == 0) {
		char *args[] = { argv[0], "tcp", argv[2], argv[3], argv[4], NULL };

		execv("/proc/self/exe", args);
		_exit(127);
	}
	waitpid(p, &st, 0);
	printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "tcp"))
		return do_tcp(argv);
	if (argc == 5 && !strcmp(argv[1], "udp"))
		return do_udp(argv);
	if (argc == 6 && !strcmp(argv[1], "mmsg"))
		return do_mmsg(argv);
	if (argc == 8 && !strcmp(argv[1], "mmsgmany"))
		return do_mmsgmany(argv);
	if (argc == 4 && !strcmp(argv[1], "server"))
		return do_server(argv);
	if (argc == 4 && !strcmp(argv[1], "short"))
		return do_short(argv);
	if (argc == 5 && !strcmp(argv[1], "fork"))
		return do_fork(argv);
	fprintf(stderr, "usage: virt_net tcp|udp|mmsg|mmsgmany|server|short|fork ...\n");
	return 2;
}
