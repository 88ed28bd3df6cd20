/* strace_classes.h - strace's classes of system calls (generated cli/strace_classes.c). */
#ifndef K23_STRACE_CLASSES_H
#define K23_STRACE_CLASSES_H

struct k23_strace_class {
	const char *name;	/* "file" for %file */
	const char *calls;	/* names separated by spaces */
};
/* Ends with a NULL name. */
extern const struct k23_strace_class k23_strace_classes[];

#endif
