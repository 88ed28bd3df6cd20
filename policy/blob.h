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
 *
 * The version changes whenever a field changes meaning; k23 refuses a blob
 * of another version (k23 and k23-prepare come from one build).
 */
#ifndef K23_POLICY_BLOB_H
#define K23_POLICY_BLOB_H

#include <stdint.h>

#define K23_POLICY_MAGIC   0x5033324bu	/* the bytes "K23P" */
#define K23_POLICY_VERSION 1u
/* Upper bounds k23 accepts (a seccomp filter holds at most 4096 instructions). */
#define K23_POLICY_MAX_BPF 4096u
#define K23_POLICY_MAX_RULES 65536u
#define K23_POLICY_MAX_STRINGS (1u << 20)

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
};

struct k23_policy_fs {
	uint64_t access;	/* LANDLOCK_ACCESS_FS_*; file rights only for a file */
	uint32_t path_off;
	uint32_t reserved;
};

struct k23_policy_net {
	uint64_t access;	/* LANDLOCK_ACCESS_NET_* */
	uint64_t port;
};

#endif
