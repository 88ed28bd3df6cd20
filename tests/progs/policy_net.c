/* policy_net.c - network calls a destination rule decides: sendmmsg to two UDP destinations, a TCP connect (optionally from k23's text).
 *
 *   policy_net sendmmsg PORT1 PORT2
 *     one sendmmsg of two UDP messages, "one" to 127.0.0.1:PORT1 and "three"
 *     to 127.0.0.1:PORT2; prints "sendmmsg: N msg_len=A,B" (A, B: what the
 *     kernel wrote into the caller's vector) or "sendmmsg: ERRNONAME".
 *   policy_net connect ADDR PORT [VIA]
 *     a TCP connect to IPv4 ADDR:PORT; prints "connect: ok" or its errno
 *     name. VIA (hex) is a `syscall; ret` in k23's own text: the connect is
 *     made there, the way a hostile program gets past k23's in-process layer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "policy_attack.h"

static const char *errname(int e)
{
	switch (e) {
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ENETUNREACH: return "ENETUNREACH";
	default: return strerror(e);
	}
}

static struct sockaddr_in sin_of(const char *addr, const char *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port)) };

	inet_pton(AF_INET, addr, &sin.sin_addr);
	return sin;
}

static int do_sendmmsg(char **argv)
{
	struct sockaddr_in to[2] = { sin_of("127.0.0.1", argv[2]), sin_of("127.0.0.1", argv[3]) };
	struct iovec iov[2] = { { "one", 3 }, { "three", 5 } };
	struct mmsghdr m[2];
	int s = socket(AF_INET, SOCK_DGRAM, 0), n;

	memset(m, 0, sizeof(m));
	for (int i = 0; i < 2; i++) {
		m[i].msg_hdr.msg_name = &to[i];
		m[i].msg_hdr.msg_namelen = sizeof(to[i]);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_len = 99;
	}
	n = sendmmsg(s, m, 2, 0);
	if (n < 0)
		printf("sendmmsg: %s\n", errname(errno));
	else
		printf("sendmmsg: %d msg_len=%u,%u\n", n, m[0].msg_len, m[1].msg_len);
	return 0;
}

static int do_connect(int argc, char **argv)
{
	struct sockaddr_in sin = sin_of(argv[2], argv[3]);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	long r;

	if (argc > 4) {
		r = raw_at(strtoul(argv[4], NULL, 16), SYS_connect, s, (long)&sin, sizeof(sin), 0, 0, 0);
		printf("connect via k23's text: %s\n", r == 0 ? "ok" : errname((int)-r));
		return 0;
	}
	r = connect(s, (struct sockaddr *)&sin, sizeof(sin));
	printf("connect: %s\n", r == 0 ? "ok" : errname(errno));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "sendmmsg"))
		return do_sendmmsg(argv);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "connect"))
		return do_connect(argc, argv);
	fprintf(stderr, "usage: policy_net sendmmsg PORT1 PORT2 | connect ADDR PORT [VIA]\n");
	return 2;
}
