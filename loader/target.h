/* target.h - finding the program to run as execvp and the kernel would: PATH search, #! scripts. */
#ifndef K23_TARGET_H
#define K23_TARGET_H

#include <limits.h>
#include "elf_file.h"

#define K23_MAX_SCRIPT_DEPTH 5	/* the kernel's nesting of #! interpreters (exec_binprm) */

/* The small fields first and the two names before the headers: every
 * start writes each of them, and a page of this (static) struct is a page
 * fault when first touched; the end of elf.ph, most of it, never is. */
struct k23_target {
	int fd;			/* the ELF program finally loaded */
	int argc;
	int script;		/* #! lines were followed: argv differs from the one given */
	char **argv;		/* argv the program gets (malloc'd array) */
	char comm[16];		/* the name the kernel gives the process */
	char path[PATH_MAX];	/* its path (after #! resolution) */
	char execfn[PATH_MAX];	/* AT_EXECFN: the name first asked for */
	struct k23_elf elf;
};

/* Finds NAME like execvp (PATH search when it has no '/'), resolves #!
 * chains and checks the final ELF. argv[0] is the program's argv[0].
 * Returns 0, or prints one error line and returns 126/127. */
int k23_target_resolve(struct k23_target *t, const char *name, char **argv);

/* Same, for a file k23's runtime already opened and checked on the program's
 * execve: fd is that file, execfn the name the kernel would report. */
int k23_target_from_fd(struct k23_target *t, int fd, const char *execfn, char **argv);

#endif
