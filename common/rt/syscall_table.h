/* syscall_table.h - what k23 knows about each x86-64 system call: name, arguments, behaviour.
 *
 * One data table, read by the tracer (how to print each argument), the
 * dispatcher (which calls never return, start tasks, replace the image or
 * change signal state) and the policy compiler (name <-> number). Names come
 * from libseccomp and errno strings from glibc, both frozen at build time by
 * scripts/gen-syscalls.c and scripts/gen-errnos.c; the argument descriptions
 * are written by hand in syscall_table.c after strace's decoders.
 *
 * Freestanding: no libc, usable from the runtime and from hosted code alike.
 */
#ifndef K23_SYSCALL_TABLE_H
#define K23_SYSCALL_TABLE_H

#include <stdint.h>

#include "rt/fmt.h"

/* Numbers 0..K23_SYSCALL_TABLE_SIZE-1 are described; equals K23_MAX_SYSCALLS
 * of online/core/rt.h (checked there by a static assertion in the tracer). */
#define K23_SYSCALL_TABLE_SIZE 512
/* The kernel returns -1..-4095 for errors. */
#define K23_ERRNO_MAX 4095

/* How one argument is shown. Values that are C ints in the kernel's prototype
 * are truncated to 32 bits first, as the kernel does. */
enum k23_arg_kind {
	K23_ARG_NONE = 0,
	K23_ARG_SKIP,		/* passed but not shown (preadv2's high offset half) */
	K23_ARG_INT,		/* signed 32-bit decimal */
	K23_ARG_UINT,		/* unsigned 32-bit decimal */
	K23_ARG_LONG,		/* signed 64-bit decimal (off_t, pid ranges) */
	K23_ARG_ULONG,		/* unsigned 64-bit decimal (size_t, counts) */
	K23_ARG_HEX,		/* 0x-prefixed hex, "0" for zero */
	K23_ARG_PTR,		/* an address: NULL or 0x... */
	K23_ARG_OCT,		/* octal mode bits: 0644, 000 */
	K23_ARG_FD,		/* file descriptor (int) */
	K23_ARG_DIRFD,		/* fd or AT_FDCWD */
	K23_ARG_PATH,		/* NUL-terminated path, printed whole */
	K23_ARG_STR,		/* NUL-terminated string, 32 bytes then "..." */
	K23_ARG_BUF_IN,		/* bytes the kernel reads; length in arg len_arg */
	K23_ARG_BUF_OUT,	/* bytes the kernel wrote; length is the return value */
	K23_ARG_BUF_OUT_HEX,	/* as BUF_OUT, every byte as \xNN (getrandom) */
	K23_ARG_STR_OUT,	/* string the kernel wrote (getcwd) */
	K23_ARG_OPEN_FLAGS,	/* O_RDONLY|O_CLOEXEC */
	K23_ARG_OPEN_MODE,	/* octal mode, shown only if the flags arg has O_CREAT/O_TMPFILE */
	K23_ARG_O_FLAGS,	/* O_CLOEXEC|O_NONBLOCK without an access mode; 0 for none (pipe2, dup3) */
	K23_ARG_ACCESS_MODE,	/* F_OK, R_OK|W_OK */
	K23_ARG_AT_FLAGS,	/* AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW */
	K23_ARG_PROT,		/* PROT_READ|PROT_WRITE, PROT_NONE */
	K23_ARG_MMAP_FLAGS,	/* MAP_PRIVATE|MAP_ANONYMOUS */
	K23_ARG_MREMAP_FLAGS,
	K23_ARG_MADVISE,	/* MADV_DONTNEED */
	K23_ARG_WHENCE,		/* SEEK_SET */
	K23_ARG_SIGNUM,		/* SIGCHLD, SIGRT_2 */
	K23_ARG_SIGHOW,		/* SIG_BLOCK */
	K23_ARG_SIGSET,		/* sigset_t the kernel reads; size in arg len_arg */
	K23_ARG_SIGSET_OUT,	/* sigset_t the kernel wrote */
	K23_ARG_SIGACTION,	/* struct sigaction the kernel reads */
	K23_ARG_SIGACTION_OUT,	/* old struct sigaction the kernel wrote */
	K23_ARG_STACK_T,	/* sigaltstack's stack_t, in */
	K23_ARG_STACK_T_OUT,
	K23_ARG_STAT_OUT,	/* struct stat: {st_mode=..., st_size=..., ...} */
	K23_ARG_STATX_OUT,
	K23_ARG_STATX_MASK,	/* STATX_BASIC_STATS */
	K23_ARG_STATFS_OUT,
	K23_ARG_PIPEFDS_OUT,	/* int[2]: [3, 4] */
	K23_ARG_WSTATUS_OUT,	/* wait status: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] */
	K23_ARG_WAIT_OPTIONS,	/* WNOHANG|__WALL */
	K23_ARG_TIMESPEC,	/* {tv_sec=1, tv_nsec=0} the kernel reads */
	K23_ARG_TIMESPEC_OUT,
	K23_ARG_TIMEVAL_OUT,
	K23_ARG_CLOCKID,	/* CLOCK_MONOTONIC */
	K23_ARG_TIMER_FLAGS,	/* TIMER_ABSTIME */
	K23_ARG_RLIMIT_RESOURCE,/* RLIMIT_STACK */
	K23_ARG_RLIMIT,		/* struct rlimit64 the kernel reads */
	K23_ARG_RLIMIT_OUT,
	K23_ARG_ARGV,		/* execve argv: ["sh", "-c", ...] */
	K23_ARG_ENVP,		/* execve envp: its address and a comment counting the variables */
	K23_ARG_UTSNAME_OUT,
	K23_ARG_SYSINFO_OUT,
	K23_ARG_DIRENTS_OUT,	/* getdents64 buffer: its address and a comment counting entries */
	K23_ARG_POLLFDS,	/* struct pollfd[nfds]; nfds in arg len_arg */
	K23_ARG_IOVEC_IN,	/* struct iovec[cnt] the kernel reads; cnt in len_arg */
	K23_ARG_IOVEC_OUT,	/* struct iovec[cnt] the kernel filled, ret bytes */
	K23_ARG_ARCH_PRCTL_CODE,/* ARCH_SET_FS */
	K23_ARG_FCNTL_CMD,	/* F_SETFD */
	K23_ARG_IOCTL_CMD,	/* TCGETS */
	K23_ARG_FUTEX_OP,	/* FUTEX_WAIT_PRIVATE */
	K23_ARG_GRND_FLAGS,	/* GRND_NONBLOCK */
	K23_ARG_SOCK_FAMILY,	/* AF_UNIX */
	K23_ARG_SOCK_TYPE,	/* SOCK_STREAM|SOCK_CLOEXEC */
	K23_ARG_SOCK_FLAGS,	/* accept4: SOCK_CLOEXEC|SOCK_NONBLOCK, 0 */
	K23_ARG_SOCK_PROTO,	/* IPPROTO_TCP; depends on the family in arg 0 */
	K23_ARG_SOCKADDR,	/* struct sockaddr the kernel reads; length in len_arg */
	K23_ARG_MSG_FLAGS,	/* MSG_NOSIGNAL */
	K23_ARG_SHUT_HOW,	/* SHUT_WR */
	K23_ARG_CLONE_FLAGS,	/* CLONE_VM|CLONE_FS|SIGCHLD */
	K23_ARG_CPUSET_OUT,	/* sched_getaffinity mask: [0, 1, 2] */
	K23_ARG_PRCTL_OPTION,	/* PR_SET_NAME */
	K23_ARG_MFD_FLAGS,	/* MFD_CLOEXEC */
	K23_ARG_EPOLL_CTL_OP,	/* EPOLL_CTL_ADD */
	K23_ARG_EFD_FLAGS,	/* EFD_CLOEXEC|EFD_NONBLOCK */
	K23_ARG_CLOSE_RANGE_FLAGS,
	K23_ARG_RUSAGE_WHO,	/* RUSAGE_SELF */
	K23_ARG_FADVISE,	/* POSIX_FADV_SEQUENTIAL */
	K23_ARG_KIND_COUNT
};

