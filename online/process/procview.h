/* procview.h - k23's per-process state where processes share one memory (vfork, posix_spawn, clone(CLONE_VM) without CLONE_FILES): procview.c. */
#ifndef K23_PROCVIEW_H
#define K23_PROCVIEW_H

#include "online/core/rt.h"

struct k23_area;

/* What k23 keeps per process rather than per address space: the numbers of
 * its descriptors (a process's own table) and the hard descriptor limit the
 * program set (a process's own limits). k23_rt holds them for the process
 * that owns the memory; a child that shares the memory but has a table of
 * its own keeps its copy here, in its k23 area, which only it uses. */
struct k23_procview {
	int out_fd, state_fd, policy_fd, log_fd, chan_fd, life_fd;
	unsigned long nofile_hard;
};

/* How many such children may exist in this memory: while 0 every thread
 * uses k23_rt without looking further. */
extern int k23_procviews;

/* The calling thread's own view, or NULL for k23_rt's (a system call). */
struct k23_procview *k23_procview_lookup(void);

static inline struct k23_procview *k23_procview(void)
{
	return __atomic_load_n(&k23_procviews, __ATOMIC_ACQUIRE) ? k23_procview_lookup() : 0;
}

/* The calling process's descriptors and hard limit, to read or move. */
static inline int *k23_out_fd_ref(void)
{
	struct k23_procview *v = k23_procview();

	return v ? &v->out_fd : &k23_rt.out_fd;
}

static inline int *k23_state_fd_ref(void)
{
	struct k23_procview *v = k23_procview();

	return v ? &v->state_fd : &k23_rt.state_fd;
}

static inline int *k23_policy_fd_ref(void)
{
	struct k23_procview *v = k23_procview();

	return v ? &v->policy_fd : &k23_rt.policy_fd;
}

static inline int *k23_log_fd_ref(void)
{
	struct k23_procview *v = k23_procview();

	return v ? &v->log_fd : &k23_rt.log_fd;
}

static inline int *k23_chan_fd_ref(void)
{
	struct k23_procview *v = k23_procview();

	return v ? &v->chan_fd : &k23_rt.chan_fd;
}

static inline int *k23_life_fd_ref(void)
{
	struct k23_procview *v = k23_procview();

	return v ? &v->life_fd : &k23_rt.life_fd;
}

static inline unsigned long *k23_nofile_hard_ref(void)
{
	struct k23_procview *v = k23_procview();

	return v ? &v->nofile_hard : &k23_rt.nofile_hard;
}

/* In the parent, before clone: gives the child's area a the view it will
 * use (from the creating thread's area own, which may be NULL). Returns 1
 * if the child gets a view of its own: the parent calls k23_procview_done
 * when the clone fails or, for a vfork child, when it returns. */
int k23_procview_child(struct k23_area *a, const struct k23_area *own, unsigned long long flags);
/* A child's own view is no longer used (see k23_procview_child). */
void k23_procview_done(void);
/* In a child with a memory of its own (fork): its view becomes k23_rt, the
 * only one left in the copy. a is its area, or NULL to look it up. */
void k23_procview_forked(struct k23_area *a);
/* A thread exits, freeing its area a: a view of a non-vfork child ends. */
void k23_procview_exit(struct k23_area *a);

#endif
