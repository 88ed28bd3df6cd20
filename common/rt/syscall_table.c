/* syscall_table.c - argument and behaviour descriptions of the x86-64 system calls.
 *
 * The kinds follow what `strace -f` prints for each call (strace 6.x,
 * non-verbose defaults), so a k23 trace reads like an strace one. A call
 * missing here still has its name (from libseccomp); the tracer then prints all
 * six arguments in hex, as strace does for calls it does not know.
 */
#include <stddef.h>
#include <asm/unistd.h>

#include "rt/syscall_table.h"

/* Short local spellings keep one call per line readable. */
#define I	K23_ARG_INT
#define U	K23_ARG_UINT
#define L	K23_ARG_LONG
#define UL	K23_ARG_ULONG
#define X	K23_ARG_HEX
#define P	K23_ARG_PTR
#define O	K23_ARG_OCT
#define FD	K23_ARG_FD
#define DFD	K23_ARG_DIRFD
#define PATH	K23_ARG_PATH
#define STR	K23_ARG_STR
#define BIN	K23_ARG_BUF_IN
#define BOUT	K23_ARG_BUF_OUT
#define SKIP	K23_ARG_SKIP

/* Count 0..6 arguments of a variadic macro. */
#define NARGS_(_0, _1, _2, _3, _4, _5, _6, n, ...) n
#define NARGS(...) NARGS_(_0, ##__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)

/* SC(flags, ret, kinds...): one call; LEN(...) adds the length-argument indexes. */
#define SC(fl, r, ...) { .described = 1, .nargs = NARGS(__VA_ARGS__), .flags = (fl), .ret = (r), .arg = { __VA_ARGS__ } }
#define SCL(fl, r, lens, ...) { .described = 1, .nargs = NARGS(__VA_ARGS__), .flags = (fl), .ret = (r), \
				.arg = { __VA_ARGS__ }, .len_arg = { UNPAREN lens } }
#define UNPAREN(...) __VA_ARGS__
#define D	K23_RET_DEC
#define H	K23_RET_HEX

