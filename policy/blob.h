/* blob.h - the compiled policy that k23-prepare hands to `k23 run --policy` through a pipe.
 *
 * Layout (native byte order; both ends are built from the same tree and run
 * on the same machine):
 *
 *   struct k23_policy_hdr
 *   struct sock_filter bpf[n_bpf]        the seccomp filter, as libseccomp exports it
 *   struct k23_policy_fs fs[n_fs]        Landlock path-beneath rules
 *   struct k23_policy_net net[n_net]     Landlock TCP port rules
 *   char strings[strings_size]           NUL-terminated paths, named by offset
 *   struct k23_policy_call call[n_call]  the call rules, one per (rule, call): which
 *                                        rule a filter verdict came from (the audit log)
 *   struct k23_policy_deny deny[n_deny]  file deny rules the in-process layer enforces
 *                                        (some only in the images of one executable: scope:)
 *   struct k23_policy_dest dest[n_dest]  network destination rules (in-process), in file order
 *                                        (scoped deny rules last, each naming its executable)
 *   struct k23_policy_map map[n_map]     path maps (map:), the virtual world (online/virtual/)
 *   struct k23_policy_host host[n_host]  identity: hosts: names and their addresses
 *   struct k23_policy_rewrite rewrite[n_rewrite]  identity: rewrite: destinations rewritten
 *                                        (online/virtual/vnet.c), in file order
 *   struct k23_policy_lib lib[n_lib]     per-executable libraries (libraries:)
 *   uint32_t libstr[n_libstr]            strings of the libraries: the n_libdir directories
 *                                        ld.so searches, then each bundle's names
 *   struct k23_policy_remote remote[n_remote]  remote trees (remote:, online/remote/)
 *   struct k23_policy_synth synth[n_synth]  synthesized files (online/virtual/vfile.c)
 *   char synth_data[synth_size]          their contents, named by offset
 *
 * The in-process part (mode, call, deny, the log) is handed to the runtime
 * of every image in a sealed memfd (online/policy/): the whole blob, which
 * the runtime reads but never changes.
 *
 * The version changes whenever a field changes meaning; k23 refuses a blob
 * of another version (k23 and k23-prepare come from one build).
 */
#ifndef K23_POLICY_BLOB_H
#define K23_POLICY_BLOB_H

#include <stdint.h>

#define K23_POLICY_MAGIC   0x5033324bu	/* the bytes "K23P" */
#define K23_POLICY_VERSION 10u
/* Upper bounds k23 accepts (a seccomp filter holds at most 4096 instructions). */
#define K23_POLICY_MAX_BPF 4096u
#define K23_POLICY_MAX_RULES 65536u
#define K23_POLICY_MAX_STRINGS (1u << 20)
#define K23_POLICY_MAX_SYNTH_FILE (1u << 20)	/* bytes of one synthesized file */
#define K23_POLICY_MAX_SYNTH (16u << 20)	/* bytes of all of them */

struct k23_policy_hdr {
	uint32_t magic;
	uint32_t version;
	uint32_t n_bpf;		/* 0: no seccomp layer */
	uint32_t n_fs;
	uint32_t n_net;
	uint32_t strings_size;
	uint32_t landlock_abi;	/* 0: no Landlock layer */
	uint32_t reserved;
	uint64_t handled_fs;	/* struct landlock_ruleset_attr */
	uint64_t handled_net;
	/* v2: the in-process layer */
	uint32_t mode;		/* K23_POLICY_ENFORCE or K23_POLICY_COMPLAIN */
	uint32_t n_call;
	uint32_t n_deny;
	uint32_t log_off;	/* the audit log's path in strings, or K23_POLICY_NO_LOG */
	uint32_t def_line;	/* the default action's line */
	uint32_t def_action;	/* the filter's default verdict (SECCOMP_RET_*) */
	/* v3: destination rules */
	uint32_t n_dest;
	uint32_t dest_ops;	/* K23_DEST_*: the operations some rule names */
	uint32_t dest_closed;	/* K23_DEST_*: those an allow rule names: a destination
				 * no rule matches is refused (EACCES) */
	uint32_t reserved2;
	/* v6: the virtual world (docs/virtual.md) */
	uint32_t n_map;
	uint32_t reserved3;
	/* v7: the virtual world's network identity (docs/virtual.md) */
	uint32_t n_host;
	uint32_t n_rewrite;
	/* v8: per-executable libraries */
	uint32_t n_lib;
	uint32_t n_libstr;
	uint32_t n_libdir;	/* libstr[0..n_libdir): the directories */
	uint32_t reserved4;
	/* v9: the virtual world's synthesized files and host name */
	uint32_t n_synth;
	uint32_t synth_size;
	uint32_t hostname_off;	/* identity: hostname: in strings, or K23_POLICY_NO_HOSTNAME */
	uint32_t reserved5;
	uint64_t synth_time;	/* their times (atime, mtime): ns since the epoch, when filled */
	/* v10: remote trees */
	uint32_t n_remote;
	uint32_t reserved6;
};

