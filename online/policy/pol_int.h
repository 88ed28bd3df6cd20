/* pol_int.h - what the parts of the in-process policy layer share: the attached policy, a call in check, the checkers. */
#ifndef K23_POL_INT_H
#define K23_POL_INT_H

#include <stddef.h>
#include <stdint.h>
#include "policy/blob.h"
#include "online/policy/policy.h"
#include "online/core/rt.h"
#include "online/policy/pol_bpf.h"

#define K23_POL_PATH_MAX 4096

/* The attached policy (pol_state.c): pointers into the mapped blob. */
struct k23_pol {
	struct k23_policy_view b;	/* the blob's sections */
	int complain;			/* mode: complain */
	int observe;			/* complain or log: evaluate the kernel layers in-process */
	/* Identities of the deny rules' objects, taken at attach (0, 0: absent);
	 * other: the rule is scoped to another executable than this image's. */
	struct { unsigned long dev, ino; int other; } *ids;
	/* A deny rule names a directory or a missing path: objects must be
	 * matched by their kernel path too, not by identity alone. */
	int trees;
	/* A deny rule names a file that is no directory: objects must be
	 * matched by identity even where their kernel path is known (a hard
	 * link of it lies anywhere on its file system). */
	int by_id;
	/* Per destination rule, when some are scoped (else NULL): 1 if the
	 * rule is scoped to another executable than this image's. */
	unsigned char *dest_other;
};
extern struct k23_pol k23_pol;

/* pol_dest.c's copies: a sockaddr, or the headers and names of sendmsg and
 * sendmmsg (at most K23_POL_MMSG messages per sendmmsg). */
#define K23_POL_MMSG 32
#define K23_POL_SA_MAX 128		/* sizeof(struct sockaddr_storage) */
struct k23_pol_net {
	unsigned char hdr[K23_POL_MMSG][64];	/* struct mmsghdr (msghdr: the first 56) */
	unsigned char name[K23_POL_MMSG][K23_POL_SA_MAX];
	unsigned long user_vec;			/* sendmmsg: the program's vector (msg_len) */
	char what[256];				/* the decoded destination, for the verdict */
};

/* One call in check: the copies the kernel receives, and the verdict.
 * Lives on the dispatcher's stack for the whole call (pol_check.c). */
struct k23_pol_call {
	struct k23_pol_verdict v;
	int post;			/* a checker wants to see the result (after) */
	uint64_t how[3];		/* openat2's struct open_how, copied */
	union {
		char path[2][K23_POL_PATH_MAX];	/* path arguments, copied */
		struct k23_pol_net net;		/* a destination's copies (pol_dest.c) */
	};
	char real[K23_POL_PATH_MAX];	/* the kernel's path of an object in check */
};

/* A checker: which calls it looks at, before and (optionally) after them.
 * check returns 1 to refuse the call (c->ret set), 0 to let it run; under
 * complain mode it only records would-be denials in pc->v. */
struct k23_pol_checker {
	const char *name;
	int (*wants)(long nr);
	int (*check)(struct k23_call *c, struct k23_pol_call *pc);
	void (*after)(struct k23_call *c, struct k23_pol_call *pc);
};
extern const struct k23_pol_checker k23_pol_files, k23_pol_ports, k23_pol_dest;

/* Records a verdict unless one is there already (the first layer wins).
 * Returns 1 if the call is to be refused now (enforce, in-process). */
int k23_pol_verdict(struct k23_pol_call *pc, int layer, int err, uint32_t rule, uint32_t line,
		    const char *what);

/* pol_check.c: the map from call numbers to checkers (at attach). */
void k23_pol_build_map(void);

/* pol_calls.c: the filter's verdict on c, in-process (complain or log). */
void k23_pol_calls_check(const struct k23_call *c, struct k23_pol_call *pc);


/* 1 if path lies at or below tree ("/" covers everything). */
int k23_pol_inside(const char *path, const char *tree);

#endif
