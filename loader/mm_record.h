/* mm_record.h - the kernel's record of argument strings and auxv, as /proc/PID/cmdline and auxv show them. */
#ifndef K23_MM_RECORD_H
#define K23_MM_RECORD_H

#include <stddef.h>

/* Points the record at arguments [arg_start, arg_end) and the initial
 * stack pointer start_stack (0: leave that field as is), if auxv is given
 * and fits the kernel's copy, at that vector (auxv_words words, ending with
 * AT_NULL) and, if exe_fd >= 0 and the kernel allows it, the exe link at
 * that file (*exe_moved says whether it did); other fields are kept.
 * 0 or -errno. */
int k23_mm_record(unsigned long arg_start, unsigned long arg_end, unsigned long start_stack,
		  const unsigned long *auxv, size_t auxv_words, int exe_fd, int *exe_moved);

#endif
