/* tool_count.h - the count tool. */
#ifndef K23_TOOL_COUNT_H
#define K23_TOOL_COUNT_H
#include "k23/tool.h"
extern const struct k23_tool k23_tool_count;
#endif
