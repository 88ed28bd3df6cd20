/* uring_ring.h - what the trace tool knows of the program's io_uring rings, and how it reads them (uring_ring.c). */
#ifndef K23_URING_RING_H
#define K23_URING_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/io_uring.h>
#include "k23/tool.h"

/* Why a ring's queues cannot be shown (K23_UR_OK: they can). */
enum k23_ur_state {
	K23_UR_OK = 0,
	K23_UR_UNKNOWN,		/* no io_uring_setup of it seen in this process */
	K23_UR_REGISTERED,	/* entered by a registered index k23 cannot resolve */
	K23_UR_LAYOUT,		/* set-up flags that change a layout k23 does not know */
	K23_UR_UNREADABLE,	/* the ring could not be mapped or read, or is not the one recorded */
};

/* The ring of one io_uring_enter, opened after the call for reading. */
struct k23_ur_view {
	struct io_uring_params p;	/* as io_uring_setup returned them */
	uint32_t *seen_cq;		/* the CQ tail already reported (the table's) */
	const uint8_t *ring, *cq, *sqes; /* SQ ring, CQ ring (often the same), SQE array */
	size_t ring_len, cq_len, sqes_len, sqe_size, cqe_size;
	bool user;			/* IORING_SETUP_NO_MMAP: the program's memory */
	bool mapped_cq;			/* cq is a mapping of its own */
};

/* 1 if io_uring_enter is traced: then io_uring_setup and io_uring_register
 * are routed to k23_uring_call, and io_uring_enter's SQ head is noted with
 * k23_uring_enter_snap. */
int k23_uring_traced(void);
/* io_uring_setup, io_uring_register: made, and the ring made or the ring
 * indices registered recorded. */
void k23_uring_call(struct k23_call *c);
/* Before io_uring_enter is made: the ring's SQ head (c->uring_sq_head). */
void k23_uring_enter_snap(struct k23_call *c);

/* After the call: the ring named by io_uring_enter c, or why not. */
enum k23_ur_state k23_ur_open(const struct k23_call *c, struct k23_ur_view *v);
void k23_ur_close(struct k23_ur_view *v);
/* n bytes at off of a part of the ring (ring, cq, sqes), or false. */
bool k23_ur_read(const struct k23_ur_view *v, const uint8_t *part, size_t len, size_t off,
		 void *dst, size_t n);
/* The SQE the kernel took as its index-th (counted from its SQ head). */
bool k23_ur_sqe(const struct k23_ur_view *v, uint32_t index, struct io_uring_sqe *sqe);
/* The CQ tail now. */
bool k23_ur_cq_tail(const struct k23_ur_view *v, uint32_t *tail);
/* Claims the CQEs from the last shown up to tail for this report (threads
 * entering the same ring show each CQE once); returns the first. */
uint32_t k23_ur_claim_cqes(const struct k23_ur_view *v, uint32_t tail);
bool k23_ur_cqe(const struct k23_ur_view *v, uint32_t index, struct io_uring_cqe *cqe);

#endif
