/* launch.h - loader stage 1: from a resolved target to a running, interposed program. */
#ifndef K23_LAUNCH_H
#define K23_LAUNCH_H

#include "target.h"

struct k23_launch {
	int catch_all;		/* K23_CATCH_* */
	int tool;		/* enum k23_tool_id */
	int out_fd, state_fd;	/* already placed where the runtime keeps them, or -1 */
	int first_image;	/* 1 in `k23 run`, 0 after the program's execve */
	char **envp;		/* the environment the program gets */
	const unsigned long *auxv; /* k23's own auxiliary vector */
	unsigned long arg_start, arg_end; /* where the kernel put k23's argument strings */
};

/* Maps the target and its interpreter, builds its stack and hands over.
 * Returns only on failure, with the exit status (126/127) after one line on stderr. */
int k23_launch(struct k23_target *t, const struct k23_launch *l);

/* Fills envp, auxv, arg_start and arg_end from k23's own main(). */
void k23_launch_from_main(struct k23_launch *l, int argc, char **argv, char **envp);

#endif
