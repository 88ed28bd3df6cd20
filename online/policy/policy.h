/* policy.h - the in-process layer of `k23 run --policy`: decided in the dispatcher, in every image of the tree.
 *
 * k23-prepare compiles the policy file into policy/blob.h's form; `k23 run`
 * installs the kernel layers (policy/apply/apply.c) and hands the whole blob
 * to the runtime in a sealed memfd, with the audit log, as two guarded
 * descriptors that cross every execve in the settings (rtconfig.c). Each
 * image maps the memfd read-only at start (pol_state.c).
 *
 * What the layer decides, per call, by a table of checkers (pol_check.c):
 *   - files (pol_files.c): deny rules inside granted trees, on the object
 *     the kernel reaches; under complain mode or a log, the Landlock grants;
 *   - ports (pol_ports.c): under complain mode or a log, Landlock's TCP
 *     port grants;
 *   - destinations (pol_dest.c): network destination rules (to:) on
 *     connect, bind, sendto, sendmsg and sendmmsg;
 *   - the seccomp filter itself (pol_calls.c), run in-process under
 *     complain mode or a log, to log its verdicts and name their rule.
 *
 * It holds against ordinary programs, not hostile ones: a call made from a
 * `syscall` in k23's own text, or a write into k23's memory, gets past it
 * (docs/policy.md).
 */
#ifndef K23_POLICY_RT_H
#define K23_POLICY_RT_H

#include <stdint.h>
#include "k23/tool.h"

enum k23_pol_layer { K23_POL_INPROCESS = 1, K23_POL_SECCOMP, K23_POL_LANDLOCK };

/* What the policy said of one call (the first layer that objected). */
struct k23_pol_verdict {
	int layer;		/* enum k23_pol_layer; 0: no verdict */
	int deny;		/* 1: refused (enforce) or would be (complain) */
	int kill;		/* the filter's verdict kills */
	int logged_only;	/* the filter's log action: allowed, logged */
	int err;		/* the errno of a denial */
	uint32_t rule, line;	/* the rule in the file (0, 0: the default, or k23's own) */
	const char *what;	/* a short description of the rule */
	/* What a Landlock grant would have to cover (observing: complain mode
	 * or a log): the kernel's path of the object and 'r' or 'w', or a TCP
	 * port and 'c' (connect) or 'b' (bind). `k23 policy learn` reads them
	 * from the log. access 0: none. */
	const char *path;
	unsigned port;
	int access;
};

/* 1 once this image has the in-process layer (k23_policy_attach). */
extern int k23_pol_on;

/* Maps k23_rt.policy_fd and prepares the checkers: 0 or -errno. */
long k23_policy_attach(void);
/* Once the image's executable is known (k23_rt.exe_path, exe_dev, exe_ino):
 * which scoped rules bind this image. Each execve starts a new image. */
void k23_policy_bind_image(void);

/* Whether an image is one of exe's (a rule scoped to exe binds it; a
 * libraries: bundle for exe serves it): its executable is exe by path (as
 * /proc/self/exe names it) or by (st_dev, st_ino) (a hard link or a bind
 * mount of it). Valid once k23_rt.exe_path, exe_dev and exe_ino are set
 * (loader/launch.c, before the runtime attaches). */
int k23_pol_binds_image(const char *exe);

/* 1 if call nr must pass the policy (the patched fast path must not take it). */
int k23_policy_wants(long nr);

/* The dispatcher's entry for a call the policy wants: checks it, makes it
 * (or not), reports it (online/dispatch/dispatch.c). vc: the virtual
 * world's frame around it, or NULL. */
struct k23_virt_call;
void k23_policy_dispatch(struct k23_call *c, struct k23_virt_call *vc);

/* Around the call, from k23_dispatch_body: before it, 1 if the call is
 * refused (c->ret set); after it, the check of its result. */
struct k23_pol_call;
int k23_pol_before(struct k23_call *c, struct k23_pol_call *pc);
/* A fresh check (no verdict yet): before a call is checked, and before
 * one the virtual world changed is checked again. */
void k23_pol_reset(struct k23_pol_call *pc);
void k23_pol_after(struct k23_call *c, struct k23_pol_call *pc);

/* From k23_report: writes the audit log's line for c's verdict, if any. */
void k23_policy_log(const struct k23_call *c);

/* The trace tool's suffix for c's verdict (" [policy: ...]") into buf;
 * returns its length (0: none). */
unsigned long k23_policy_describe(const struct k23_call *c, char *buf, unsigned long size);

#endif