static const struct k23_syscall_desc descs[K23_SYSCALL_TABLE_SIZE] = {
	[__NR_read] = SC(0, D, FD, BOUT, UL),
	[__NR_write] = SCL(0, D, (0, 2), FD, BIN, UL),
	[__NR_open] = SC(0, D, PATH, K23_ARG_OPEN_FLAGS, K23_ARG_OPEN_MODE),
	[__NR_close] = SC(K23_SC_FDS, D, FD),
	[__NR_stat] = SC(0, D, PATH, K23_ARG_STAT_OUT),
	[__NR_fstat] = SC(0, D, FD, K23_ARG_STAT_OUT),
	[__NR_lstat] = SC(0, D, PATH, K23_ARG_STAT_OUT),
	[__NR_poll] = SCL(0, D, (1), K23_ARG_POLLFDS, U, I),
	[__NR_lseek] = SC(0, D, FD, L, K23_ARG_WHENCE),
	[__NR_mmap] = SC(K23_SC_MEMMAP, H, P, UL, K23_ARG_PROT, K23_ARG_MMAP_FLAGS, FD, X),
	[__NR_mprotect] = SC(K23_SC_MEMMAP, D, P, UL, K23_ARG_PROT),
	[__NR_munmap] = SC(K23_SC_MEMMAP, D, P, UL),
	[__NR_brk] = SC(K23_SC_MEMMAP, H, P),
	[__NR_rt_sigaction] = SCL(K23_SC_SIGNAL, D, (0, 3, 3), K23_ARG_SIGNUM, K23_ARG_SIGACTION,
				  K23_ARG_SIGACTION_OUT, UL),
	[__NR_rt_sigprocmask] = SCL(K23_SC_SIGNAL, D, (0, 3, 3), K23_ARG_SIGHOW, K23_ARG_SIGSET,
				    K23_ARG_SIGSET_OUT, UL),
	[__NR_rt_sigreturn] = SC(K23_SC_SIGRETURN, D),
	[__NR_ioctl] = SC(0, D, FD, K23_ARG_IOCTL_CMD, X),
	[__NR_pread64] = SC(0, D, FD, BOUT, UL, L),
	[__NR_pwrite64] = SCL(0, D, (0, 2), FD, BIN, UL, L),
	[__NR_readv] = SCL(0, D, (0, 2), FD, K23_ARG_IOVEC_OUT, I),
	[__NR_writev] = SCL(0, D, (0, 2), FD, K23_ARG_IOVEC_IN, I),
	[__NR_access] = SC(0, D, PATH, K23_ARG_ACCESS_MODE),
	[__NR_pipe] = SC(0, D, K23_ARG_PIPEFDS_OUT),
	[__NR_select] = SC(0, D, I, P, P, P, P),
	[__NR_sched_yield] = SC(0, D),
	[__NR_mremap] = SC(K23_SC_MEMMAP, H, P, UL, UL, K23_ARG_MREMAP_FLAGS, P),
	[__NR_msync] = SC(0, D, P, UL, X),
	[__NR_mincore] = SC(0, D, P, UL, P),
	[__NR_madvise] = SC(0, D, P, UL, K23_ARG_MADVISE),
	[__NR_dup] = SC(0, D, FD),
	[__NR_dup2] = SC(K23_SC_FDS, D, FD, FD),
	[__NR_pause] = SC(0, D),
	[__NR_nanosleep] = SC(0, D, K23_ARG_TIMESPEC, K23_ARG_TIMESPEC_OUT),
	[__NR_alarm] = SC(0, D, U),
	[__NR_getpid] = SC(0, D),
	[__NR_sendfile] = SC(0, D, FD, FD, P, UL),
	[__NR_socket] = SC(0, D, K23_ARG_SOCK_FAMILY, K23_ARG_SOCK_TYPE, K23_ARG_SOCK_PROTO),
	[__NR_connect] = SCL(0, D, (0, 2), FD, K23_ARG_SOCKADDR, U),
	[__NR_accept] = SC(0, D, FD, P, P),
	[__NR_sendto] = SCL(0, D, (0, 2, 0, 0, 5), FD, BIN, UL, K23_ARG_MSG_FLAGS, K23_ARG_SOCKADDR, U),
	[__NR_recvfrom] = SC(0, D, FD, BOUT, UL, K23_ARG_MSG_FLAGS, P, P),
	[__NR_sendmsg] = SC(0, D, FD, P, K23_ARG_MSG_FLAGS),
	[__NR_recvmsg] = SC(0, D, FD, P, K23_ARG_MSG_FLAGS),
	[__NR_shutdown] = SC(0, D, FD, K23_ARG_SHUT_HOW),
	[__NR_bind] = SCL(0, D, (0, 2), FD, K23_ARG_SOCKADDR, U),
	[__NR_listen] = SC(0, D, FD, I),
	[__NR_getsockname] = SC(0, D, FD, P, P),
	[__NR_getpeername] = SC(0, D, FD, P, P),
	[__NR_socketpair] = SC(0, D, K23_ARG_SOCK_FAMILY, K23_ARG_SOCK_TYPE, K23_ARG_SOCK_PROTO,
			       K23_ARG_PIPEFDS_OUT),
	[__NR_setsockopt] = SC(0, D, FD, I, I, P, U),
	[__NR_getsockopt] = SC(0, D, FD, I, I, P, P),
	[__NR_clone] = SC(K23_SC_NEWTASK, D, K23_ARG_CLONE_FLAGS, P, P, P, P),
	[__NR_fork] = SC(K23_SC_NEWTASK, D),
	[__NR_vfork] = SC(K23_SC_NEWTASK, D),
	[__NR_execve] = SC(K23_SC_EXEC, D, PATH, K23_ARG_ARGV, K23_ARG_ENVP),
	[__NR_exit] = SC(K23_SC_NORETURN, D, I),
	[__NR_wait4] = SC(0, D, I, K23_ARG_WSTATUS_OUT, K23_ARG_WAIT_OPTIONS, P),
	[__NR_kill] = SC(0, D, I, K23_ARG_SIGNUM),
	[__NR_uname] = SC(0, D, K23_ARG_UTSNAME_OUT),
	[__NR_fcntl] = SC(K23_SC_FDS, D, FD, K23_ARG_FCNTL_CMD, X),
	[__NR_flock] = SC(0, D, FD, I),
	[__NR_fsync] = SC(0, D, FD),
	[__NR_fdatasync] = SC(0, D, FD),
	[__NR_truncate] = SC(0, D, PATH, L),
	[__NR_ftruncate] = SC(0, D, FD, L),
	[__NR_getdents] = SC(0, D, FD, P, U),
	[__NR_getcwd] = SC(0, D, K23_ARG_STR_OUT, UL),
	[__NR_chdir] = SC(0, D, PATH),
	[__NR_fchdir] = SC(0, D, FD),
	[__NR_rename] = SC(0, D, PATH, PATH),
	[__NR_mkdir] = SC(0, D, PATH, O),
	[__NR_rmdir] = SC(0, D, PATH),
	[__NR_creat] = SC(0, D, PATH, O),
	[__NR_link] = SC(0, D, PATH, PATH),
	[__NR_unlink] = SC(0, D, PATH),
	[__NR_symlink] = SC(0, D, PATH, PATH),
	[__NR_readlink] = SC(0, D, PATH, BOUT, UL),
	[__NR_chmod] = SC(0, D, PATH, O),
	[__NR_fchmod] = SC(0, D, FD, O),
	[__NR_chown] = SC(0, D, PATH, I, I),
	[__NR_fchown] = SC(0, D, FD, I, I),
	[__NR_lchown] = SC(0, D, PATH, I, I),
	[__NR_umask] = SC(0, K23_RET_OCT, O),
	[__NR_gettimeofday] = SC(0, D, K23_ARG_TIMEVAL_OUT, P),
	[__NR_getrlimit] = SC(0, D, K23_ARG_RLIMIT_RESOURCE, K23_ARG_RLIMIT_OUT),
	[__NR_getrusage] = SC(0, D, K23_ARG_RUSAGE_WHO, P),
	[__NR_sysinfo] = SC(0, D, K23_ARG_SYSINFO_OUT),
	[__NR_times] = SC(0, D, P),
	[__NR_ptrace] = SC(0, D, L, I, P, P),
	[__NR_getuid] = SC(0, D),
	[__NR_syslog] = SC(0, D, I, P, I),
	[__NR_getgid] = SC(0, D),
	[__NR_setuid] = SC(0, D, I),
	[__NR_setgid] = SC(0, D, I),
	[__NR_geteuid] = SC(0, D),
	[__NR_getegid] = SC(0, D),
	[__NR_setpgid] = SC(0, D, I, I),
	[__NR_getppid] = SC(0, D),
	[__NR_getpgrp] = SC(0, D),
	[__NR_setsid] = SC(0, D),
	[__NR_setreuid] = SC(0, D, I, I),
	[__NR_setregid] = SC(0, D, I, I),
	[__NR_getgroups] = SC(0, D, I, P),
	[__NR_setgroups] = SC(0, D, I, P),
	[__NR_setresuid] = SC(0, D, I, I, I),
	[__NR_getresuid] = SC(0, D, P, P, P),
	[__NR_setresgid] = SC(0, D, I, I, I),
	[__NR_getresgid] = SC(0, D, P, P, P),
	[__NR_getpgid] = SC(0, D, I),
	[__NR_setfsuid] = SC(0, D, I),
	[__NR_setfsgid] = SC(0, D, I),
	[__NR_getsid] = SC(0, D, I),
	[__NR_capget] = SC(0, D, P, P),
	[__NR_capset] = SC(0, D, P, P),
	[__NR_rt_sigpending] = SCL(0, D, (1), K23_ARG_SIGSET_OUT, UL),
	[__NR_rt_sigtimedwait] = SCL(K23_SC_SIGNAL, D, (3), K23_ARG_SIGSET, P, K23_ARG_TIMESPEC, UL),
	[__NR_rt_sigqueueinfo] = SC(0, D, I, K23_ARG_SIGNUM, P),
	[__NR_rt_sigsuspend] = SCL(K23_SC_SIGNAL, D, (1), K23_ARG_SIGSET, UL),
	[__NR_sigaltstack] = SC(K23_SC_SIGNAL, D, K23_ARG_STACK_T, K23_ARG_STACK_T_OUT),
	[__NR_utime] = SC(0, D, PATH, P),
	[__NR_mknod] = SC(0, D, PATH, O, X),
	[__NR_personality] = SC(0, D, X),
	[__NR_statfs] = SC(0, D, PATH, K23_ARG_STATFS_OUT),
	[__NR_fstatfs] = SC(0, D, FD, K23_ARG_STATFS_OUT),
	[__NR_getpriority] = SC(0, D, I, I),
	[__NR_setpriority] = SC(0, D, I, I, I),
	[__NR_sched_setparam] = SC(0, D, I, P),
	[__NR_sched_getparam] = SC(0, D, I, P),
	[__NR_sched_setscheduler] = SC(0, D, I, I, P),
	[__NR_sched_getscheduler] = SC(0, D, I),
	[__NR_sched_get_priority_max] = SC(0, D, I),
	[__NR_sched_get_priority_min] = SC(0, D, I),
	[__NR_mlock] = SC(0, D, P, UL),
	[__NR_munlock] = SC(0, D, P, UL),
	[__NR_mlockall] = SC(0, D, X),
	[__NR_munlockall] = SC(0, D),
	[__NR_prctl] = SC(K23_SC_PRCTL, D, K23_ARG_PRCTL_OPTION, X, X, X, X),
	[__NR_arch_prctl] = SC(0, D, K23_ARG_ARCH_PRCTL_CODE, P),
	[__NR_setrlimit] = SC(0, D, K23_ARG_RLIMIT_RESOURCE, K23_ARG_RLIMIT),
	[__NR_chroot] = SC(0, D, PATH),
	[__NR_sync] = SC(0, D),
	[__NR_mount] = SC(0, D, STR, PATH, STR, X, P),
	[__NR_umount2] = SC(0, D, PATH, X),
	[__NR_sethostname] = SCL(0, D, (1), BIN, I),
	[__NR_gettid] = SC(0, D),
	[__NR_readahead] = SC(0, D, FD, L, UL),
	[__NR_setxattr] = SCL(0, D, (0, 0, 3), PATH, STR, BIN, UL, X),
	[__NR_lsetxattr] = SCL(0, D, (0, 0, 3), PATH, STR, BIN, UL, X),
	[__NR_fsetxattr] = SCL(0, D, (0, 0, 3), FD, STR, BIN, UL, X),
	[__NR_getxattr] = SC(0, D, PATH, STR, BOUT, UL),
	[__NR_lgetxattr] = SC(0, D, PATH, STR, BOUT, UL),
	[__NR_fgetxattr] = SC(0, D, FD, STR, BOUT, UL),
	[__NR_listxattr] = SC(0, D, PATH, P, UL),
	[__NR_llistxattr] = SC(0, D, PATH, P, UL),
	[__NR_flistxattr] = SC(0, D, FD, P, UL),
	[__NR_removexattr] = SC(0, D, PATH, STR),
	[__NR_lremovexattr] = SC(0, D, PATH, STR),
	[__NR_fremovexattr] = SC(0, D, FD, STR),
	[__NR_tkill] = SC(0, D, I, K23_ARG_SIGNUM),
	[__NR_time] = SC(0, D, P),
	[__NR_futex] = SC(0, D, P, K23_ARG_FUTEX_OP, U, P, P, U),
	[__NR_sched_setaffinity] = SC(0, D, I, U, P),
	[__NR_sched_getaffinity] = SC(0, D, I, U, K23_ARG_CPUSET_OUT),
	[__NR_epoll_create] = SC(0, D, I),
	[__NR_getdents64] = SC(0, D, FD, K23_ARG_DIRENTS_OUT, U),
	[__NR_set_tid_address] = SC(0, D, P),
	[__NR_restart_syscall] = SC(0, D),
	[__NR_fadvise64] = SC(0, D, FD, L, L, I),
	[__NR_clock_settime] = SC(0, D, K23_ARG_CLOCKID, K23_ARG_TIMESPEC),
	[__NR_clock_gettime] = SC(0, D, K23_ARG_CLOCKID, K23_ARG_TIMESPEC_OUT),
	[__NR_clock_getres] = SC(0, D, K23_ARG_CLOCKID, K23_ARG_TIMESPEC_OUT),
	[__NR_clock_nanosleep] = SC(0, D, K23_ARG_CLOCKID, K23_ARG_TIMER_FLAGS, K23_ARG_TIMESPEC,
				    K23_ARG_TIMESPEC_OUT),
	[__NR_exit_group] = SC(K23_SC_NORETURN, D, I),
	[__NR_epoll_wait] = SC(0, D, FD, P, I, I),
	[__NR_epoll_ctl] = SC(0, D, FD, K23_ARG_EPOLL_CTL_OP, FD, P),
	[__NR_tgkill] = SC(0, D, I, I, K23_ARG_SIGNUM),
	[__NR_utimes] = SC(0, D, PATH, P),
	[__NR_waitid] = SC(0, D, I, I, P, K23_ARG_WAIT_OPTIONS, P),
	[__NR_inotify_init] = SC(0, D),
	[__NR_inotify_add_watch] = SC(0, D, FD, PATH, X),
	[__NR_inotify_rm_watch] = SC(0, D, FD, I),
	[__NR_openat] = SC(0, D, DFD, PATH, K23_ARG_OPEN_FLAGS, K23_ARG_OPEN_MODE),
	[__NR_mkdirat] = SC(0, D, DFD, PATH, O),
	[__NR_mknodat] = SC(0, D, DFD, PATH, O, X),
	[__NR_fchownat] = SC(0, D, DFD, PATH, I, I, K23_ARG_AT_FLAGS),
	[__NR_futimesat] = SC(0, D, DFD, PATH, P),
	[__NR_newfstatat] = SC(0, D, DFD, PATH, K23_ARG_STAT_OUT, K23_ARG_AT_FLAGS),
	[__NR_unlinkat] = SC(0, D, DFD, PATH, K23_ARG_AT_FLAGS),
	[__NR_renameat] = SC(0, D, DFD, PATH, DFD, PATH),
	[__NR_linkat] = SC(0, D, DFD, PATH, DFD, PATH, K23_ARG_AT_FLAGS),
	[__NR_symlinkat] = SC(0, D, PATH, DFD, PATH),
	[__NR_readlinkat] = SC(0, D, DFD, PATH, BOUT, UL),
	[__NR_fchmodat] = SC(0, D, DFD, PATH, O),
	[__NR_faccessat] = SC(0, D, DFD, PATH, K23_ARG_ACCESS_MODE),
	[__NR_pselect6] = SC(K23_SC_SIGNAL, D, I, P, P, P, K23_ARG_TIMESPEC, P),
	[__NR_ppoll] = SCL(K23_SC_SIGNAL, D, (1, 0, 0, 4), K23_ARG_POLLFDS, U, K23_ARG_TIMESPEC,
			   K23_ARG_SIGSET, UL),
	[__NR_unshare] = SC(0, D, K23_ARG_CLONE_FLAGS),
	[__NR_set_robust_list] = SC(0, D, P, UL),
	[__NR_get_robust_list] = SC(0, D, I, P, P),
	[__NR_splice] = SC(0, D, FD, P, FD, P, UL, X),
	[__NR_tee] = SC(0, D, FD, FD, UL, X),
	[__NR_sync_file_range] = SC(0, D, FD, L, L, X),
	[__NR_vmsplice] = SC(0, D, FD, P, UL, X),
	[__NR_utimensat] = SC(0, D, DFD, PATH, P, K23_ARG_AT_FLAGS),
	[__NR_epoll_pwait] = SCL(K23_SC_SIGNAL, D, (0, 0, 0, 0, 5), FD, P, I, I, K23_ARG_SIGSET, UL),
	[__NR_signalfd] = SCL(0, D, (0, 2), FD, K23_ARG_SIGSET, UL),
	[__NR_timerfd_create] = SC(0, D, K23_ARG_CLOCKID, X),
	[__NR_eventfd] = SC(0, D, U),
	[__NR_fallocate] = SC(0, D, FD, X, L, L),
	[__NR_timerfd_settime] = SC(0, D, FD, X, P, P),
	[__NR_timerfd_gettime] = SC(0, D, FD, P),
	[__NR_accept4] = SC(0, D, FD, P, P, K23_ARG_SOCK_FLAGS),
	[__NR_signalfd4] = SCL(0, D, (0, 2), FD, K23_ARG_SIGSET, UL, X),
	[__NR_eventfd2] = SC(0, D, U, K23_ARG_EFD_FLAGS),
	[__NR_epoll_create1] = SC(0, D, X),
	[__NR_dup3] = SC(K23_SC_FDS, D, FD, FD, K23_ARG_O_FLAGS),
	[__NR_pipe2] = SC(0, D, K23_ARG_PIPEFDS_OUT, K23_ARG_O_FLAGS),
	[__NR_inotify_init1] = SC(0, D, X),
	[__NR_preadv] = SCL(0, D, (0, 2), FD, K23_ARG_IOVEC_OUT, I, L),
	[__NR_pwritev] = SCL(0, D, (0, 2), FD, K23_ARG_IOVEC_IN, I, L),
	[__NR_rt_tgsigqueueinfo] = SC(0, D, I, I, K23_ARG_SIGNUM, P),
	[__NR_perf_event_open] = SC(0, D, P, I, I, I, X),
	[__NR_recvmmsg] = SC(0, D, FD, P, U, K23_ARG_MSG_FLAGS, P),
	[__NR_prlimit64] = SC(0, D, I, K23_ARG_RLIMIT_RESOURCE, K23_ARG_RLIMIT, K23_ARG_RLIMIT_OUT),
	[__NR_syncfs] = SC(0, D, FD),
	[__NR_sendmmsg] = SC(0, D, FD, P, U, K23_ARG_MSG_FLAGS),
	[__NR_setns] = SC(0, D, FD, K23_ARG_CLONE_FLAGS),
	[__NR_getcpu] = SC(0, D, P, P, P),
	[__NR_process_vm_readv] = SC(0, D, I, P, UL, P, UL, X),
	[__NR_process_vm_writev] = SC(0, D, I, P, UL, P, UL, X),
	[__NR_renameat2] = SC(0, D, DFD, PATH, DFD, PATH, X),
	[__NR_seccomp] = SC(K23_SC_PRCTL, D, U, X, P),
	[__NR_getrandom] = SC(0, D, K23_ARG_BUF_OUT_HEX, UL, K23_ARG_GRND_FLAGS),
	[__NR_memfd_create] = SC(0, D, STR, K23_ARG_MFD_FLAGS),
	[__NR_bpf] = SC(0, D, I, P, U),
	[__NR_execveat] = SC(K23_SC_EXEC, D, DFD, PATH, K23_ARG_ARGV, K23_ARG_ENVP, K23_ARG_AT_FLAGS),
	[__NR_userfaultfd] = SC(0, D, K23_ARG_O_FLAGS),
	[__NR_membarrier] = SC(0, D, I, X, I),
	[__NR_mlock2] = SC(0, D, P, UL, X),
	[__NR_copy_file_range] = SC(0, D, FD, P, FD, P, UL, U),
	[__NR_preadv2] = SCL(0, D, (0, 2), FD, K23_ARG_IOVEC_OUT, I, L, SKIP, X),
	[__NR_pwritev2] = SCL(0, D, (0, 2), FD, K23_ARG_IOVEC_IN, I, L, SKIP, X),
	[__NR_pkey_mprotect] = SC(K23_SC_MEMMAP, D, P, UL, K23_ARG_PROT, I),
	[__NR_statx] = SC(0, D, DFD, PATH, K23_ARG_AT_FLAGS, K23_ARG_STATX_MASK, K23_ARG_STATX_OUT),
	[__NR_rseq] = SC(0, D, P, X, I, X),
	[__NR_pidfd_send_signal] = SC(0, D, FD, K23_ARG_SIGNUM, P, X),
	[__NR_io_uring_setup] = SC(0, D, U, P),
	[__NR_io_uring_enter] = SC(0, D, FD, U, U, X, P, UL),
	[__NR_io_uring_register] = SC(0, D, FD, U, P, U),
	[__NR_pidfd_open] = SC(0, D, I, X),
	[__NR_clone3] = SC(K23_SC_NEWTASK, D, P, UL),
	[__NR_close_range] = SC(K23_SC_FDS, D, U, U, K23_ARG_CLOSE_RANGE_FLAGS),
	[__NR_openat2] = SC(0, D, DFD, PATH, P, UL),
	[__NR_pidfd_getfd] = SC(0, D, FD, I, X),
	[__NR_faccessat2] = SC(0, D, DFD, PATH, K23_ARG_ACCESS_MODE, K23_ARG_AT_FLAGS),
	[__NR_epoll_pwait2] = SCL(K23_SC_SIGNAL, D, (0, 0, 0, 0, 5), FD, P, I, K23_ARG_TIMESPEC,
				  K23_ARG_SIGSET, UL),
	[__NR_memfd_secret] = SC(0, D, X),
	[__NR_process_mrelease] = SC(0, D, FD, X),
	[__NR_futex_waitv] = SC(0, D, P, U, X, K23_ARG_TIMESPEC, K23_ARG_CLOCKID),
};

const char *k23_syscall_name(long nr)
{
	if (nr < 0 || nr >= K23_SYSCALL_TABLE_SIZE)
		return NULL;
	return k23_syscall_names[nr];
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

long k23_syscall_number(const char *name)
{
	if (!name)
		return -1;
	for (long nr = 0; nr < K23_SYSCALL_TABLE_SIZE; nr++)
		if (k23_syscall_names[nr] && streq(k23_syscall_names[nr], name))
			return nr;
	return -1;
}

const char *k23_errno_name(int e)
{
	return e > 0 && e <= K23_ERRNO_MAX ? k23_errno_names[e] : NULL;
}

const char *k23_errno_text(int e)
{
	return e > 0 && e <= K23_ERRNO_MAX ? k23_errno_texts[e] : NULL;
}

const struct k23_syscall_desc *k23_syscall_desc(long nr)
{
	if (nr < 0 || nr >= K23_SYSCALL_TABLE_SIZE)
		return NULL;
	return descs[nr].described ? &descs[nr] : NULL;
}

unsigned k23_syscall_flags(long nr)
{
	const struct k23_syscall_desc *d = k23_syscall_desc(nr);
	return d ? d->flags : 0;
}
