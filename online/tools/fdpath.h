/* fdpath.h - the path a descriptor names (fdpath.c). */
#ifndef K23_FDPATH_H
#define K23_FDPATH_H

#include <stddef.h>

/* Longest descriptor path shown (-y); longer ones are cut. */
#define K23_FDPATH_MAX 1024

/* The path of fd (AT_FDCWD: the working directory) into buf, NUL-ended;
 * its length, or -errno. */
long k23_fd_path(int fd, char *buf, size_t size);

#endif
