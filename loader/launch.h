/* launch.h - loader stage 1: from a resolved target to a running, interposed program. */
#ifndef K23_LAUNCH_H
#define K23_LAUNCH_H

#include "target.h"

/* What k23's own start left that the program's start reuses. The runtime's
 * settings (mode, tool, descriptors) are in k23_rt already. */
struct k23_launch {
	char **envp;		/* the environment the program gets */
	const unsigned long *auxv; /* k23's own auxiliary vector */
	unsigned long arg_start, arg_end; /* where the kernel put k23's argument strings */
};

/* Maps the target and its interpreter, builds its stack and hands over.
 * Returns only on failure, with the exit status (126/127) after one line on stderr. */
int k23_launch(struct k23_target *t, const struct k23_launch *l);

/* Fills k23_rt.self_exe, the binary k23 re-executes; 0 or an exit status. */
int k23_find_self(void);

/* Fills envp, auxv, arg_start and arg_end from k23's own main(). */
void k23_launch_from_main(struct k23_launch *l, int argc, char **argv, char **envp);

#endif
