/* policy_uring.c - an openat or a TCP connect submitted through io_uring, never through the syscall instruction.
 *
 *   policy_uring open PATH | connect PORT
 * Prints "io_uring open: ok" or the error, likewise for connect (to
 * 127.0.0.1:PORT). Operations on a ring bypass every syscall site, k23's
 * dispatcher included; Landlock checks them in the kernel all the same.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int r, s = -1;

	if (argc != 3)
		return fprintf(stderr, "usage: policy_uring open PATH | connect PORT\n"), 2;
	r = io_uring_queue_init(4, &ring, 0);
	if (r < 0)
		return printf("io_uring_setup: %s\n", strerror(-r)), 0;
	sqe = io_uring_get_sqe(&ring);
	if (!strcmp(argv[1], "open")) {
		io_uring_prep_openat(sqe, AT_FDCWD, argv[2], O_RDONLY, 0);
	} else {
		s = socket(AF_INET, SOCK_STREAM, 0);
		sin.sin_port = htons((unsigned short)atoi(argv[2]));
		io_uring_prep_connect(sqe, s, (struct sockaddr *)&sin, sizeof(sin));
	}
	io_uring_submit(&ring);
	if (io_uring_wait_cqe(&ring, &cqe) != 0)
		return 1;
	printf("io_uring %s: %s\n", argv[1], cqe->res >= 0 ? "ok" : strerror(-cqe->res));
	return 0;
}
