/* rt.h - state of the runtime that lives inside the interposed process.
 *
 * The loader fills k23_rt before the program's first instruction; after that it
 * is read-only except for the guarded file descriptors, which move with atomic
 * stores when the program dup2()s over them. Threads share it; a fork child
 * gets a copy; execve hands its settings to the next image in a memfd
 * (reexec.c, rtconfig.c).
 */
#ifndef K23_RT_H
#define K23_RT_H

#include <stddef.h>
#include <stdint.h>
#include "k23/tool.h"
#include "online/tools/topts.h"

#define K23_CATCH_SUD 1
#define K23_CATCH_SECCOMP 2	/* the filter judges every call by its address */
#define K23_CATCH_BACKSTOP 4	/* the filter judges by address only the calls that
				 * could leave SUD's reach (seccomp_filter.c) */
#define K23_CATCH_FILTER (K23_CATCH_SECCOMP | K23_CATCH_BACKSTOP)	/* a filter is installed */
#define K23_CATCH_HYBRID (K23_CATCH_SUD | K23_CATCH_BACKSTOP)	/* the default */

/* Data value in k23's SECCOMP_RET_TRAP, seen as si_errno: tells k23's own traps
 * from those of a filter the program installs itself. */
#define K23_SECCOMP_TRAP_DATA 0x1e23

enum k23_tool_id { K23_TOOL_NONE = 0, K23_TOOL_COUNT = 1, K23_TOOL_TRACE = 2, K23_TOOL_RECORD = 3 };

/* Shared by every process of the interposed tree (a MAP_SHARED memfd). */
#define K23_MAX_SYSCALLS 512
struct k23_counts {
	uint64_t calls[K23_MAX_SYSCALLS];
	uint64_t errors[K23_MAX_SYSCALLS];
	uint64_t other_calls;	/* numbers >= K23_MAX_SYSCALLS (x32, bogus) */
	uint64_t other_errors;
};

/* How system calls reached k23 and what became of the sites, for
 * `k23 run --stats`; shared like k23_counts, updated with atomic adds. */
enum k23_skip {
	K23_SKIP_NO_PLAN = 0,	/* the sidecar has no patch plan for it */
	K23_SKIP_BYTES,		/* memory differs from the sidecar's bytes */
	K23_SKIP_STUB_SPACE,	/* no stub memory within +-2 GiB */
	K23_SKIP_PROTECT,	/* mprotect refused to make it writable */
	K23_SKIP_LAZY_PATTERN,	/* trapped site not of a pattern proven safe */
	K23_SKIP_SHARED,	/* in a shared mapping: a write would reach the file */
	K23_SKIP_NREASONS
};
struct k23_stats {
	uint64_t via[4];		/* indexed by enum k23_via */
	uint64_t sites_patched;		/* from sidecars, at load */
	uint64_t sites_lazy;		/* patched after a trap */
	uint64_t skipped[K23_SKIP_NREASONS];
	uint64_t objects_patched;	/* objects whose sidecar was used */
	uint64_t objects_no_sidecar;	/* mapped executable, no sidecar in the cache */
	uint64_t objects_stale;		/* sidecar present but stale or corrupt */
};

/* The shared state memfd: counts for --tool count, stats for --stats, and
 * the first error of a write to the tool's output (trace, record), which
 * the supervisor reports at the end. */
struct k23_shared {
	struct k23_counts counts;
	struct k23_stats stats;
	int out_errno;			/* 0, or the errno of the first failed write */
	uint64_t count_ns[K23_MAX_SYSCALLS];	/* -c -S time: time spent per call */
	struct k23_topts opts;		/* strace's options, written by k23 before the start */
};

enum k23_patch_mode {
	K23_PATCH_OFF = 0,	/* --no-patch: catch-all only */
	K23_PATCH_STUB = 1,	/* default: jmp to a per-site stub */
	K23_PATCH_PAGE0 = 2,	/* --patch=page0: call *%rax into page 0 */
};

#define K23_SEEN_KEPT 8

struct k23_rt {
	int catch_all;			/* K23_CATCH_* bits */
	int install_filter;		/* the seccomp filter is not installed yet */
	int tool;			/* enum k23_tool_id */
	const struct k23_tool *tool_ops; /* NULL when tool == K23_TOOL_NONE */
	int out_fd;			/* tool output, guarded; -1 if none */
	int state_fd;			/* memfd holding struct k23_counts, guarded; -1 if none */
	int policy_fd;			/* sealed memfd holding the compiled policy, guarded; -1 if none */
	int log_fd;			/* the policy's audit log (O_APPEND), guarded; -1 if none */
	int chan_fd;			/* the remote-call channel (common/remote/chan.h), guarded; -1 if none */
	int life_fd;			/* the remote proxy's lifetime pipe, guarded; -1 if none */
	struct k23_counts *counts;	/* state_fd mapped, or NULL */
	struct k23_shared *shared;	/* state_fd mapped, or NULL */
	const struct k23_topts *opts;	/* &shared->opts when set (K23_TO_SET), else NULL */
	unsigned long text_start;	/* k23's executable segment: exempt from SUD, */
	unsigned long text_end;		/* allowed by the seccomp filter */
	int patch;			/* enum k23_patch_mode */
	int lazy;			/* patch trapped sites of a safe pattern */
	int stats;			/* --stats: keep struct k23_stats */
	int cache_write;		/* may write into the cache: stamps, want markers
					 * (sidecar_want.c), the image copy (selfcopy.c);
					 * 0 under --prepare=never */
	unsigned long cache_uid;	/* the effective uid `k23 run` started with: a
					 * patched copy (executable code) is mapped only if
					 * that uid or root owns it (prepatched.c) */
	struct k23_stats *stats_area;	/* in the state memfd, or NULL */
	unsigned long nofile_hard;	/* the hard RLIMIT_NOFILE the program set, where the
					 * kernel's is kept higher (nofile.c); 0: the kernel's */
	char cache_dir[4096];		/* sidecar cache, "" when none is known */
	char self_exe[4096];		/* k23's own path, re-executed on execve */
	char exe_path[4096];		/* what /proc/self/exe shows natively */
	int exe_moved;			/* the kernel's exe link names the program (loader/selfcopy.c) */
	unsigned long exe_dev, exe_ino;	/* the program's file */
	unsigned long self_dev, self_ino, self_size; /* k23's own file */
	unsigned long core_dev, core_ino; /* k23-core beside it, when the launcher
					   * started this image (loader/launcher.h);
					   * core_ino 0 when k23-core was executed */
	unsigned long self_base;	/* where k23's file is mapped (its ELF header) */
	const char *pristine;		/* file bytes of k23's writable segment, or NULL */
	/* Stamps this process read or wrote (online/sidecar/sidecar_stamp.c),
	 * as digests, handed to the next image (rtconfig.c); 0: an empty slot. */
	uint64_t seen[K23_SEEN_KEPT];
	unsigned seen_next;
	unsigned long pristine_off, pristine_len; /* ... and where they lie in the file */
};

extern struct k23_rt k23_rt;

/* Connects the tool named by k23_rt.tool (maps the shared counters); 0 or -errno. */
long k23_rt_attach_tool(void);

/* 1 if the tool reports call nr (-e trace=; every call without the option). */
int k23_tool_wants(long nr);

/* Writes a tool's output to k23_rt.out_fd in full; a failure is kept in the
 * shared state for the supervisor to report (docs/differences.md). */
void k23_rt_output(const char *buf, size_t n);

#endif
