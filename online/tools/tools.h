/* tools.h - the tools built into the runtime (one struct k23_tool each) and their testable parts. */
#ifndef K23_TOOLS_H
#define K23_TOOLS_H

#include <stddef.h>

#include "k23/tool.h"

extern const struct k23_tool k23_tool_trace;
extern const struct k23_tool k23_tool_record;

/* Longest trace line the trace tool writes, newline included; longer lines
 * lose the end of their arguments (marked "...") but keep their result. */
#define K23_TRACE_LINE_MAX 1536

/* Format c as one strace -f line, "[pid  N] name(args) = ret\n" (no prefix when
 * pid <= 0), into buf. Program memory is read with process_vm_readv, so a bad
 * pointer prints as its address. Always NUL-terminates and ends with '\n'
 * (when size >= 2); returns the length without the NUL. */
size_t k23_trace_format(const struct k23_call *c, int pid, char *buf, size_t size);

#endif
