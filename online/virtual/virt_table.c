/* virt_table.c - every call the virtual world changes, one row per (part, call); the parts add rows, not branches.
 *
 * A call may have rows of several parts (at most K23_VIRT_ROWS_PER_CALL):
 * they run in table order before the call, in reverse order after it.
 * Which part does what to which call: docs/virtual.md.
 */
#include <asm/unistd.h>
#include "online/virtual/virt.h"
#include "online/virtual/vmap.h"
#include "online/virtual/vmap_calls.h"
#include "online/virtual/vmem.h"
#include "online/virtual/vnet.h"
#include "online/virtual/vlib.h"
#include "online/virtual/vfile.h"
#include "online/remote/rremote.h"

/* Path maps: dirfd and path of each operand (-1: AT_FDCWD, or none), what
 * the call does to each (vmap_calls.h). */
#define MAP1(nr, d, p, k) \
	{ nr, k23_vmap_on, k23_vmap_before, 0, k23_vmap_again, { d, p, -1, -1 }, k, 1 }
#define MAP2(nr, d, p, d2, p2, k, k2) \
	{ nr, k23_vmap_on, k23_vmap_before, 0, k23_vmap_again, { d, p, d2, p2 }, (k) | (k2) << 4, 2 }

/* Network identity: the address a call names or reports (vnet.c); a
 * buffer of the frame for the copies. */
#define NET(nr) { nr, k23_vnet_on, k23_vnet_before, k23_vnet_after, 0, { -1, -1, -1, -1 }, 0, 1 }
#define MAPX(nr, b, a, n) { nr, k23_vmap_on, b, a, 0, { -1, -1, -1, -1 }, 0, n }
/* The cache of readable pages of names (vmem.c), for maps and remote trees. */
#define VMEM(nr) { nr, k23_vmem_on, k23_vmem_forget, 0, 0, { -1, -1, -1, -1 }, 0, 0 }

/* Per-executable libraries: the path and the flags argument; after the
 * map rows, so that the rule looks at the name a map made (vlib.c). */
#define LIB(nr, p, f) { nr, k23_vlib_on, k23_vlib_before, 0, 0, { p, f, -1, -1 }, 0, 2 }

/* Synthesized files and the host name (vfile.c, vdir.c, vhost.c). They
 * come first: a call naming a synthesized file is answered before a map
 * would rewrite its name. */
#define SYN(nr) { nr, k23_vfile_files_on, k23_vfile_before, 0, 0, { -1, -1, -1, -1 }, 0, 0 }
#define SYN_AFTER(nr, on, before, after) { nr, on, before, after, 0, { -1, -1, -1, -1 }, 0, 0 }

/* Remote trees (online/remote/): a path in one, a remote descriptor. They
 * come first: a name in a remote tree is served by the proxy, never by a
 * map or a synthesized file (the policy refuses overlaps). */
#define RPATH(nr) { nr, k23_rr_on, k23_rr_path_before, 0, 0, { -1, -1, -1, -1 }, 0, 1 }
#define RPATH2(nr) { nr, k23_rr_on, k23_rr_path_before, 0, 0, { -1, -1, -1, -1 }, 0, 2 }
#define RCWD(nr) { nr, k23_rr_on, k23_rr_cwd_before, 0, 0, { -1, -1, -1, -1 }, 0, 1 }
#define RFD(nr) { nr, k23_rr_on, k23_rr_fd_before, k23_rr_dup_after, 0, { -1, -1, -1, -1 }, 0, 0 }

