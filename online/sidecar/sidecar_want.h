/* sidecar_want.h - want markers: objects the program mapped without a usable sidecar, left for k23 run's preparer. */
#ifndef K23_SIDECAR_WANT_H
#define K23_SIDECAR_WANT_H

#include <stdint.h>

#define K23_WANT_MAGIC "K23WANT1"	/* 8 bytes, then the object's path (no NUL) */

/* When k23_rt.cache_write is set: writes "<cache>/want/<hex id>" naming the object
 * open as obj_fd, unless a marker of that name exists. Silently nothing if
 * the cache is not writable or the object has no path. */
void k23_want_mark(const uint8_t *id, uint32_t len, int obj_fd);

#endif
