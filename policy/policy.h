/* policy.h - a k23 policy as read from its file: call rules, path rules, port rules, each with its place in the file.
 *
 * k23-prepare (glibc, links libyaml and libseccomp) reads and checks the
 * file (parse*.c), compiles it into the binary form of policy/blob.h
 * (compile.c) and explains it (explain.c). k23 itself never parses YAML:
 * `k23 run --policy` receives the compiled form through a pipe
 * (policy/apply/) - see docs/policy.md, "Where the code runs".
 */
#ifndef K23_POLICY_H
#define K23_POLICY_H

#include <stdint.h>
#include <stdio.h>

/* Actions of call rules (the kernel filter's verdicts). */
enum pol_action {
	POL_ALLOW,
	POL_ERRNO,		/* deny with errno */
	POL_KILL_PROCESS,
	POL_KILL_THREAD,
	POL_LOG,		/* allowed, logged by the kernel's audit */
};

/* Argument comparisons: the OCI operators. */
enum pol_op { POL_NE, POL_LT, POL_LE, POL_EQ, POL_GE, POL_GT, POL_MASKED_EQ };

struct pol_cond {
	unsigned arg;		/* 0..5 */
	enum pol_op op;
	uint64_t value;
	uint64_t value2;	/* masked-eq: the datum compared after masking with value */
};

struct pol_where {
	int line, col;		/* 1-based, as editors count */
};

/* One call rule: one action for a set of calls, under the conditions (all of them). */
struct pol_call_rule {
	struct pol_where at;
	enum pol_action action;
	int err;			/* POL_ERRNO */
	int nnames;
	char **names;			/* as written (groups expanded: one entry per call) */
	char **via;			/* per name: the group it came from, or NULL */
	struct pol_where *name_at;
	int ncond;
	struct pol_cond cond[6];
};

/* Path rules. Landlock grants; "deny" rules are checked against the grants. */
enum pol_path_kind { POL_PATH_READ, POL_PATH_READ_WRITE, POL_PATH_DENY };

struct pol_path_rule {
	struct pol_where at;
	enum pol_path_kind kind;
	char *path;		/* after ${CWD}/${HOME} expansion, canonical (realpath) */
	char *written;		/* as in the file */
	int own;		/* granted by k23 for itself (not from the file) */
	const char *why;	/* own: what k23 needs it for */
	int err;		/* deny: the errno returned (EACCES unless errno: is given) */
	int rule;		/* index of the rule among the file rules, from 1 */
	char *scope;		/* scope: the executable (realpath) it applies to; NULL: every image */
};

/* Port rules (TCP, Landlock ABI 4+). */
#define POL_NET_BIND    1u
#define POL_NET_CONNECT 2u
#define POL_NET_SENDTO  4u	/* destination rules only: sendto, sendmsg, sendmmsg */

struct pol_net_rule {
	struct pol_where at;
	int deny;
	unsigned ops;		/* POL_NET_* */
	unsigned lo, hi;	/* port range, inclusive */
};

/* Destination rules (to:): the in-process layer (online/policy/pol_dest.c).
 * An IPv4 range is kept as its IPv4-mapped IPv6 range (::ffff:a.b.c.d,
 * prefix + 96), so that one comparison serves both families. */
enum pol_dest_kind { POL_DEST_ANY, POL_DEST_INET, POL_DEST_UNIX, POL_DEST_ABSTRACT };

struct pol_dest_rule {
	struct pol_where at;
	int deny;
	int err;		/* deny: the errno (EACCES unless errno: is given) */
	int rule;		/* index of the rule among the network rules, from 1 */
	unsigned ops;		/* POL_NET_* */
	enum pol_dest_kind kind;
	uint8_t addr[16];	/* inet: network address (IPv6 form) */
	unsigned prefix;	/* inet: bits of addr that count, 0-128 */
	unsigned lo, hi;	/* inet: port range, inclusive (0-65535: any) */
	char *name;		/* unix: the path; abstract: the name */
	char *written;		/* as in the file */
	char *scope;		/* scope: the executable (realpath) it applies to; NULL: every image */
};

/* A path map (map:, parse_map.c): the program's name path is served from
 * the tree to (docs/virtual.md). */
struct pol_map {
	struct pol_where at, to_at;
	char *path;		/* absolute, normal */
	char *to;		/* realpath */
	int read_only;
};

/* identity: hosts: a name the program resolves, and its address
 * (policy/parse_identity.c). IPv4 kept IPv4-mapped, as destinations. */
