/* sigview.h - the program's own view of whether SIGSYS is blocked, per thread. */
#ifndef K23_SIGVIEW_H
#define K23_SIGVIEW_H

/* k23 never lets the kernel block SIGSYS, but a program that blocks it must
 * read back the mask it set (glibc's posix_spawn decides from it which
 * handlers to reset). The bit is kept per thread id. */
int k23_sigview_blocked(void);
void k23_sigview_set(int blocked);

#endif
