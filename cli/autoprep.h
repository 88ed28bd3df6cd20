/* autoprep.h - `k23 run --prepare=background|now|never`: sidecars for what a run lacked, without a ritual. */
#ifndef K23_AUTOPREP_H
#define K23_AUTOPREP_H

enum k23_prepare_mode {
	K23_PREP_BACKGROUND = 0,	/* the default: a detached, idle k23 prepare */
	K23_PREP_NOW = 1,		/* prepare before the program starts */
	K23_PREP_NEVER = 2,		/* leave the cache alone */
};

/* "background", "now", "never": the mode, or -1. */
int k23_prepare_mode(const char *s);

struct k23_target;

/* Called by k23 run just before the program starts, with the sidecar cache
 * in k23_rt.cache_dir: checks cheaply whether the program or its
 * interpreter lacks a sidecar, or the runtime left objects to prepare (the
 * want markers); if so, prepares them as mode says. policy: --policy FILE
 * or NULL (the closure is the one the program loads under it). Opens no
 * descriptor the program would see; never fails the run. */
void k23_autoprep(int mode, const struct k23_target *t, const char *policy);

#endif
