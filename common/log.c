/* log.c - one-line error messages with the "k23: " prefix. */
#include <stdarg.h>
#include <stdio.h>
#include "log.h"

int k23_fail(int status, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "k23: %s\n", line);
	return status;
}
