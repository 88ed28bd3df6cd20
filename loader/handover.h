/* handover.h - reading what the previous image left for this one (online/process/reexec.c). */
#ifndef K23_HANDOVER_H
#define K23_HANDOVER_H

#include <stddef.h>

/* If this image was started by k23_reexec: decodes the settings into k23_rt,
 * sets *prog_fd and execfn, closes the hand-over descriptors and returns 1.
 * Returns 0 for an ordinary start, -1 (after a message) if the record is
 * corrupt. */
int k23_handover_read(int *prog_fd, char *execfn, size_t size);

#endif