/* How the return value is shown on success (errors are always -1 ENAME (text)). */
enum k23_ret_kind {
	K23_RET_DEC = 0,	/* signed decimal */
	K23_RET_HEX,		/* an address: mmap, brk */
	K23_RET_OCT,		/* umask */
};

/* Behaviour flags: what the dispatcher and tools must know beyond printing. */
#define K23_SC_NORETURN	0x01	/* never returns to the caller: exit, exit_group */
#define K23_SC_EXEC	0x02	/* replaces the image: execve, execveat */
#define K23_SC_NEWTASK	0x04	/* starts a thread or process: clone, clone3, fork, vfork */
#define K23_SC_SIGRETURN 0x08	/* restores a signal frame instead of returning */
#define K23_SC_SIGNAL	0x10	/* changes signal state the runtime guards */
#define K23_SC_MEMMAP	0x20	/* maps, unmaps or reprotects memory */
#define K23_SC_FDS	0x40	/* can close or replace fds (guarded fds must survive) */
#define K23_SC_PRCTL	0x80	/* can change SUD or seccomp state */

struct k23_syscall_desc {
	uint8_t described;	/* 1 in every written entry: tells getpid() from a hole */
	uint8_t nargs;		/* how many of args[] the call uses */
	uint8_t flags;		/* K23_SC_* */
	uint8_t ret;		/* enum k23_ret_kind */
	uint8_t arg[6];		/* enum k23_arg_kind per argument */
	uint8_t len_arg[6];	/* for *_IN, SIGSET, POLLFDS, IOVEC, SOCKADDR: index of the length argument */
};

