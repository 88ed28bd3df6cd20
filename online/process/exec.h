/* exec.h - the runtime's execve and execveat (exec.c, exec_self.c). */
#ifndef K23_EXEC_H
#define K23_EXEC_H

#include <asm/stat.h>

/* The kernel's nesting of #! interpreters: a 6th level fails with ELOOP. */
#define K23_EXEC_MAX_DEPTH 5

/* fd (described by st) is the file the program asked to execute, by path
 * or (by_fd) by descriptor. If it is k23's binary, or a copy of it, standing
 * for the program's own file, closes it and returns the program's file
 * instead; otherwise returns fd. -errno if the program's file is gone. */
long k23_exec_own_image(long fd, const struct stat *st, const char *path, int by_fd);

#endif
