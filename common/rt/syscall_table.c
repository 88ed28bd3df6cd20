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

/* SC(flags, ret, kinds...) describes one call; SCL(flags, ret, (lens), kinds...)
 * also gives, per argument, the index of the argument holding its length. */
#define SC(fl, r, ...) { .described = 1, .nargs = NARGS(__VA_ARGS__), .flags = (fl), \
			 .ret = (r), .arg = { __VA_ARGS__ } }
#define SCL(fl, r, lens, ...) { .described = 1, .nargs = NARGS(__VA_ARGS__), .flags = (fl), \
				.ret = (r), .arg = { __VA_ARGS__ }, .len_arg = { UNPAREN lens } }
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
	[__NR_fadvise64] = SC(0, D, FD, L, L, K23_ARG_FADVISE),
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
	return e > 0 && e <= k23_errno_named ? k23_errno_names[e] : NULL;
}

const char *k23_errno_text(int e)
{
	return e > 0 && e <= k23_errno_named ? k23_errno_texts[e] : NULL;
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

/* ---- Named constants, in strace's order (it prints the first match first) ----
 * Values are the x86-64 ABI's, written out so a header older than the kernel
 * cannot change them. */

#define END { 0, NULL }

const char *const k23_signal_names[32] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
	"SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
	"SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
	"SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

const struct k23_flag k23_xlat_open_access[] = {
	{ 0, "O_RDONLY" }, { 1, "O_WRONLY" }, { 2, "O_RDWR" }, { 3, "O_ACCMODE" }, END
};
const struct k23_flag k23_xlat_open_flags[] = {
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" }, { 04010000, "O_SYNC" },
	{ 04000000, "__O_SYNC" }, { 010000, "O_DSYNC" }, { 040000, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" }, { 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" }, { 020200000, "O_TMPFILE" },
	{ 020000000, "__O_TMPFILE" }, { 0200000, "O_DIRECTORY" }, { 020000, "FASYNC" }, END
};
const struct k23_flag k23_xlat_at_flags[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" }, { 0x400, "AT_SYMLINK_FOLLOW" },
	{ 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" }, { 0x8000, "AT_RECURSIVE" }, END
};
/* faccessat2 reuses 0x200 as AT_EACCESS. */
const struct k23_flag k23_xlat_faccessat_flags[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_EACCESS" }, { 0x1000, "AT_EMPTY_PATH" }, END
};
/* statx: the sync type is a two-bit field printed first. */
const struct k23_flag k23_xlat_statx_sync[] = {
	{ 0, "AT_STATX_SYNC_AS_STAT" }, { 0x2000, "AT_STATX_FORCE_SYNC" },
	{ 0x4000, "AT_STATX_DONT_SYNC" }, END
};
const struct k23_flag k23_xlat_statx_mask[] = {
	{ 0x80000000, "STATX__RESERVED" }, { 0xfff, "STATX_ALL" }, { 0x7ff, "STATX_BASIC_STATS" },
	{ 0x1, "STATX_TYPE" }, { 0x2, "STATX_MODE" }, { 0x4, "STATX_NLINK" }, { 0x8, "STATX_UID" },
	{ 0x10, "STATX_GID" }, { 0x20, "STATX_ATIME" }, { 0x40, "STATX_MTIME" },
	{ 0x80, "STATX_CTIME" }, { 0x100, "STATX_INO" }, { 0x200, "STATX_SIZE" },
	{ 0x400, "STATX_BLOCKS" }, { 0x800, "STATX_BTIME" }, { 0x1000, "STATX_MNT_ID" },
	{ 0x2000, "STATX_DIOALIGN" }, END
};
const struct k23_flag k23_xlat_statx_attrs[] = {
	{ 0x4, "STATX_ATTR_COMPRESSED" }, { 0x10, "STATX_ATTR_IMMUTABLE" },
	{ 0x20, "STATX_ATTR_APPEND" }, { 0x40, "STATX_ATTR_NODUMP" },
	{ 0x800, "STATX_ATTR_ENCRYPTED" }, { 0x1000, "STATX_ATTR_AUTOMOUNT" },
	{ 0x2000, "STATX_ATTR_MOUNT_ROOT" }, { 0x100000, "STATX_ATTR_VERITY" },
	{ 0x200000, "STATX_ATTR_DAX" }, END
};
const struct k23_flag k23_xlat_access_mode[] = {
	{ 4, "R_OK" }, { 2, "W_OK" }, { 1, "X_OK" }, END
};
const struct k23_flag k23_xlat_prot[] = {
	{ 0x1, "PROT_READ" }, { 0x2, "PROT_WRITE" }, { 0x4, "PROT_EXEC" }, { 0x8, "PROT_SEM" },
	{ 0x01000000, "PROT_GROWSDOWN" }, { 0x02000000, "PROT_GROWSUP" }, END
};
const struct k23_flag k23_xlat_mmap_type[] = {
	{ 1, "MAP_SHARED" }, { 2, "MAP_PRIVATE" }, { 3, "MAP_SHARED_VALIDATE" }, END
};
const struct k23_flag k23_xlat_mmap_flags[] = {
	{ 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" }, { 0x40, "MAP_32BIT" },
	{ 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" },
	{ 0x100, "MAP_GROWSDOWN" }, { 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" },
	{ 0x2000, "MAP_LOCKED" }, { 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" },
	{ 0x80000, "MAP_SYNC" }, { 0x4000000, "MAP_UNINITIALIZED" },
	{ 0x100000, "MAP_FIXED_NOREPLACE" }, END
};
const struct k23_flag k23_xlat_mremap_flags[] = {
	{ 1, "MREMAP_MAYMOVE" }, { 2, "MREMAP_FIXED" }, { 4, "MREMAP_DONTUNMAP" }, END
};
const struct k23_flag k23_xlat_madvise[] = {
	{ 0, "MADV_NORMAL" }, { 1, "MADV_RANDOM" }, { 2, "MADV_SEQUENTIAL" },
	{ 3, "MADV_WILLNEED" }, { 4, "MADV_DONTNEED" }, { 8, "MADV_FREE" }, { 9, "MADV_REMOVE" },
	{ 10, "MADV_DONTFORK" }, { 11, "MADV_DOFORK" }, { 12, "MADV_MERGEABLE" },
	{ 13, "MADV_UNMERGEABLE" }, { 14, "MADV_HUGEPAGE" }, { 15, "MADV_NOHUGEPAGE" },
	{ 16, "MADV_DONTDUMP" }, { 17, "MADV_DODUMP" }, { 18, "MADV_WIPEONFORK" },
	{ 19, "MADV_KEEPONFORK" }, { 20, "MADV_COLD" }, { 21, "MADV_PAGEOUT" },
	{ 22, "MADV_POPULATE_READ" }, { 23, "MADV_POPULATE_WRITE" },
	{ 24, "MADV_DONTNEED_LOCKED" }, { 25, "MADV_COLLAPSE" }, { 100, "MADV_HWPOISON" },
	{ 101, "MADV_SOFT_OFFLINE" }, END
};
const struct k23_flag k23_xlat_whence[] = {
	{ 0, "SEEK_SET" }, { 1, "SEEK_CUR" }, { 2, "SEEK_END" }, { 3, "SEEK_DATA" },
	{ 4, "SEEK_HOLE" }, END
};
const struct k23_flag k23_xlat_fadvise[] = {
	{ 0, "POSIX_FADV_NORMAL" }, { 1, "POSIX_FADV_RANDOM" }, { 2, "POSIX_FADV_SEQUENTIAL" },
	{ 3, "POSIX_FADV_WILLNEED" }, { 4, "POSIX_FADV_DONTNEED" }, { 5, "POSIX_FADV_NOREUSE" }, END
};
const struct k23_flag k23_xlat_sighow[] = {
	{ 0, "SIG_BLOCK" }, { 1, "SIG_UNBLOCK" }, { 2, "SIG_SETMASK" }, END
};
const struct k23_flag k23_xlat_sa_flags[] = {
	{ 0x04000000, "SA_RESTORER" }, { 0x08000000, "SA_ONSTACK" }, { 0x10000000, "SA_RESTART" },
	{ 0x40000000, "SA_NODEFER" }, { 0x80000000, "SA_RESETHAND" }, { 4, "SA_SIGINFO" },
	{ 1, "SA_NOCLDSTOP" }, { 2, "SA_NOCLDWAIT" }, { 0x400, "SA_UNSUPPORTED" },
	{ 0x800, "SA_EXPOSE_TAGBITS" }, END
};
const struct k23_flag k23_xlat_ss_flags[] = {
	{ 1, "SS_ONSTACK" }, { 2, "SS_DISABLE" }, { 0x80000000, "SS_AUTODISARM" }, END
};
const struct k23_flag k23_xlat_wait_options[] = {
	{ 1, "WNOHANG" }, { 4, "WEXITED" }, { 2, "WSTOPPED" }, { 8, "WCONTINUED" },
	{ 0x01000000, "WNOWAIT" }, { 0x80000000, "__WCLONE" }, { 0x40000000, "__WALL" },
	{ 0x20000000, "__WNOTHREAD" }, END
};
const struct k23_flag k23_xlat_clockid[] = {
	{ 0, "CLOCK_REALTIME" }, { 1, "CLOCK_MONOTONIC" }, { 2, "CLOCK_PROCESS_CPUTIME_ID" },
	{ 3, "CLOCK_THREAD_CPUTIME_ID" }, { 4, "CLOCK_MONOTONIC_RAW" },
	{ 5, "CLOCK_REALTIME_COARSE" }, { 6, "CLOCK_MONOTONIC_COARSE" }, { 7, "CLOCK_BOOTTIME" },
	{ 8, "CLOCK_REALTIME_ALARM" }, { 9, "CLOCK_BOOTTIME_ALARM" }, { 11, "CLOCK_TAI" }, END
};
const struct k23_flag k23_xlat_timer_flags[] = { { 1, "TIMER_ABSTIME" }, END };
const struct k23_flag k23_xlat_rlimit[] = {
	{ 0, "RLIMIT_CPU" }, { 1, "RLIMIT_FSIZE" }, { 2, "RLIMIT_DATA" }, { 3, "RLIMIT_STACK" },
	{ 4, "RLIMIT_CORE" }, { 5, "RLIMIT_RSS" }, { 6, "RLIMIT_NPROC" }, { 7, "RLIMIT_NOFILE" },
	{ 8, "RLIMIT_MEMLOCK" }, { 9, "RLIMIT_AS" }, { 10, "RLIMIT_LOCKS" },
	{ 11, "RLIMIT_SIGPENDING" }, { 12, "RLIMIT_MSGQUEUE" }, { 13, "RLIMIT_NICE" },
	{ 14, "RLIMIT_RTPRIO" }, { 15, "RLIMIT_RTTIME" }, END
};
const struct k23_flag k23_xlat_rusage_who[] = {
	{ 0, "RUSAGE_SELF" }, { (unsigned long)-1, "RUSAGE_CHILDREN" }, { 1, "RUSAGE_THREAD" }, END
};
const struct k23_flag k23_xlat_arch_prctl[] = {
	{ 0x1001, "ARCH_SET_GS" }, { 0x1002, "ARCH_SET_FS" }, { 0x1003, "ARCH_GET_FS" },
	{ 0x1004, "ARCH_GET_GS" }, { 0x1011, "ARCH_GET_CPUID" }, { 0x1012, "ARCH_SET_CPUID" },
	{ 0x1021, "ARCH_GET_XCOMP_SUPP" }, { 0x1022, "ARCH_GET_XCOMP_PERM" },
	{ 0x1023, "ARCH_REQ_XCOMP_PERM" }, { 0x1024, "ARCH_GET_XCOMP_GUEST_PERM" },
	{ 0x1025, "ARCH_REQ_XCOMP_GUEST_PERM" }, { 0x2001, "ARCH_MAP_VDSO_X32" },
	{ 0x2002, "ARCH_MAP_VDSO_32" }, { 0x2003, "ARCH_MAP_VDSO_64" }, END
};
const struct k23_flag k23_xlat_fcntl_cmd[] = {
	{ 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" }, { 3, "F_GETFL" }, { 4, "F_SETFL" },
	{ 5, "F_GETLK" }, { 6, "F_SETLK" }, { 7, "F_SETLKW" }, { 8, "F_SETOWN" },
	{ 9, "F_GETOWN" }, { 10, "F_SETSIG" }, { 11, "F_GETSIG" }, { 15, "F_SETOWN_EX" },
	{ 16, "F_GETOWN_EX" }, { 17, "F_GETOWNER_UIDS" }, { 36, "F_OFD_GETLK" },
	{ 37, "F_OFD_SETLK" }, { 38, "F_OFD_SETLKW" }, { 1024, "F_SETLEASE" },
	{ 1025, "F_GETLEASE" }, { 1026, "F_NOTIFY" }, { 1029, "F_CANCELLK" },
	{ 1030, "F_DUPFD_CLOEXEC" }, { 1031, "F_SETPIPE_SZ" }, { 1032, "F_GETPIPE_SZ" },
	{ 1033, "F_ADD_SEALS" }, { 1034, "F_GET_SEALS" }, END
};
const struct k23_flag k23_xlat_fd_flags[] = { { 1, "FD_CLOEXEC" }, END };
const struct k23_flag k23_xlat_seals[] = {
	{ 1, "F_SEAL_SEAL" }, { 2, "F_SEAL_SHRINK" }, { 4, "F_SEAL_GROW" }, { 8, "F_SEAL_WRITE" },
	{ 16, "F_SEAL_FUTURE_WRITE" }, END
};
const struct k23_flag k23_xlat_ioctl[] = {
	{ 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" }, { 0x5404, "TCSETSF" },
	{ 0x540b, "TCFLSH" }, { 0x540e, "TIOCSCTTY" }, { 0x540f, "TIOCGPGRP" },
	{ 0x5410, "TIOCSPGRP" }, { 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" },
	{ 0x541b, "FIONREAD" }, { 0x5421, "FIONBIO" }, { 0x5422, "TIOCNOTTY" },
	{ 0x5450, "FIONCLEX" }, { 0x5451, "FIOCLEX" }, { 0x5452, "FIOASYNC" },
	{ 0x80045430, "TIOCGPTN" }, { 0x40045431, "TIOCSPTLCK" }, END
};
const struct k23_flag k23_xlat_futex_op[] = {
	{ 0, "FUTEX_WAIT" }, { 1, "FUTEX_WAKE" }, { 2, "FUTEX_FD" }, { 3, "FUTEX_REQUEUE" },
	{ 4, "FUTEX_CMP_REQUEUE" }, { 5, "FUTEX_WAKE_OP" }, { 6, "FUTEX_LOCK_PI" },
	{ 7, "FUTEX_UNLOCK_PI" }, { 8, "FUTEX_TRYLOCK_PI" }, { 9, "FUTEX_WAIT_BITSET" },
	{ 10, "FUTEX_WAKE_BITSET" }, { 11, "FUTEX_WAIT_REQUEUE_PI" },
	{ 12, "FUTEX_CMP_REQUEUE_PI" }, { 13, "FUTEX_LOCK_PI2" },
	{ 128, "FUTEX_WAIT_PRIVATE" }, { 129, "FUTEX_WAKE_PRIVATE" },
	{ 130, "FUTEX_FD|FUTEX_PRIVATE_FLAG" }, { 131, "FUTEX_REQUEUE_PRIVATE" },
	{ 132, "FUTEX_CMP_REQUEUE_PRIVATE" }, { 133, "FUTEX_WAKE_OP_PRIVATE" },
	{ 134, "FUTEX_LOCK_PI_PRIVATE" }, { 135, "FUTEX_UNLOCK_PI_PRIVATE" },
	{ 136, "FUTEX_TRYLOCK_PI_PRIVATE" }, { 137, "FUTEX_WAIT_BITSET_PRIVATE" },
	{ 138, "FUTEX_WAKE_BITSET_PRIVATE" }, { 139, "FUTEX_WAIT_REQUEUE_PI_PRIVATE" },
	{ 140, "FUTEX_CMP_REQUEUE_PI_PRIVATE" }, { 141, "FUTEX_LOCK_PI2_PRIVATE" },
	{ 256, "FUTEX_WAIT|FUTEX_CLOCK_REALTIME" },
	{ 384, "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME" },
	{ 265, "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME" },
	{ 393, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME" },
	{ 267, "FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME" },
	{ 395, "FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME" }, END
};
const struct k23_flag k23_xlat_futex_wake_op[] = {
	{ 0, "FUTEX_OP_SET" }, { 1, "FUTEX_OP_ADD" }, { 2, "FUTEX_OP_OR" },
	{ 3, "FUTEX_OP_ANDN" }, { 4, "FUTEX_OP_XOR" }, END
};
const struct k23_flag k23_xlat_futex_wake_cmp[] = {
	{ 0, "FUTEX_OP_CMP_EQ" }, { 1, "FUTEX_OP_CMP_NE" }, { 2, "FUTEX_OP_CMP_LT" },
	{ 3, "FUTEX_OP_CMP_LE" }, { 4, "FUTEX_OP_CMP_GT" }, { 5, "FUTEX_OP_CMP_GE" }, END
};
const struct k23_flag k23_xlat_grnd[] = {
	{ 1, "GRND_NONBLOCK" }, { 2, "GRND_RANDOM" }, { 4, "GRND_INSECURE" }, END
};
const struct k23_flag k23_xlat_af[] = {
	{ 0, "AF_UNSPEC" }, { 1, "AF_UNIX" }, { 2, "AF_INET" }, { 3, "AF_AX25" }, { 4, "AF_IPX" },
	{ 5, "AF_APPLETALK" }, { 6, "AF_NETROM" }, { 7, "AF_BRIDGE" }, { 8, "AF_ATMPVC" },
	{ 9, "AF_X25" }, { 10, "AF_INET6" }, { 11, "AF_ROSE" }, { 12, "AF_DECnet" },
	{ 13, "AF_NETBEUI" }, { 14, "AF_SECURITY" }, { 15, "AF_KEY" }, { 16, "AF_NETLINK" },
	{ 17, "AF_PACKET" }, { 18, "AF_ASH" }, { 19, "AF_ECONET" }, { 20, "AF_ATMSVC" },
	{ 21, "AF_RDS" }, { 22, "AF_SNA" }, { 23, "AF_IRDA" }, { 24, "AF_PPPOX" },
	{ 25, "AF_WANPIPE" }, { 26, "AF_LLC" }, { 27, "AF_IB" }, { 28, "AF_MPLS" },
	{ 29, "AF_CAN" }, { 30, "AF_TIPC" }, { 31, "AF_BLUETOOTH" }, { 32, "AF_IUCV" },
	{ 33, "AF_RXRPC" }, { 34, "AF_ISDN" }, { 35, "AF_PHONET" }, { 36, "AF_IEEE802154" },
	{ 37, "AF_CAIF" }, { 38, "AF_ALG" }, { 39, "AF_NFC" }, { 40, "AF_VSOCK" },
	{ 41, "AF_KCM" }, { 42, "AF_QIPCRTR" }, { 43, "AF_SMC" }, { 44, "AF_XDP" },
	{ 45, "AF_MCTP" }, END
};
const struct k23_flag k23_xlat_sock_type[] = {
	{ 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" }, { 4, "SOCK_RDM" },
	{ 5, "SOCK_SEQPACKET" }, { 6, "SOCK_DCCP" }, { 10, "SOCK_PACKET" }, END
};
const struct k23_flag k23_xlat_sock_flags[] = {
	{ 02000000, "SOCK_CLOEXEC" }, { 04000, "SOCK_NONBLOCK" }, END
};
const struct k23_flag k23_xlat_ipproto[] = {
	{ 0, "IPPROTO_IP" }, { 1, "IPPROTO_ICMP" }, { 2, "IPPROTO_IGMP" }, { 4, "IPPROTO_IPIP" },
	{ 6, "IPPROTO_TCP" }, { 8, "IPPROTO_EGP" }, { 12, "IPPROTO_PUP" }, { 17, "IPPROTO_UDP" },
	{ 22, "IPPROTO_IDP" }, { 29, "IPPROTO_TP" }, { 33, "IPPROTO_DCCP" },
	{ 41, "IPPROTO_IPV6" }, { 46, "IPPROTO_RSVP" }, { 47, "IPPROTO_GRE" },
	{ 50, "IPPROTO_ESP" }, { 51, "IPPROTO_AH" }, { 58, "IPPROTO_ICMPV6" },
	{ 92, "IPPROTO_MTP" }, { 94, "IPPROTO_BEETPH" }, { 98, "IPPROTO_ENCAP" },
	{ 103, "IPPROTO_PIM" }, { 108, "IPPROTO_COMP" }, { 115, "IPPROTO_L2TP" },
	{ 132, "IPPROTO_SCTP" }, { 136, "IPPROTO_UDPLITE" }, { 137, "IPPROTO_MPLS" },
	{ 143, "IPPROTO_ETHERNET" }, { 255, "IPPROTO_RAW" }, { 262, "IPPROTO_MPTCP" }, END
};
const struct k23_flag k23_xlat_netlink_proto[] = {
	{ 0, "NETLINK_ROUTE" }, { 1, "NETLINK_UNUSED" }, { 2, "NETLINK_USERSOCK" },
	{ 3, "NETLINK_FIREWALL" }, { 4, "NETLINK_SOCK_DIAG" }, { 5, "NETLINK_NFLOG" },
	{ 6, "NETLINK_XFRM" }, { 7, "NETLINK_SELINUX" }, { 8, "NETLINK_ISCSI" },
	{ 9, "NETLINK_AUDIT" }, { 10, "NETLINK_FIB_LOOKUP" }, { 11, "NETLINK_CONNECTOR" },
	{ 12, "NETLINK_NETFILTER" }, { 13, "NETLINK_IP6_FW" }, { 14, "NETLINK_DNRTMSG" },
	{ 15, "NETLINK_KOBJECT_UEVENT" }, { 16, "NETLINK_GENERIC" }, { 18, "NETLINK_SCSITRANSPORT" },
	{ 19, "NETLINK_ECRYPTFS" }, { 20, "NETLINK_RDMA" }, { 21, "NETLINK_CRYPTO" },
	{ 22, "NETLINK_SMC" }, END
};
const struct k23_flag k23_xlat_msg_flags[] = {
	{ 0x1, "MSG_OOB" }, { 0x2, "MSG_PEEK" }, { 0x4, "MSG_DONTROUTE" }, { 0x8, "MSG_CTRUNC" },
	{ 0x10, "MSG_PROXY" }, { 0x20, "MSG_TRUNC" }, { 0x40, "MSG_DONTWAIT" }, { 0x80, "MSG_EOR" },
	{ 0x100, "MSG_WAITALL" }, { 0x200, "MSG_FIN" }, { 0x400, "MSG_SYN" },
	{ 0x800, "MSG_CONFIRM" }, { 0x1000, "MSG_RST" }, { 0x2000, "MSG_ERRQUEUE" },
	{ 0x4000, "MSG_NOSIGNAL" }, { 0x8000, "MSG_MORE" }, { 0x10000, "MSG_WAITFORONE" },
	{ 0x40000, "MSG_BATCH" }, { 0x4000000, "MSG_ZEROCOPY" }, { 0x20000000, "MSG_FASTOPEN" },
	{ 0x40000000, "MSG_CMSG_CLOEXEC" }, END
};
const struct k23_flag k23_xlat_shut[] = {
	{ 0, "SHUT_RD" }, { 1, "SHUT_WR" }, { 2, "SHUT_RDWR" }, END
};
const struct k23_flag k23_xlat_clone_flags[] = {
	{ 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" },
	{ 0x800, "CLONE_SIGHAND" }, { 0x1000, "CLONE_PIDFD" }, { 0x2000, "CLONE_PTRACE" },
	{ 0x4000, "CLONE_VFORK" }, { 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" },
	{ 0x20000, "CLONE_NEWNS" }, { 0x40000, "CLONE_SYSVSEM" }, { 0x80000, "CLONE_SETTLS" },
	{ 0x100000, "CLONE_PARENT_SETTID" }, { 0x200000, "CLONE_CHILD_CLEARTID" },
	{ 0x800000, "CLONE_UNTRACED" }, { 0x1000000, "CLONE_CHILD_SETTID" },
	{ 0x2000000, "CLONE_NEWCGROUP" }, { 0x4000000, "CLONE_NEWUTS" },
	{ 0x8000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" }, { 0x40000000, "CLONE_NEWNET" }, { 0x80000000, "CLONE_IO" },
	{ 0x100000000UL, "CLONE_CLEAR_SIGHAND" }, { 0x200000000UL, "CLONE_INTO_CGROUP" }, END
};
const struct k23_flag k23_xlat_prctl[] = {
	{ 1, "PR_SET_PDEATHSIG" }, { 2, "PR_GET_PDEATHSIG" }, { 3, "PR_GET_DUMPABLE" },
	{ 4, "PR_SET_DUMPABLE" }, { 7, "PR_GET_KEEPCAPS" }, { 8, "PR_SET_KEEPCAPS" },
	{ 15, "PR_SET_NAME" }, { 16, "PR_GET_NAME" }, { 21, "PR_GET_SECCOMP" },
	{ 22, "PR_SET_SECCOMP" }, { 23, "PR_CAPBSET_READ" }, { 24, "PR_CAPBSET_DROP" },
	{ 35, "PR_SET_MM" }, { 36, "PR_SET_CHILD_SUBREAPER" }, { 37, "PR_GET_CHILD_SUBREAPER" },
	{ 38, "PR_SET_NO_NEW_PRIVS" }, { 39, "PR_GET_NO_NEW_PRIVS" }, { 40, "PR_GET_TID_ADDRESS" },
	{ 41, "PR_SET_THP_DISABLE" }, { 42, "PR_GET_THP_DISABLE" }, { 47, "PR_CAP_AMBIENT" },
	{ 59, "PR_SET_SYSCALL_USER_DISPATCH" }, { 0x53564d41, "PR_SET_VMA" }, END
};
const struct k23_flag k23_xlat_mfd[] = {
	{ 1, "MFD_CLOEXEC" }, { 2, "MFD_ALLOW_SEALING" }, { 4, "MFD_HUGETLB" },
	{ 8, "MFD_NOEXEC_SEAL" }, { 0x10, "MFD_EXEC" }, END
};
const struct k23_flag k23_xlat_epoll_op[] = {
	{ 1, "EPOLL_CTL_ADD" }, { 2, "EPOLL_CTL_DEL" }, { 3, "EPOLL_CTL_MOD" }, END
};
const struct k23_flag k23_xlat_efd[] = {
	{ 1, "EFD_SEMAPHORE" }, { 02000000, "EFD_CLOEXEC" }, { 04000, "EFD_NONBLOCK" }, END
};
const struct k23_flag k23_xlat_close_range[] = {
	{ 2, "CLOSE_RANGE_UNSHARE" }, { 4, "CLOSE_RANGE_CLOEXEC" }, END
};
const struct k23_flag k23_xlat_poll_events[] = {
	{ 0x1, "POLLIN" }, { 0x2, "POLLPRI" }, { 0x4, "POLLOUT" }, { 0x8, "POLLERR" },
	{ 0x10, "POLLHUP" }, { 0x20, "POLLNVAL" }, { 0x40, "POLLRDNORM" }, { 0x80, "POLLRDBAND" },
	{ 0x100, "POLLWRNORM" }, { 0x200, "POLLWRBAND" }, { 0x400, "POLLMSG" },
	{ 0x1000, "POLLREMOVE" }, { 0x2000, "POLLRDHUP" }, END
};
const struct k23_flag k23_xlat_fs_magic[] = {
	{ 0xef53, "EXT2_SUPER_MAGIC" }, { 0x01021994, "TMPFS_MAGIC" },
	{ 0x9fa0, "PROC_SUPER_MAGIC" }, { 0x62656572, "SYSFS_MAGIC" },
	{ 0x794c7630, "OVERLAYFS_SUPER_MAGIC" }, { 0x9123683e, "BTRFS_SUPER_MAGIC" },
	{ 0x58465342, "XFS_SUPER_MAGIC" }, { 0x1cd1, "DEVPTS_SUPER_MAGIC" },
	{ 0x27e0eb, "CGROUP_SUPER_MAGIC" }, { 0x63677270, "CGROUP2_SUPER_MAGIC" },
	{ 0x6969, "NFS_SUPER_MAGIC" }, { 0x65735546, "FUSE_SUPER_MAGIC" },
	{ 0x01021997, "V9FS_MAGIC" }, { 0x958458f6, "HUGETLBFS_MAGIC" },
	{ 0x4d44, "MSDOS_SUPER_MAGIC" }, { 0x73717368, "SQUASHFS_MAGIC" },
	{ 0x9660, "ISOFS_SUPER_MAGIC" }, { 0x858458f6, "RAMFS_MAGIC" },
	{ 0x64626720, "DEBUGFS_MAGIC" }, { 0x73636673, "SECURITYFS_MAGIC" },
	{ 0xcafe4a11, "BPF_FS_MAGIC" }, { 0x74726163, "TRACEFS_MAGIC" },
	{ 0x42494e4d, "BINFMTFS_MAGIC" }, { 0x2fc12fc1, "ZFS_SUPER_MAGIC" },
	{ 0x6e736673, "NSFS_MAGIC" }, { 0x50495045, "PIPEFS_MAGIC" },
	{ 0x534f434b, "SOCKFS_MAGIC" }, { 0xf2f52010, "F2FS_SUPER_MAGIC" }, END
};
const struct k23_flag k23_xlat_statfs_flags[] = {
	{ 0x0001, "ST_RDONLY" }, { 0x0002, "ST_NOSUID" }, { 0x0004, "ST_NODEV" },
	{ 0x0008, "ST_NOEXEC" }, { 0x0010, "ST_SYNCHRONOUS" }, { 0x0020, "ST_VALID" },
	{ 0x0040, "ST_MANDLOCK" }, { 0x0400, "ST_NOATIME" }, { 0x0800, "ST_NODIRATIME" },
	{ 0x1000, "ST_RELATIME" }, { 0x2000, "ST_NOSYMFOLLOW" }, END
};
const struct k23_flag k23_xlat_file_type[] = {
	{ 0140000, "S_IFSOCK" }, { 0120000, "S_IFLNK" }, { 0100000, "S_IFREG" },
	{ 0060000, "S_IFBLK" }, { 0040000, "S_IFDIR" }, { 0020000, "S_IFCHR" },
	{ 0010000, "S_IFIFO" }, END
};
