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
	int must_record;	/* the kernel's record of the arguments must move to the
				 * program's (k23 run's own process): if it cannot,
				 * k23_launch returns -1 before anything of the program
				 * runs, and the caller re-executes */
};

/* Maps the target and its interpreter, builds its stack and hands over.
 * Returns only on failure, with the exit status (126/127) after one line on
 * stderr, or -1 (nothing said) where l->must_record could not be met. */
int k23_launch(struct k23_target *t, const struct k23_launch *l);

/* The interpreter's headers, read by the loader (launch.c) and, before it
 * in `k23 run`, by the sidecar check (cli/autoprep.c): 16 KiB in k23's
 * bss, which is populated when the launcher maps it, so a use costs no
 * mapping and no page fault. */
extern struct k23_elf k23_interp_elf;
/* The interpreter open as the sidecar check read it into k23_interp_elf
 * (the program's PT_INTERP), which the loader then maps instead of opening
 * and reading it again; -1 if none. k23_interp_release closes it. */
extern int k23_interp_fd;
void k23_interp_release(void);

/* Fills k23_rt.self_exe, the binary k23 re-executes; 0 or an exit status. */
int k23_find_self(void);
/* The identity of the file this image was executed from, as the previous
 * image knew it (handover.c): k23_find_self then asks no stat. */
void k23_self_known(unsigned long dev, unsigned long ino, unsigned long size);

/* Fills envp, auxv, arg_start and arg_end from k23's own main(). */
void k23_launch_from_main(struct k23_launch *l, int argc, char **argv, char **envp);

#endif
