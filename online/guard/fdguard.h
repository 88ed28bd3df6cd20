/* fdguard.h - k23's own descriptors: placing them above the program's limit and guarding them (fdguard.c). */
#ifndef K23_FDGUARD_H
#define K23_FDGUARD_H

#include <stdint.h>
#include "k23/tool.h"

/* k23's descriptors go at the program's soft RLIMIT_NOFILE, or here when
 * that is higher: a descriptor at number N makes every fork copy a table of
 * N entries, and programs raise their limit to hundreds of thousands. */
#define K23_FD_HIGH_MAX 65536UL

/* The descriptor limit, raised for a moment so that k23 can create
 * descriptors in [base, top): base is the program's soft limit (at most
 * K23_FD_HIGH_MAX). top == base when the limit cannot be raised. */
struct k23_rlimit64 {		/* the kernel's struct rlimit64 (prlimit64) */
	uint64_t cur, max;
};
struct k23_fd_room {
	struct k23_rlimit64 saved;	/* the program's limit, put back by _end */
	unsigned long base, top;
	int changed, open;
};

/* A room held from k23's start in an image until the program is entered
 * (cli/run.c opens it, loader/launch.c closes it): rooms begun meanwhile
 * share it, so their base is still the program's limit. */
extern struct k23_fd_room k23_fd_start_room;

void k23_fd_room_begin(struct k23_fd_room *r, unsigned long extra);
void k23_fd_room_end(struct k23_fd_room *r);

/* Moves fd to a number at or above the program's limit (closing fd): the
 * new descriptor or -errno. */
long k23_fd_move_high(long fd, int cloexec);

/* The lowest of this process's descriptors that are k23's, or -1. */
int k23_fd_guard_lowest(void);
/* 1 while k23 holds descriptors of its own (a tool or --stats). */
int k23_fd_guarding(void);
/* Moves fd if it is one of k23's: 0 or -errno. */
long k23_fd_guard_move(long fd);
/* The same, to a number from `from` on: the new number (fd itself if it is
 * not k23's) or -errno. */
long k23_fd_guard_move_from(long fd, unsigned long from);
/* Clears the close-on-exec flags of k23's descriptors, before an execve. */
void k23_fd_guard_exec(void);
/* 1 if the call names one of k23's descriptors as a descriptor argument:
 * the program must get EBADF, as for a number it never opened. */
int k23_fd_refused(const struct k23_call *c);
/* getrlimit, setrlimit, prlimit64 of the program's own RLIMIT_NOFILE
 * (nofile.c): 1 if handled (c->ret set), 0 if the call is not that. */
int k23_nofile_call(struct k23_call *c);
/* Before io_uring_enter: moves k23's descriptors away from SQEs naming them
 * (uring_guard.c). */
void k23_uring_guard(const struct k23_call *c);

#endif
