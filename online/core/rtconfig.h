/* rtconfig.h - the runtime's settings as one string, handed from image to image across execve. */
#ifndef K23_RTCONFIG_H
#define K23_RTCONFIG_H

#include <stddef.h>

/* Encodes the fields of k23_rt that must survive execve. Returns the length,
 * or 0 if buf is too small. */
size_t k23_rtconfig_encode(char *buf, size_t size);

/* Parses what encode wrote into k23_rt; 0 on success, -1 if malformed. */
int k23_rtconfig_decode(const char *s);

#endif