#define K23_POLICY_ENFORCE 0u
#define K23_POLICY_COMPLAIN 1u
#define K23_POLICY_NO_LOG 0xffffffffu

struct k23_policy_fs {
	uint64_t access;	/* LANDLOCK_ACCESS_FS_*; file rights only for a file */
	uint32_t path_off;
	uint32_t line;		/* in the policy file; 0: granted by k23 itself */
};

struct k23_policy_net {
	uint64_t access;	/* LANDLOCK_ACCESS_NET_* */
	uint32_t port;
	uint32_t line;
};

/* One call of one call rule. The runtime asks the filter itself for the
 * verdict (policy/bpf_sim.c's logic) and names the first rule in file
 * order whose call, conditions and verdict match it. */
struct k23_policy_cond {
	uint32_t arg, op;	/* enum pol_op */
	uint64_t value, value2;
};
struct k23_policy_call {
	uint32_t nr;
	uint32_t rule;		/* index of the rule in the file's order, from 1 */
	uint32_t line;
	uint32_t action;	/* the filter's verdict for it (SECCOMP_RET_*) */
	uint32_t ncond;
	uint32_t reserved;
	struct k23_policy_cond cond[6];
};

/* A file deny rule the in-process layer enforces (one inside a granted
 * tree, or any deny rule under complain mode). */
struct k23_policy_deny {
	uint32_t path_off;	/* canonical path (realpath when compiled) */
	uint32_t line;
	uint32_t rule;		/* index of the rule among the file rules, from 1 */
	int32_t err;		/* errno returned; EACCES unless errno: is given */
	/* v4: scope: the executable (realpath) whose images the rule binds,
	 * in strings; K23_POLICY_EVERY_IMAGE: every image. */
	uint32_t exe_off;
	uint32_t reserved;
};
#define K23_POLICY_EVERY_IMAGE 0xffffffffu

/* A destination rule (policy/parse_net.c). The first rule in file order
 * that names the operation and matches the destination decides. */
#define K23_DEST_BIND    1u
#define K23_DEST_CONNECT 2u
#define K23_DEST_SENDTO  4u
enum { K23_DEST_ANY, K23_DEST_INET, K23_DEST_UNIX, K23_DEST_ABSTRACT };
struct k23_policy_dest {
	uint32_t ops;		/* K23_DEST_* */
	uint32_t kind;
	uint32_t deny;
	int32_t err;		/* deny: errno */
	uint32_t rule, line;	/* index among the network rules (from 1); line in the file */
	uint32_t prefix;	/* inet: bits of addr, 0-128 (IPv4 as ::ffff:0:0/96) */
	uint32_t lo, hi;	/* inet: ports, inclusive */
	uint32_t name_off;	/* unix, abstract: the name in strings */
	uint8_t addr[16];
	/* v5: scope: the executable (realpath) whose images the rule binds, in
	 * strings, or K23_POLICY_EVERY_IMAGE. A scoped rule is a deny rule,
	 * consulted only when the tree's rules let the destination through. */
	uint32_t exe_off;
	uint32_t reserved;
};