const struct k23_virt_row k23_virt_rows[] = {
	RPATH(__NR_open), RPATH(__NR_creat), RPATH(__NR_openat), RPATH(__NR_stat), RPATH(__NR_lstat),
	RPATH(__NR_newfstatat), RPATH(__NR_statx), RPATH(__NR_access), RPATH(__NR_faccessat),
	RPATH(__NR_faccessat2), RPATH(__NR_mkdir), RPATH(__NR_mkdirat), RPATH(__NR_unlink),
	RPATH(__NR_unlinkat), RPATH(__NR_rmdir), RPATH2(__NR_rename), RPATH2(__NR_renameat),
	RPATH2(__NR_renameat2), RPATH2(__NR_link), RPATH2(__NR_linkat), RPATH(__NR_readlink), RPATH(__NR_readlinkat), RPATH(__NR_truncate),
	RPATH(__NR_chmod), RPATH(__NR_fchmodat), RPATH(__NR_symlink), RPATH(__NR_symlinkat),
	RPATH(__NR_getxattr), RPATH(__NR_lgetxattr), RPATH(__NR_listxattr), RPATH(__NR_llistxattr),
	RPATH(__NR_setxattr), RPATH(__NR_lsetxattr), RPATH(__NR_removexattr), RPATH(__NR_lremovexattr),
	RCWD(__NR_chdir), RCWD(__NR_fchdir), RCWD(__NR_getcwd),
	RPATH(__NR_utime), RPATH(__NR_utimes), RPATH(__NR_futimesat), RPATH(__NR_utimensat),
	RPATH(__NR_chown), RPATH(__NR_lchown), RPATH(__NR_fchownat), RPATH(__NR_statfs),
	RFD(__NR_fchown), RFD(__NR_fstatfs), RFD(__NR_fallocate), RFD(__NR_fgetxattr),
	RFD(__NR_fsetxattr), RFD(__NR_flistxattr), RFD(__NR_fremovexattr),
	RFD(__NR_read), RFD(__NR_write), RFD(__NR_pread64), RFD(__NR_pwrite64), RFD(__NR_readv),
	RFD(__NR_writev), RFD(__NR_preadv), RFD(__NR_pwritev), RFD(__NR_lseek), RFD(__NR_fstat),
	RFD(__NR_getdents64), RFD(__NR_ftruncate), RFD(__NR_fsync), RFD(__NR_fdatasync),
	RFD(__NR_fchmod), RFD(__NR_flock), RFD(__NR_fcntl), RFD(__NR_copy_file_range),
	RFD(__NR_sendfile), RFD(__NR_splice), RFD(__NR_close), RFD(__NR_dup), RFD(__NR_dup2),
	RFD(__NR_dup3),
	{ __NR_mmap, k23_rr_on, k23_rr_mmap_before, k23_rr_exec_after, 0, { -1, -1, -1, -1 }, 0, 0 },
	{ __NR_execve, k23_rr_on, k23_rr_exec_before, k23_rr_exec_after, 0, { -1, -1, -1, -1 }, 0, 1 },
	{ __NR_execveat, k23_rr_on, k23_rr_exec_before, k23_rr_exec_after, 0, { -1, -1, -1, -1 }, 0, 1 },
	SYN(__NR_open), SYN(__NR_openat), SYN(__NR_openat2), SYN(__NR_creat), SYN(__NR_truncate),
	SYN(__NR_stat), SYN(__NR_lstat), SYN(__NR_newfstatat), SYN(__NR_statx),
	SYN(__NR_access), SYN(__NR_faccessat), SYN(__NR_faccessat2),
	SYN(__NR_getxattr), SYN(__NR_lgetxattr), SYN(__NR_listxattr), SYN(__NR_llistxattr),
	SYN(__NR_setxattr), SYN(__NR_lsetxattr), SYN(__NR_removexattr), SYN(__NR_lremovexattr),
	SYN(__NR_chmod), SYN(__NR_fchmodat), SYN(__NR_chown), SYN(__NR_lchown), SYN(__NR_fchownat),
	SYN(__NR_utime), SYN(__NR_utimes), SYN(__NR_futimesat), SYN(__NR_utimensat),
	SYN(__NR_unlink), SYN(__NR_unlinkat),
	SYN_AFTER(__NR_getdents64, k23_vfile_files_on, k23_vdir_before, k23_vdir_after),
	SYN_AFTER(__NR_readlink, k23_vfile_files_on, k23_vhost_take, k23_vhost_readlink),
	SYN_AFTER(__NR_readlinkat, k23_vfile_files_on, k23_vhost_take, k23_vhost_readlink),
	SYN_AFTER(__NR_uname, k23_vfile_host_on, k23_vhost_take, k23_vhost_uname),
	/* Path maps (vmap.c, vmap_calls.c, vmap_views.c). A symlink's target
	 * (symlink, symlinkat: the first argument) is text, not a name the
	 * call resolves: it is stored as written, and mapped when something
	 * follows the link. */
	MAP1(__NR_open, -1, 0, VK_OPEN),
	MAP1(__NR_openat, 0, 1, VK_OPEN),
	MAP1(__NR_openat2, 0, 1, VK_OPEN),
	MAP1(__NR_creat, -1, 0, VK_OPEN),
	MAP1(__NR_stat, -1, 0, VK_LOOK),
	MAP1(__NR_lstat, -1, 0, VK_LOOK),
	MAP1(__NR_newfstatat, 0, 1, VK_LOOK),
	MAP1(__NR_statx, 0, 1, VK_LOOK),
	MAP1(__NR_statfs, -1, 0, VK_LOOK),
	MAP1(__NR_access, -1, 0, VK_LOOK),
	MAP1(__NR_faccessat, 0, 1, VK_LOOK),
	MAP1(__NR_faccessat2, 0, 1, VK_LOOK),
	MAP1(__NR_chdir, -1, 0, VK_LOOK | VK_EXACT),
	MAP1(__NR_execve, -1, 0, VK_LOOK | VK_EXACT),
	MAP1(__NR_execveat, 0, 1, VK_LOOK | VK_EXACT),
	MAP1(__NR_inotify_add_watch, -1, 1, VK_LOOK),
	MAP1(__NR_mkdir, -1, 0, VK_CREATE),
	MAP1(__NR_mkdirat, 0, 1, VK_CREATE),
	MAP1(__NR_mknod, -1, 0, VK_CREATE),
	MAP1(__NR_mknodat, 0, 1, VK_CREATE),
	MAP1(__NR_symlink, -1, 1, VK_CREATE),
	MAP1(__NR_symlinkat, 1, 2, VK_CREATE),
	MAP1(__NR_unlink, -1, 0, VK_CHANGE),
	MAP1(__NR_unlinkat, 0, 1, VK_CHANGE),
	MAP1(__NR_rmdir, -1, 0, VK_CHANGE),
	MAP1(__NR_truncate, -1, 0, VK_CHANGE),
	MAP1(__NR_utime, -1, 0, VK_CHANGE),
	MAP1(__NR_utimes, -1, 0, VK_CHANGE),
	MAP1(__NR_futimesat, 0, 1, VK_CHANGE),
	MAP1(__NR_utimensat, 0, 1, VK_CHANGE),
	MAP1(__NR_chmod, -1, 0, VK_CHANGE),
	MAP1(__NR_fchmodat, 0, 1, VK_CHANGE),
	MAP1(__NR_chown, -1, 0, VK_CHANGE),
	MAP1(__NR_lchown, -1, 0, VK_CHANGE),
	MAP1(__NR_fchownat, 0, 1, VK_CHANGE),
	MAP1(__NR_getxattr, -1, 0, VK_LOOK),
	MAP1(__NR_lgetxattr, -1, 0, VK_LOOK),
	MAP1(__NR_listxattr, -1, 0, VK_LOOK),
	MAP1(__NR_llistxattr, -1, 0, VK_LOOK),
	MAP1(__NR_setxattr, -1, 0, VK_CHANGE),
	MAP1(__NR_lsetxattr, -1, 0, VK_CHANGE),
	MAP1(__NR_removexattr, -1, 0, VK_CHANGE),
	MAP1(__NR_lremovexattr, -1, 0, VK_CHANGE),
	NET(__NR_connect),
	NET(__NR_bind),
	NET(__NR_sendto),
	NET(__NR_sendmsg),
	NET(__NR_sendmmsg),
	NET(__NR_getpeername),
	NET(__NR_getsockname),
	NET(__NR_accept),
	NET(__NR_accept4),
	NET(__NR_recvfrom),
	NET(__NR_recvmsg),
	NET(__NR_recvmmsg),
	MAP2(__NR_rename, -1, 0, -1, 1, VK_CHANGE, VK_WRITE),
	MAP2(__NR_renameat, 0, 1, 2, 3, VK_CHANGE, VK_WRITE),
	MAP2(__NR_renameat2, 0, 1, 2, 3, VK_CHANGE, VK_WRITE),
	MAP2(__NR_link, -1, 0, -1, 1, VK_LOOK, VK_CREATE),
	MAP2(__NR_linkat, 0, 1, 2, 3, VK_LOOK, VK_CREATE),
	/* Names shown back: readlink's text for /proc's links (cwd, fd/N,
	 * exe), getcwd; a unix socket's name. */
	{ __NR_readlink, k23_vmap_on, k23_vmap_before, k23_vmap_readlink_after, k23_vmap_again,
	  { -1, 0, -1, -1 }, VK_LOOK, 2 },
	{ __NR_readlinkat, k23_vmap_on, k23_vmap_before, k23_vmap_readlink_after, k23_vmap_again,
	  { 0, 1, -1, -1 }, VK_LOOK, 2 },
	MAPX(__NR_getcwd, k23_vmap_take, k23_vmap_getcwd_after, 1),
	MAPX(__NR_bind, k23_vmap_sock_before, 0, 2),
	MAPX(__NR_connect, k23_vmap_sock_before, 0, 2),
	MAPX(__NR_getsockname, k23_vmap_take, k23_vmap_sockname_after, 2),
	MAPX(__NR_getpeername, k23_vmap_take, k23_vmap_sockname_after, 2),
	/* The calls that can make a page of names unreadable empty the
	 * cache of readable pages (vmem.c), while maps or remote trees read
	 * names through it. */
	VMEM(__NR_munmap),
	VMEM(__NR_mremap),
	VMEM(__NR_mprotect),
	VMEM(__NR_pkey_mprotect),
	VMEM(__NR_pkey_alloc),
	VMEM(__NR_mmap),
	VMEM(__NR_brk),
	VMEM(__NR_shmdt),
	LIB(__NR_open, 0, 1),
	LIB(__NR_openat, 1, 2),
};
const int k23_virt_nrows = (int)(sizeof(k23_virt_rows) / sizeof(k23_virt_rows[0]));
