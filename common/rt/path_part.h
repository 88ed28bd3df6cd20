/* path_part.h - a path's components one by one, for the runtime and k23-prepare alike. */
#ifndef K23_PATH_PART_H
#define K23_PATH_PART_H

#include <stddef.h>

/* The next component of *p after any slashes: its first byte, with its
 * length in *n and *p moved past it; NULL when no component is left. */
static inline const char *k23_path_next(const char **p, size_t *n)
{
	const char *s = *p, *c;

	while (*s == '/')
		s++;
	c = s;
	while (*s && *s != '/')
		s++;
	*p = s;
	*n = (size_t)(s - c);
	return *n ? c : NULL;
}

#endif