/* "read" for 0; NULL for numbers libseccomp does not name or out of range. */
const char *k23_syscall_name(long nr);
/* The number of a syscall name, or -1. Linear search: not for a hot path. */
long k23_syscall_number(const char *name);
/* "ENOENT" / "No such file or directory" for 1..K23_ERRNO_MAX; NULL if unknown. */
const char *k23_errno_name(int e);
const char *k23_errno_text(int e);
/* The argument description of nr, or NULL if k23 has none (print args in hex). */
const struct k23_syscall_desc *k23_syscall_desc(long nr);
/* K23_SC_* flags of nr; 0 if unknown. */
unsigned k23_syscall_flags(long nr);

/* Generated tables (build/gen/syscall_names.c, errno_names.c); use the functions above instead. */
extern const char *const k23_syscall_names[K23_SYSCALL_TABLE_SIZE];
/* Sized to the largest number the build host's libc names (EHWPOISON, 133, on
 * glibc 2.36), not to K23_ERRNO_MAX: 2 x 4096 pointers were 64 KiB of every
 * interposed process's address space (ulimit -v). */
extern const int k23_errno_named;
extern const char *const k23_errno_names[];
extern const char *const k23_errno_texts[];

/* Named constants of the x86-64 ABI in the order strace prints them
 * (k23_fmt_flags / k23_fmt_enum tables; each ends with a NULL name). */
extern const char *const k23_signal_names[32];	/* [9] = "SIGKILL"; [0] NULL */
extern const struct k23_flag k23_xlat_open_access[], k23_xlat_open_flags[],
	k23_xlat_at_flags[], k23_xlat_faccessat_flags[], k23_xlat_statx_sync[],
	k23_xlat_statx_mask[], k23_xlat_statx_attrs[], k23_xlat_access_mode[],
	k23_xlat_prot[], k23_xlat_mmap_type[], k23_xlat_mmap_flags[],
	k23_xlat_mremap_flags[], k23_xlat_madvise[], k23_xlat_whence[],
	k23_xlat_sighow[], k23_xlat_sa_flags[], k23_xlat_ss_flags[],
	k23_xlat_wait_options[], k23_xlat_clockid[], k23_xlat_timer_flags[],
	k23_xlat_rlimit[], k23_xlat_rusage_who[], k23_xlat_arch_prctl[],
	k23_xlat_fcntl_cmd[], k23_xlat_fd_flags[], k23_xlat_seals[], k23_xlat_ioctl[],
	k23_xlat_futex_op[], k23_xlat_futex_wake_op[], k23_xlat_futex_wake_cmp[],
	k23_xlat_grnd[], k23_xlat_af[], k23_xlat_sock_type[], k23_xlat_sock_flags[],
	k23_xlat_ipproto[], k23_xlat_netlink_proto[], k23_xlat_msg_flags[],
	k23_xlat_shut[], k23_xlat_clone_flags[], k23_xlat_prctl[], k23_xlat_mfd[],
	k23_xlat_epoll_op[], k23_xlat_efd[], k23_xlat_close_range[],
	k23_xlat_poll_events[], k23_xlat_fs_magic[], k23_xlat_statfs_flags[],
	k23_xlat_file_type[], k23_xlat_fadvise[];

#endif