struct pol_host {
	struct pol_where at;
	char *name;
	uint8_t addr[16];
	int v6;			/* written as an IPv6 address (not IPv4 or ::ffff:a.b.c.d) */
};

/* identity: rewrite: a destination the program names (from) and the one
 * the kernel receives (to); addresses IPv6-form (IPv4 mapped), one port each. */
struct pol_rewrite {
	struct pol_where at;
	uint8_t from[16], to[16];
	unsigned from_port, to_port;
	char *from_written, *to_written;
};

/* libraries: (parse_libs.c): the images of exe find the shared objects of
 * bundle instead of the system's (docs/virtual.md). */
struct pol_lib {
	struct pol_where at;	/* its exe: */
	struct pol_where bundle_at;
	char *exe;		/* realpath */
	char *bundle;		/* realpath */
	unsigned long dev, ino;	/* the executable's file */
	int nnames;
	char **names;		/* the bundle's shared objects (sorted) */
};

/* A synthesized file (parse_synth.c): its content as filled when the
 * policy was read (k23 run reads it just before the program starts). */
#define POL_SYNTH_MAX_FILE  (1u << 20)	/* bytes per file */
#define POL_SYNTH_MAX_TOTAL (16u << 20)	/* bytes of all files together */
#define POL_HOSTNAME_MAX 64		/* HOST_NAME_MAX: what uname's nodename holds */
struct pol_synth {
	struct pol_where at;
	char *path;		/* absolute, as the program names it */
	char *data;		/* the content (may hold NUL bytes) */
	size_t size;
	int from_identity;	/* /etc/hostname made for identity: hostname: */
};

/* A remote tree (remote:, parse_remote.c): what the program names at path
 * is served by a 9P2000.L server (docs/remote.md). */
#define POL_REMOTE_MAX 16
#define POL_REMOTE_TIMEOUT 10	/* seconds, when the policy gives none */
struct pol_remote {
	struct pol_where at;
	char *path;		/* absolute, normal */
	char *url;		/* as written */
	char *host;		/* name or address (IPv6 without brackets) */
	unsigned port;
	char *export;		/* the server's tree (aname), from its '/' */
	int start_anyway;	/* unreachable: start */
	unsigned timeout_s;
};

enum pol_form { POL_FORM_K23, POL_FORM_OCI };

struct policy {
	const char *file;
	enum pol_form form;
	int complain;		/* mode: complain - log, deny nothing (the in-process layer) */
	char *log;		/* log: the audit log's absolute path, or NULL */
	struct pol_where log_at;
	enum pol_action def;
	int def_errno;
	struct pol_where def_at;
	int ncalls;
	struct pol_call_rule *calls;
	int has_files, has_network;
	int npaths;
	struct pol_path_rule *paths;
	int nnet;
	struct pol_net_rule *net;
	int ndest;
	struct pol_dest_rule *dest;
	/* The virtual world (docs/virtual.md) */
	int nmap;
	struct pol_map *map;
	/* identity: (policy/parse_identity.c) */
	int nhosts;
	struct pol_host *hosts;
	int nrewrite;
	struct pol_rewrite *rewrite;
	/* libraries: the bundles, and the directories ld.so searches here */
	int nlibs;
	struct pol_lib *libs;
	int nlibdirs;
	char **libdirs;
	/* The virtual world's synthesized files and host name (parse_synth.c). */
	int nsynth;
	struct pol_synth *synth;
	char *hostname;		/* identity: hostname:, or NULL */
	struct pol_where hostname_at;
	char tree_id[33];	/* ${K23_TREE_ID}: 32 hex digits, or "" until a template names it */
	uint64_t synth_time;	/* when the templates were filled (ns since the epoch) */
	/* remote: (parse_remote.c) */
	int nremote;
	struct pol_remote *remote;
	/* OCI: architectures the filter also covers (libseccomp tokens) */
	int narch;
	uint32_t arch[8];
	/* OCI: names this libseccomp does not know, skipped as runc and crun do */
	int nskipped;
	char **skipped;
	/* OCI: entries left out by their includes/excludes, as "L:C why" */
	int nconditional;
	char **conditional;
};

/* Context for the rules k23 grants itself (explain shows them). */
struct pol_self {
	const char *k23;	/* k23's binary, or NULL */
	const char *core;	/* k23-core beside it (loader/launcher.h), or NULL */
	const char *prepare;	/* k23-prepare's */
	const char *cache;	/* the sidecar cache, or NULL */
};

/* parse.c: 0, or prints FILE:LINE:COL: message and returns 2. */
int k23_policy_read(const char *file, struct policy *p);
void k23_policy_free(struct policy *p);
void k23_pol_free_remote(struct policy *p);

