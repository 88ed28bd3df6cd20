/* remote.c - what the remote-call proxy costs: sequential reads and a small-file workload.
 *
 *   remote seq PROXY URL PATH          read PATH (relative to the export) through the proxy
 *   remote small PROXY URL N           N x (create, write 4 KiB, close, stat, unlink) through it
 *   remote small-native DIR N          the same with system calls on DIR
 *   remote tcp-serve FILE              listen on 127.0.0.1, print the port, send FILE to each client
 *   remote tcp-read PORT               receive everything from 127.0.0.1:PORT
 *
 * Each prints one line "NAME VALUE UNIT". The proxy is driven the way the
 * runtime drives it: one call per slot, reads of the slot's payload at the
 * handle's offset (K23_RC_AT_OFFSET), a placeholder fetched per open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "remote/chan_request.h"
#include "bench/timing.h"

static struct k23_chan_hdr *hdr;

static uint8_t data[4096];

static int64_t call(uint32_t op, uint64_t handle, const uint64_t *args, const void *in,
		    uint32_t inlen, void *out, uint32_t outcap)
{
	return k23_chan_request(hdr, op, handle, args, in, inlen, out, outcap, NULL);
}

static void start(const char *proxy, const char *url)
{
	struct k23_remote_mount m = { "/mnt/bench", url, 0 };
	struct k23_remote_opts o = { proxy, 0, 0, NULL };
	int chan, life;

	if (k23_remote_start(&m, 1, &o, &chan, &life) < 0)
		exit(1);
	hdr = k23_chan_map(chan);
	if (!hdr)
		exit(1);
}

/* Opens and takes the placeholder, as the runtime does (3 calls' worth). */
static int64_t ropen(const char *path, int flags, int *ph)
{
	uint64_t args[6] = { (uint64_t)flags, 0644 }, out[6];
	int64_t h = k23_chan_request(hdr, K23_RC_OPEN, 0, args, path, (uint32_t)strlen(path) + 1,
				     NULL, 0, out);

	if (h < 0)
		return h;
	*ph = k23_chan_take_placeholder(hdr, (int)out[0]);
	call(K23_RC_PLACED, (uint64_t)h, NULL, NULL, 0, NULL, 0);
	return h;
}

static int seq(const char *path)
{
	static uint8_t buf[K23_CHAN_SLOT_SIZE];
	uint64_t args[6] = { 0, 0, K23_RC_AT_OFFSET }, total = 0;
	int ph;
	double t0 = now_ns();
	int64_t h = ropen(path, O_RDONLY, &ph), n;

	if (h < 0) {
		fprintf(stderr, "remote: open %s: %s\n", path, strerror((int)-h));
		return 1;
	}
	args[1] = hdr->payload_max;
	while ((n = call(K23_RC_READ, (uint64_t)h, args, NULL, 0, buf, sizeof(buf))) > 0)
		total += (uint64_t)n;
	close(ph);
	if (n < 0) {
		fprintf(stderr, "remote: read: %s\n", strerror((int)-n));
		return 1;
	}
	printf("proxy-seq %.1f MB/s %llu bytes\n", total / ((now_ns() - t0) / 1e9) / 1e6,
	       (unsigned long long)total);
	return 0;
}

static int small(long n)
{
	char name[64];
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		uint64_t args[6] = { 0 };
		struct statx st;
		int ph;
		int64_t h;

		snprintf(name, sizeof(name), "small-%ld", i);
		h = ropen(name, O_WRONLY | O_CREAT | O_TRUNC, &ph);
		if (h < 0)
			return 1;
		args[1] = sizeof(data);
		args[2] = K23_RC_AT_OFFSET;
		if (call(K23_RC_WRITE, (uint64_t)h, args, data, sizeof(data), NULL, 0) != sizeof(data))
			return 1;
		memset(args, 0, sizeof(args));
		call(K23_RC_CLOSE, (uint64_t)h, args, NULL, 0, NULL, 0);
		close(ph);
		if (call(K23_RC_STAT, 0, args, name, (uint32_t)strlen(name) + 1, &st, sizeof(st)) < 0 ||
		    call(K23_RC_UNLINK, 0, args, name, (uint32_t)strlen(name) + 1, NULL, 0) < 0)
			return 1;
	}
	printf("proxy-small %.0f iterations/s\n", n / ((now_ns() - t0) / 1e9));
	return 0;
}

static int small_native(const char *dir, long n)
{
	char name[64];
	int d = open(dir, O_DIRECTORY | O_RDONLY);
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		struct stat st;
		int fd;

		snprintf(name, sizeof(name), "small-%ld", i);
		fd = openat(d, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, data, sizeof(data)) != sizeof(data))
			return 1;
		close(fd);
		if (fstatat(d, name, &st, 0) < 0 || unlinkat(d, name, 0) < 0)
			return 1;
	}
	printf("native-small %.0f iterations/s\n", n / ((now_ns() - t0) / 1e9));
	return 0;
}

/* The plain socket copy: what diod does (read the file, send it) without 9P. */
static int tcp_serve(const char *file)
{
	static uint8_t buf[1 << 20];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c;

	if (l < 0 || bind(l, (void *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (void *)&a, &al) < 0)
		return 1;
	printf("%u\n", ntohs(a.sin_port));
	fflush(stdout);
	while ((c = accept(l, NULL, NULL)) >= 0) {
		int fd = open(file, O_RDONLY);
		ssize_t n;

		while ((n = read(fd, buf, sizeof(buf))) > 0)
			for (ssize_t o = 0; o < n;) {
				ssize_t k = send(c, buf + o, (size_t)(n - o), MSG_NOSIGNAL);
				if (k <= 0)
					break;
				o += k;
			}
		close(fd);
		close(c);
	}
	return 0;
}

static int tcp_read(int port)
{
	static uint8_t buf[1 << 20];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	double t0 = now_ns();
	uint64_t total = 0;
	ssize_t n;

	if (connect(s, (void *)&a, sizeof(a)) < 0)
		return 1;
	while ((n = recv(s, buf, sizeof(buf), 0)) > 0)
		total += (uint64_t)n;
	printf("tcp-copy %.1f MB/s %llu bytes\n", total / ((now_ns() - t0) / 1e9) / 1e6,
	       (unsigned long long)total);
	return 0;
}

int main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	if (argc == 5 && !strcmp(argv[1], "seq")) {
		start(argv[2], argv[3]);
		return seq(argv[4]);
	}
	if (argc == 5 && !strcmp(argv[1], "small")) {
		start(argv[2], argv[3]);
		return small(atol(argv[4]));
	}
	if (argc == 4 && !strcmp(argv[1], "small-native"))
		return small_native(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "tcp-serve"))
		return tcp_serve(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "tcp-read"))
		return tcp_read(atoi(argv[2]));
	fprintf(stderr, "usage: see bench/remote.c\n");
	return 2;
}
