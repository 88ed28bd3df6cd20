/* virt.h - the virtual world of `k23 run --policy` (map:, synthesize:, identity:): what the program is shown instead of the host.
 *
 * The policy blob's virtual sections (policy/blob.h) are read by every
 * image at attach (online/policy/pol_state.c). Each part of the virtual
 * world registers the calls it changes as rows of one table
 * (virt_table.c): a row names the call, the part's test of whether it is
 * in force, and what it does before the call (rewrite arguments: a path
 * replaced by a name k23 built, a sockaddr by a copy; or answer the call
 * itself) and after it (fix results: names and addresses shown back).
 *
 * The dispatcher (online/dispatch/dispatch.c) runs the rows of a call
 * around it, in a frame on k23's own stack (no globals: threads, signal
 * handlers and vfork children each have their own), before the policy's
 * in-process check: a policy rule sees the real name, as Landlock does in
 * the kernel (docs/virtual.md). The program's memory is never written for
 * an argument: the kernel receives k23's copies, and the frame gives the
 * call its program's arguments back after it (what tools and tracers see).
 */
#ifndef K23_VIRT_H
#define K23_VIRT_H

#include "k23/tool.h"
#include "policy/blob.h"

#define K23_VIRT_PATH_MAX 4096

/* One call in the virtual world: lives on k23's stack for the whole call. */
struct k23_virt_call {
	long args[6];			/* the program's arguments, given back after the call */
	unsigned taken;			/* bit i: the call's i-th row wants its after */
	int cur;			/* the row running now (k23_virt_take) */
	long state[4];			/* a part's own notes between before and after
					 * (path maps: [0] and [1]) */
	/* Names k23 builds for the kernel, K23_VIRT_PATH_MAX bytes each: as
	 * many as the call's rows ask for (bufs), the rest NULL. A call with
	 * a policy check too holds its copies as well, and execve's
	 * re-execution runs on the same stack level (28 KiB): only what is
	 * needed is taken. The rows of one call share them: a row that
	 * finds an argument already pointing into one (an earlier row's
	 * name) reads it there before it writes its own. */
	char *path[2];
};

struct k23_virt_row;
/* before: 1 if the row answered the call itself (c->ret set: the call is
 * not made), 0 to let it run (arguments may now point into the frame);
 * it calls k23_virt_take when it wants its after. */
typedef int (*k23_virt_before_fn)(struct k23_call *c, struct k23_virt_call *vc,
				  const struct k23_virt_row *r);
typedef void (*k23_virt_after_fn)(struct k23_call *c, struct k23_virt_call *vc,
				  const struct k23_virt_row *r);
/* again: right after the call, before after: 1 if the row changed the
 * call's arguments so that it must be made again (checked again by the
 * policy first); at most once per call. */
typedef int (*k23_virt_again_fn)(struct k23_call *c, struct k23_virt_call *vc,
				 const struct k23_virt_row *r);

struct k23_virt_row {
	long nr;
	int (*on)(void);		/* the part is in force in this image */
	k23_virt_before_fn before;
	k23_virt_after_fn after;	/* or NULL */
	k23_virt_again_fn again;	/* or NULL */
	/* The part's own description of the call's operands (vmap: dirfd,
	 * path; dirfd, path of a second operand; -1: none). */
	signed char arg[4];
	unsigned char kind;
	unsigned char bufs;		/* the frame's path buffers it needs (0-2) */
};
/* From a row's before: run its after too. */
static inline void k23_virt_take(struct k23_virt_call *vc)
{
	vc->taken |= 1u << vc->cur;
}

extern const struct k23_virt_row k23_virt_rows[];
extern const int k23_virt_nrows;

/* At most this many rows act on one call. */
#define K23_VIRT_ROWS_PER_CALL 4

/* From k23_policy_attach, once the blob is checked: prepares every part
 * (0 or -errno) and the map from call numbers to rows. */
long k23_virt_attach(const struct k23_policy_view *b);

/* 1 if call nr has a row in force: the dispatcher runs it through the
 * virtual layer (and the patched fast path must not take it). */
int k23_virt_wants(long nr);

/* The dispatcher's entry for such a call: the frame, then the policy's
 * (if it wants the call too) and the dispatcher's body. */
void k23_virt_dispatch(struct k23_call *c);

/* From k23_dispatch_body: before the call, 1 if a row answered it
 * (c->ret set); right after it, 1 if it must be made again (a row's
 * again); after it (or after an answer or a refusal), the rows' fixes of
 * the result and the program's arguments given back. */
int k23_virt_before(struct k23_call *c, struct k23_virt_call *vc);
int k23_virt_again(struct k23_call *c, struct k23_virt_call *vc);
void k23_virt_after(struct k23_call *c, struct k23_virt_call *vc);

#endif