/* names.c */
int k23_pol_call_nr(const char *name);		/* x86-64 number, or -1 */
int k23_pol_errno(const char *name);		/* EPERM -> 1; numbers accepted; -1 */
const char *k23_pol_errno_name(int e);
const char *k23_pol_suggest_call(const char *name);
const char *k23_pol_suggest_errno(const char *name);
const char *k23_pol_suggest_group(const char *name);
/* The calls of a systemd group (@name), NUL-separated, ending in an empty
 * string; nested groups are expanded by the caller. NULL if unknown. */
const char *k23_pol_group(const char *name, const char **help);
const char *k23_pol_nearest(const char *word, const char *const *cands, int n);

/* compile.c: the kernel filter and the Landlock rules. */
struct pol_compiled {
	void *bpf;		/* struct sock_filter[] */
	unsigned bpf_len;	/* instructions */
	int landlock_abi;	/* 0: none needed; else the kernel's */
	uint64_t handled_fs, handled_net;
	int weaker;		/* rules that lost their kernel layer (accepted) */
	int ring_refused;	/* io_uring_setup refused by the filter: in-process file
				 * or destination rules are in force, and a ring
				 * bypasses the dispatcher */
};
/* accept_weaker: 0 refuse a weaker policy, 1 accept it with a warning per
 * rule, 2 accept it quietly (explain reports it). */
int k23_policy_compile(struct policy *p, const struct pol_self *self, int accept_weaker,
		       struct pol_compiled *c);
int k23_policy_write_blob(const struct policy *p, const struct pol_compiled *c, int fd);
void k23_policy_add_own(struct policy *p, const struct pol_self *self);
int k23_policy_landlock_abi(void);
/* The Landlock rights a grant gives, within what the ruleset handles. */
uint64_t k23_pol_path_access(const struct pol_path_rule *r, uint64_t handled);

/* The grant a deny rule lies inside (Landlock cannot enforce it), or NULL. */
const struct pol_path_rule *k23_policy_covering(const struct policy *p, const struct pol_path_rule *d);
/* Deny rules inside a scope: in-process only, for the images of one executable. */
int k23_policy_nscoped(const struct policy *p);
/* Destination deny rules inside a scope (also in-process only). */
int k23_policy_nscoped_dest(const struct policy *p);
/* Deny rules inside granted trees: what Landlock cannot express. Calls
 * fn for each (rule, the grant it falls in). Returns how many. */
int k23_policy_weak_paths(const struct policy *p,
			  void (*fn)(const struct pol_path_rule *deny, const struct pol_path_rule *grant, void *),
			  void *arg);

/* bpf_sim.c: what the compiled filter answers for one call. */
uint32_t k23_bpf_run(const void *bpf, unsigned len, uint32_t arch, int nr, uint64_t ip,
		     const uint64_t args[6]);
/* The same, adding the instructions it ran to *steps (what the call costs). */
uint32_t k23_bpf_run_steps(const void *bpf, unsigned len, uint32_t arch, int nr, uint64_t ip,
			   const uint64_t args[6], unsigned *steps);

/* needs.c: calls k23 itself makes after the policy is installed. */
struct k23_need {
	const char *name;
	const char *why;
	int nargs;		/* argument vectors tried: args[0..nargs-1] */
	uint64_t args[4][6];
};
extern const struct k23_need k23_needs[];
extern const int k23_nneeds;
/* Those needed only when the policy synthesizes files. */
extern const struct k23_need k23_synth_needs[];
extern const int k23_nsynth_needs;
int k23_need_passes(const struct pol_compiled *c, const struct k23_need *n, uint32_t *verdict);
/* Prints, for each need the filter denies, "FILE: ..." lines (prefix) to out;
 * returns how many are denied. */
int k23_policy_check_needs(const struct policy *p, const struct pol_compiled *c, FILE *out,
			   const char *prefix);

/* explain.c */
void k23_policy_explain(const struct policy *p, const struct pol_compiled *c, FILE *out);

/* learn.c: "k23-prepare policy learn [-o FILE] -- PROG ARGS" (self->k23 runs PROG). */
int k23_policy_learn(int argc, char **argv, const struct pol_self *self);

/* main.c: "k23-prepare policy check|explain|compile|learn ..." */
int k23_policy_main(int argc, char **argv);

/* Errors: "FILE:LINE:COL: message" on stderr (or k23_pol_errors if set:
 * the fuzzer sets it to /dev/null); returns 2. */
extern FILE *k23_pol_errors;
int k23_pol_error(const char *file, struct pol_where at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
