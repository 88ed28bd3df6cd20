/* reexec.h - starting the next process image through k23 itself, with the program's exact argv. */
#ifndef K23_REEXEC_H
#define K23_REEXEC_H

#include <stddef.h>

/* What one image hands the next, in a memfd (see reexec.c). */
#define K23_HANDOVER_MAGIC "K23EXEC1\n"
#define K23_HANDOVER_MAX (128 + 24 + 4096 + 4096 + 4096 + 64)	/* settings, fd, AT_EXECFN, k23's path, cache dir */

/* Executes k23 again so that it loads prog_fd (an open ELF or #! file, not
 * close-on-exec) with exactly argv and envp, and AT_EXECFN execfn; k23_rt's
 * inheritable settings travel along. Returns only on failure (-errno). */
long k23_reexec(int prog_fd, const char *execfn, char *const argv[], char *const envp[]);

#endif
