/* trace.h - what the parts of the trace tool share: the line being built, kernel layouts, decoders.
 *
 * The trace tool is split by what it formats: trace_values.c (reading the
 * program's memory; signals, files, strings, structures, socket addresses),
 * trace_args.c (each argument by its kind; calls whose arguments depend on
 * each other) and tool_trace.c (the result and the line). Internal to them;
 * see tool_trace.c for the design.
 */
#ifndef K23_TRACE_H
#define K23_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>

#include "arch/x86_64/syscall.h"
#include "k23/tool.h"
#include "rt/fmt.h"
#include "rt/syscall_table.h"
#include "online/core/rt.h"
#include "online/tools/tools.h"
#include "online/tools/topts.h"
#include "online/tools/fdpath.h"

_Static_assert(K23_SYSCALL_TABLE_SIZE == K23_MAX_SYSCALLS,
	       "the syscall table and the runtime's counters must cover the same numbers");

/* strace pads the text before " = ret" to this column. */
#define RET_COLUMN 40
/* Bytes kept free for ") = -1 ENAMETOOLONG (File name too long)" when the
 * arguments overflow the line. */
#define TAIL_RESERVE 112
/* Longest path shown whole; longer ones end in "...". */
#define PATH_SHOWN 1024

/* ---- Kernel ABI layouts (x86-64), spelled out where UAPI headers are awkward ---- */

struct k_iovec { unsigned long base, len; };
struct k_sigaction { unsigned long handler, flags, restorer; uint64_t mask; };
struct k_stack { unsigned long sp; int flags; int pad; unsigned long size; };
struct k_timespec { long sec, nsec; };
struct k_rlimit { uint64_t cur, max; };
struct k_pollfd { int fd; short events, revents; };
struct k_flock { short type, whence; long start, len; int pid; int pad; };
struct k_stat {
	unsigned long dev, ino, nlink;
	unsigned int mode, uid, gid, pad0;
	unsigned long rdev;
	long size, blksize, blocks;
	unsigned long times[6];
	long unused[3];
};
struct k_statfs {
	long type, bsize;
	unsigned long blocks, bfree, bavail, files, ffree;
	int fsid[2];
	long namelen, frsize, flags, spare[4];
};
struct k_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
		 tls, set_tid, set_tid_size, cgroup;
};
_Static_assert(sizeof(struct k_stat) == 144, "struct stat of x86-64");
_Static_assert(sizeof(struct k_statfs) == 120, "struct statfs of x86-64");
_Static_assert(sizeof(struct k_clone_args) == 88, "clone_args v2");

/* In a SIGSYS ucontext: the interrupted %rsp, and where rt_sigreturn's frame
 * keeps the mask it restores (uc_sigmask of the ucontext at the frame's %rsp). */
#define UC_RSP_OFFSET 160
#define UC_SIGMASK_OFFSET 296

#define AT_FDCWD_VALUE (-100)
#define O_CREAT_BIT 0100
#define O_TMPFILE_BIT 020000000
#define MREMAP_FIXED_BIT 2
#define SA_RESTORER_BIT 0x04000000UL
#define CSIGNAL_MASK 0xffUL
#define RLIM64_INF (~0ULL)

/* ---- One line being formatted ---- */

/* Where the top-level arguments are separated (--json splits the line there). */
#define TR_MAX_SEPS 8
struct tr_seps {
	int n;
	size_t pos[TR_MAX_SEPS];	/* offsets of each ", " between arguments */
};

struct tr {
	struct k23_fmt *f;
	const struct k23_call *c;
	long self;		/* our thread id: whose memory process_vm_readv reads */
	bool failed;		/* c->ret is an error */
	const struct k23_topts *o; /* strace's options, or NULL for the defaults */
	struct tr_seps *seps;	/* NULL, or where to note argument separators */
};

bool k23_tr_fetch(const struct tr *t, void *dst, unsigned long addr, size_t n);
unsigned long k23_tr_arg(const struct tr *t, int i);
void k23_tr_sep(const struct tr *t);
void k23_tr_put_xval(struct k23_fmt *f, unsigned long v, const struct k23_flag *tbl,
		     const char *unknown);
void k23_tr_put_signame(struct k23_fmt *f, long sig);
void k23_tr_put_sigmask(struct k23_fmt *f, uint64_t mask);
void k23_tr_put_sigset_at(const struct tr *t, unsigned long addr, unsigned long size);
void k23_tr_put_sigaction_at(const struct tr *t, unsigned long addr);
void k23_tr_put_stat(const struct tr *t, unsigned long addr);
void k23_tr_put_statx(const struct tr *t, unsigned long addr);
void k23_tr_put_statfs(const struct tr *t, unsigned long addr);
void k23_tr_put_path(const struct tr *t, unsigned long addr);
void k23_tr_put_cstr(const struct tr *t, unsigned long addr);
void k23_tr_put_buf(const struct tr *t, unsigned long addr, unsigned long len, unsigned style);
void k23_tr_put_buf_out(const struct tr *t, unsigned long addr, unsigned style);
bool k23_tr_fetch_ulong(const struct tr *t, unsigned long *v, unsigned long addr);
void k23_tr_put_argv(const struct tr *t, unsigned long addr);
void k23_tr_put_envp(const struct tr *t, unsigned long addr);
void k23_tr_put_dirents(const struct tr *t, unsigned long addr);
void k23_tr_put_pollfds(const struct tr *t, unsigned long addr, unsigned long nfds, bool revents_only);
void k23_tr_put_iovec(const struct tr *t, unsigned long addr, unsigned long cnt, unsigned long data);
void k23_tr_put_timespec(const struct tr *t, unsigned long addr, bool out, bool usec);
void k23_tr_put_rlimit(const struct tr *t, unsigned long addr, bool out);
void k23_tr_put_stack(const struct tr *t, unsigned long addr, bool out);
void k23_tr_put_pipefds(const struct tr *t, unsigned long addr);
void k23_tr_put_wstatus(const struct tr *t, unsigned long addr);
void k23_tr_put_utsname(const struct tr *t, unsigned long addr);
void k23_tr_put_sysinfo(const struct tr *t, unsigned long addr);
void k23_tr_put_cpuset(const struct tr *t, unsigned long addr);
void k23_tr_put_sockaddr(const struct tr *t, unsigned long addr, unsigned long len);
void k23_tr_put_open_flags(struct k23_fmt *f, unsigned long v);
void k23_tr_put_fd(const struct tr *t, int fd);
void k23_tr_put_fd_path(const struct tr *t, const char *path);
void k23_tr_put_args(const struct tr *t, const struct k23_syscall_desc *d);

/* io_uring_enter (trace_uring.c): buf holds used bytes, the call's line;
 * writes them followed by a line per SQE the call consumed and per CQE that
 * appeared. */
void k23_tr_uring_lines(const struct k23_call *c, const struct k23_topts *o, int tid, char *buf,
			size_t size, size_t used);
/* --json: the same as "sqes" and "cqes" fields appended to the object in f. */
void k23_tr_uring_json(const struct k23_call *c, const struct k23_topts *o, struct k23_fmt *f);

#endif
