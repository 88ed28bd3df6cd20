/* log.h - error messages of k23's own process: one line on stderr, prefixed "k23: ". */
#ifndef K23_LOG_H
#define K23_LOG_H

/* Prints "k23: <message>\n" and returns status, so callers can
 * `return k23_fail(126, "...")`. */
int k23_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
