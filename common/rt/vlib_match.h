/* vlib_match.h - the rule of libraries: (policy/blob.h's k23_policy_lib), shared by k23-prepare and the runtime. */
#ifndef K23_VLIB_MATCH_H
#define K23_VLIB_MATCH_H

#include "policy/blob.h"

/* If an image of l's executable opening path opens a bundle's file
 * instead: its name (BUNDLE/NAME) in out and its length; else 0 (also
 * when it does not fit in size bytes). */
unsigned long k23_vlib_match(const struct k23_policy_view *v, const struct k23_policy_lib *l,
			     const char *path, char *out, unsigned long size);

#endif