/* A path map (policy/parse_map.c): what the program names at path is
 * served from to. Both are absolute and normal (no ".", "..", "//" or
 * trailing "/"); to is its realpath when compiled, and never lies inside
 * another map's path (maps do not chain). */
#define K23_MAP_READ_ONLY 1u
struct k23_policy_map {
	uint32_t path_off;	/* what the program names, in strings */
	uint32_t to_off;	/* the real tree, in strings */
	uint32_t flags;		/* K23_MAP_* */
	uint32_t line;
};

/* identity: hosts: (policy/parse_identity.c): a name the program resolves. */
struct k23_policy_host {
	uint32_t name_off;	/* the name, in strings */
	uint32_t line;
	uint32_t v6;		/* 1: an IPv6 address; 0: IPv4 (addr holds it mapped) */
	uint32_t reserved;
	uint8_t addr[16];
};

/* identity: rewrite: a destination the program names (from) and the one the
 * kernel receives (to); addresses in IPv6 form, IPv4 mapped (::ffff:a.b.c.d).
 * No two rewrites share a from, nor a to (the reverse mapping is by to). */
struct k23_policy_rewrite {
	uint8_t from[16];
	uint8_t to[16];
	uint32_t from_port, to_port;	/* 1-65535 */
	uint32_t line, reserved;
};

/* Per-executable libraries (policy/parse_libs.c, online/virtual/vlib.c):
 * in the images of exe, an open of NAME in one of the directories ld.so
 * searches opens bundle/NAME instead, for each NAME the bundle holds.
 * The directories are libstr[0..n_libdir), the names
 * libstr[name0..name0 + nnames) (offsets in strings, sorted). */
struct k23_policy_lib {
	uint32_t exe_off;	/* the executable (realpath), in strings */
	uint32_t bundle_off;	/* the bundle directory (realpath), in strings */
	uint32_t name0, nnames;
	uint32_t line;
	uint32_t reserved;
};

/* A synthesized file: path (absolute, without '.', '..' or empty
 * components) and content. */
#define K23_POLICY_NO_HOSTNAME 0xffffffffu
struct k23_policy_synth {
	uint32_t path_off;	/* in strings */
	uint32_t line;
	uint32_t data_off;	/* in synth_data */
	uint32_t size;
};

/* A remote tree (policy/parse_remote.c, docs/remote.md): what the program
 * names at path is served by the 9P2000.L server host:port, tree export. */
#define K23_POLICY_MAX_REMOTE 16u
#define K23_REMOTE_START_ANYWAY 1u	/* unreachable: start (remote calls fail with EIO) */
struct k23_policy_remote {
	uint32_t path_off;	/* absolute, normal, in strings */
	uint32_t host_off;	/* a name or an address (IPv6 without brackets), in strings */
	uint32_t export_off;	/* the server's tree (aname), in strings */
	uint32_t port;		/* 1-65535 */
	uint32_t flags;		/* K23_REMOTE_* */
	uint32_t timeout_s;	/* how long a remote call waits for the server */
	uint32_t line;
	uint32_t reserved;
};

/* The sections of a checked blob. */
struct k23_policy_view {
	const struct k23_policy_hdr *h;
	const void *bpf;			/* struct sock_filter[h->n_bpf] */
	const struct k23_policy_fs *fs;
	const struct k23_policy_net *net;
	const char *strings;
	const struct k23_policy_call *calls;
	const struct k23_policy_deny *deny;
	const struct k23_policy_dest *dest;
	const struct k23_policy_map *map;
	const struct k23_policy_host *host;
	const struct k23_policy_rewrite *rewrite;
	const struct k23_policy_lib *lib;
	const uint32_t *libstr;
	const struct k23_policy_remote *remote;
	const struct k23_policy_synth *synth;
	const char *synth_data;
};

/* common/rt/policy_blob.c, freestanding, so that k23 (before the program
 * starts) and the runtime of every image check a blob the same way: 1 if
 * the len bytes at blob are a policy of this version whose sizes add up to
 * len and whose every string offset lies inside its NUL-terminated
 * strings, with v set to its sections; 0 otherwise. */
int k23_policy_view(const void *blob, unsigned long len, struct k23_policy_view *v);

#endif
