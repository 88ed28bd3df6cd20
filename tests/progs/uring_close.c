/* uring_close.c - closing descriptors through io_uring (IORING_OP_CLOSE), which the kernel does without a close system call.
 *
 *   uring_close N [CMD...]   close 3..N-1 through a ring, 8 submissions per
 *                            io_uring_enter; print how many closed; exec CMD
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <liburing.h>

int main(int argc, char **argv)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int n, closed = 0, r, ringfd;

	if (argc < 2)
		return 2;
	n = atoi(argv[1]);
	r = io_uring_queue_init(8, &ring, 0);
	if (r < 0) {
		printf("io_uring_queue_init: %s\n", strerror(-r));
		return 77;
	}
	ringfd = ring.ring_fd;
	for (int fd = 3; fd < n; fd += 8) {
		int k = 0;

		for (; k < 8 && fd + k < n; k++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			/* The ring's own descriptor would close the ring: skip it. */
			io_uring_prep_close(sqe, fd + k == ringfd ? -1 : fd + k);
		}
		io_uring_submit(&ring);
		for (int i = 0; i < k; i++) {
			if (io_uring_wait_cqe(&ring, &cqe) < 0)
				return 1;
			if (cqe->res == 0)
				closed++;
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	io_uring_queue_exit(&ring);
	printf("closed %d descriptors through io_uring\n", closed);
	if (argc > 2) {
		fflush(stdout);
		execvp(argv[2], argv + 2);
		printf("exec %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	return 0;
}
