/* chan.h - the channel between a program's processes and k23's remote-call proxy.
 *
 * Changes after the first version (newest first; the version number changes
 * when the layout or an op's meaning does):
 *   2 (continued, no layout change): k23_chan_call returns
 *      K23_CHAN_ABANDONED (not -EIO) when it gave the slot up, so a caller
 *      can tell that from a reply of -EIO; k23_chan_unclaim added;
 *      k23_chan_proxy_alive polls a pidfd (a zombie proxy is dead);
 *      k23_remote_start exists (common/remote/start.c) and returns a life
 *      fd too. "Handle or path" ops (STAT, TRUNCATE, CHMOD) with a handle
 *      and len == 0 act on the handle itself (fstat); with a handle and a
 *      path (len > 0, "" included) on the path from the handle's directory.
 *      RENAME and SYMLINK with a handle resolve both paths from it.
 *      PLACED with args[0] = 1: no placeholder wanted. PATH and CWD
 *      added (a working directory in a remote tree), UTIMES and CHOWN
 *      ("handle or path" ops like CHMOD), LINK, STATFS; a mount's flags
 *      (K23_CHAN_MOUNT_START_ANYWAY) in what was padding.
 *   2: what the runtime needs for descriptors shared across dup, fork and
 *      exec: each handle has an offset of its own (the open file
 *      description's), used and advanced by READ, WRITE and GETDENTS with
 *      K23_RC_AT_OFFSET, moved by SEEK; a path op with handle != 0 and a
 *      path resolves the path from the handle's directory (openat(dirfd, ...)).
 *
 * One shared-memory region (a memfd the launcher creates with
 * k23_remote_start, size fixed at creation and sealed against grow and
 * shrink) is mapped MAP_SHARED by the proxy and by every image of the tree
 * (inherited across fork; mapped again after execve from the descriptor).
 * The runtime never speaks 9P: it asks for POSIX-level operations here, the
 * proxy (remote/, build/k23-remote) turns them into 9P2000.L.
 *
 *   +-------------------------+ offset 0
 *   | struct k23_chan_hdr     |  magic, version, geometry, doorbell, mounts
 *   +-------------------------+ hdr.slot_off
 *   | slot 0: k23_chan_slot   |  fixed header, then payload_max bytes
 *   | slot 1 ...              |  each slot is hdr.slot_size bytes
 *   +-------------------------+ hdr.slot_off + nslots * slot_size = region size
 *
 * A call (k23_chan_call in chan.c does all of this, freestanding):
 *   1. claim a slot: CAS state FREE -> CLAIMED (any free slot);
 *   2. fill op, mount, handle, args, len and payload; store state REQUEST
 *      (release); increment hdr.doorbell and FUTEX_WAKE it (the proxy sleeps
 *      on it);
 *   3. FUTEX_WAIT on the slot's state until it is DONE, at most
 *      hdr.timeout_ms in total; every K23_CHAN_PROBE_MS it checks that the
 *      proxy (hdr.proxy_pid) still exists; a dead proxy or the time running
 *      out: CAS the state to ABANDONED and return K23_CHAN_ABANDONED (the
 *      call fails with EIO; the proxy frees an abandoned slot when it
 *      finishes with it);
 *   4. read result (>= 0, or -errno), the out args and payload; store FREE.
 * The proxy takes a slot with CAS REQUEST -> BUSY, and ends with CAS
 * BUSY -> DONE + FUTEX_WAKE (or stores FREE if the client abandoned it).
 * Slot and header words are accessed with __atomic builtins only.
 *
 * Paths are relative to the mount's root (hdr.mounts[i].prefix is where the
 * tree is seen locally), NUL-terminated in the payload, '/'-separated; empty
 * or "." is the root. Ops that take "mount, path" also take a handle of an
 * open directory (handle != 0, mount ignored): the path is then relative to
 * that directory, as openat's to its dirfd ("" is the directory itself;
 * ".." climbs from the directory's own path, never above the mount's root). The proxy resolves ".", ".." (never above the root) and
 * repeated slashes lexically; symbolic links in the middle of a path are
 * resolved by the server. A path never contains the mount prefix.
 *
 * Handles: the proxy's, 64-bit, > 0, never reused within a run. Each OPEN
 * also makes a placeholder: a socketpair whose one end the proxy keeps and
 * whose other end the client fetches with pidfd_getfd(pidfd_open(
 * hdr.proxy_pid), args[0] of the OPEN reply) (the proxy allows it with
 * PR_SET_PTRACER_ANY) and then reports with K23_RC_PLACED. From then on the
 * proxy closes the handle (clunks its fids, drops its locks) when the last
 * copy of that end is closed in any process (it sees EOF/HUP on its end) -
 * so dup, fork, exec and close need no calls. K23_RC_CLOSE closes a handle
 * at once. A client that does not want the placeholder sends K23_RC_PLACED
 * with args[0] = 1 (the proxy drops both ends) and closes the handle with
 * CLOSE.
 *
 * Lifetime: k23_remote_start also returns a "life" descriptor (the write
 * end of a pipe). Every image of the tree keeps it open like the channel's;
 * when the last copy is closed the proxy finishes and exits.
 *
 * Failures: a server that does not answer within hdr.server_timeout_ms makes
 * the call fail with -EIO; the connection is dropped and the next call
 * reconnects. After a reconnect the proxy re-walks and re-opens each handle
 * it is asked to use (same path, open flags without O_CREAT|O_EXCL|O_TRUNC);
 * locks held before the break are lost (the server dropped them), and a
 * handle whose file is gone fails with -EIO. hdr.timeout_ms (the client's
 * bound) is larger than hdr.server_timeout_ms, so a client sees the
 * proxy's -EIO rather than its own timeout unless the proxy itself stalls.
 *
 * This header is freestanding (no libc): the runtime includes it.
 */
#ifndef K23_REMOTE_CHAN_H
#define K23_REMOTE_CHAN_H

#include <stdint.h>

#define K23_CHAN_MAGIC   0x4e41484333324b00ull	/* "\0K23CHAN" little-endian */
#define K23_CHAN_VERSION 2

#define K23_CHAN_MAX_MOUNTS 16
#define K23_CHAN_PREFIX_MAX 256
#define K23_CHAN_NSLOTS     64
#define K23_CHAN_SLOT_SIZE  (1024 * 1024 + 4096)	/* whole slot, header included: a 1 MiB payload */
#define K23_CHAN_PROBE_MS   100		/* how often a waiting client checks the proxy */
#define K23_CHAN_NCWD       256		/* working directories kept for K23_RC_CWD */
#define K23_RC_UTIME_NOW    ((1ull << 30) - 1)	/* utimensat's UTIME_NOW, UTIME_OMIT */
#define K23_RC_UTIME_OMIT   ((1ull << 30) - 2)

/* Slot states (the slot's futex word). */
enum {
	K23_SLOT_FREE = 0,
	K23_SLOT_CLAIMED,	/* a client fills it */
	K23_SLOT_REQUEST,	/* ready for the proxy */
	K23_SLOT_BUSY,		/* the proxy works on it */
	K23_SLOT_DONE,		/* result ready for the client */
	K23_SLOT_ABANDONED,	/* the client gave up; the proxy frees it */
};

/* READ, WRITE, GETDENTS: args[2] |= K23_RC_AT_OFFSET uses the handle's own
 * offset instead of args[0] (the cookie for GETDENTS) and advances it by
 * what was transferred (GETDENTS: to the d_off of the last record), in the
 * proxy, one call at a time per handle. Every copy of a placeholder (dup,
 * fork, exec) names one handle, so they share that offset as the copies
 * of one open file description share theirs. WRITE with O_APPEND and
 * K23_RC_AT_OFFSET leaves the offset at the file's new end. */
#define K23_RC_AT_OFFSET 1ull

/* Operations. In: what the client fills; out: what the proxy fills besides
 * result. "path" = NUL-terminated path in the payload, relative to the mount;
 * "handle or path": handle != 0 uses the open handle, else mount + path. */
enum k23_rc_op {
	K23_RC_NOP = 0,	/* result 0: a round trip through the proxy (tests, bench) */
	/* in: mount, path, args[0] Linux open flags, args[1] mode (with O_CREAT).
	 * result: handle. out: args[0] the proxy's descriptor number of the
	 * placeholder end to fetch, args[1] the file's st_mode,
	 * args[2] the file's size, args[3] st_ino, args[4] st_dev. */
	K23_RC_OPEN = 1,
	/* in: handle, args[0] 0: the client took its placeholder end; 1: it
	 * does not want one (the handle then lives until CLOSE). */
	K23_RC_PLACED = 2,
	/* in: handle. Closes it now (clunk; the server drops its locks). */
	K23_RC_CLOSE = 3,
	/* in: handle, args[0] offset, args[1] count (<= payload_max).
	 * result: bytes read (0 at end of file); the data in the payload. */
	K23_RC_READ = 4,
	/* in: handle, args[0] offset, len bytes of data in the payload.
	 * result: bytes written. (A handle opened O_APPEND appends whatever the
	 * offset: the server's file has O_APPEND.) */
	K23_RC_WRITE = 5,
	/* in: handle or path, args[0] AT_SYMLINK_NOFOLLOW (0 follows a final
	 * symbolic link; it is ignored with a handle). result 0; the payload
	 * holds a struct statx (len = sizeof(struct statx)); stx_mask tells
	 * what is there (9P2000.L has no birth time beyond what Tgetattr gives). */
	K23_RC_STAT = 6,
	/* in: handle of an open directory, args[0] cookie (0 = start, else the
	 * d_off of the last record returned), args[1] max bytes.
	 * result: bytes of struct linux_dirent64 records in the payload (0 = end). */
	K23_RC_GETDENTS = 7,
	/* in: mount, path, args[0] mode. result 0. */
	K23_RC_MKDIR = 8,
	/* in: mount, path. result 0. */
	K23_RC_UNLINK = 9,
	/* in: mount, path. result 0. */
	K23_RC_RMDIR = 10,
	/* in: mount, payload "old\0new\0" (both in the same mount; another mount
	 * is -EXDEV on the client's side), args[0] renameat2 flags (only 0).
	 * result 0. */
	K23_RC_RENAME = 11,
	/* in: handle or path, args[0] length. result 0. */
	K23_RC_TRUNCATE = 12,
	/* in: handle, args[0] 1 = fdatasync. result 0. */
	K23_RC_FSYNC = 13,
	/* POSIX record locks through 9P's Tlock/Tgetlock.
	 * in: handle, args[0] F_SETLK or F_GETLK (F_SETLKW: the client repeats
	 * F_SETLK while it gets -EAGAIN, sleeping in between and stopping for
	 * signals, so the proxy never blocks), args[1] l_type (F_RDLCK, F_WRLCK,
	 * F_UNLCK), args[2] start (absolute; the client resolves SEEK_CUR and
	 * SEEK_END), args[3] length (0 = to the end), args[4] the owner (the
	 * client's pid, or its open file description for OFD locks).
	 * result 0, or -EAGAIN on a conflict for F_SETLK.
	 * out for F_GETLK: args[1] l_type (F_UNLCK if none conflicts), args[2]
	 * start, args[3] length, args[4] the owner's pid as the server gives it. */
	K23_RC_LOCK = 14,
	/* in: mount, path. result: length of the target (in the payload, not
	 * NUL-terminated). */
	K23_RC_READLINK = 15,
	/* in: mount, payload "target\0linkpath\0". result 0. */
	K23_RC_SYMLINK = 16,
	/* in: handle or path, args[0] mode (chmod). result 0. */
	K23_RC_CHMOD = 17,
	/* in: handle, args[0] offset (signed), args[1] whence (SEEK_SET,
	 * SEEK_CUR, SEEK_END: the file's size from the server). result: the
	 * handle's new offset (-EINVAL if it would be negative). */
	K23_RC_SEEK = 18,
	/* in: handle. result: length of the handle's path in the payload
	 * (relative to its tree's root, as opened: it may hold ".."; no NUL),
	 * for fchdir to a remote directory. */
	K23_RC_PATH = 19,
	/* A process's working directory in a remote tree, kept across its
	 * execve (the new image has no memory of it). in: args[0] the pid,
	 * args[1] 0: remember the payload (the directory's local path,
	 * NUL-terminated; len 0 forgets), result 0; 1: take it - result its
	 * length in the payload (no NUL), and forgotten; -ENOENT if none.
	 * The proxy keeps K23_CHAN_NCWD of them, the oldest dropped. */
	K23_RC_CWD = 20,
	/* in: handle or path, args[0] atime seconds, args[1] its nanoseconds,
	 * args[2], args[3] mtime's (nanoseconds K23_RC_UTIME_NOW: the
	 * server's clock; K23_RC_UTIME_OMIT: left as it is), args[4]
	 * AT_SYMLINK_NOFOLLOW. result 0. */
	K23_RC_UTIMES = 21,
	/* in: handle or path, args[0] uid, args[1] gid ((uint32_t)-1: left as
	 * it is), args[4] AT_SYMLINK_NOFOLLOW. result 0. */
	K23_RC_CHOWN = 22,
	/* in: mount, payload "old\0new\0" (as RENAME's), args[0]
	 * AT_SYMLINK_FOLLOW (linkat's: follow a final symbolic link of old).
	 * result 0. */
	K23_RC_LINK = 23,
	/* in: handle or path. result 0; the payload holds the kernel's struct
	 * statfs (120 bytes) from the server's Rstatfs (f_flags 0). */
	K23_RC_STATFS = 24,
	K23_RC_NOPS
};

/* One exported tree. Filled by k23_remote_start; read by the runtime. */
#define K23_CHAN_MOUNT_START_ANYWAY 1u	/* unreachable at start: its calls fail with EIO */
struct k23_chan_mount {
	char prefix[K23_CHAN_PREFIX_MAX];	/* local path, e.g. "/mnt/data" */
	char url[K23_CHAN_PREFIX_MAX];		/* "9p://HOST:PORT/EXPORT" */
	uint32_t down;				/* 1: unreachable at start (started anyway) */
	uint32_t flags;				/* K23_CHAN_MOUNT_* */
};

struct k23_chan_hdr {
	uint64_t magic;
	uint32_t version;
	uint32_t nslots;
	uint32_t slot_size;	/* bytes per slot, header included */
	uint32_t payload_max;	/* slot_size - sizeof(struct k23_chan_slot) */
	uint32_t slot_off;	/* offset of slot 0 from the region's start */
	uint32_t doorbell;	/* futex word the proxy sleeps on */
	uint32_t proxy_pid;	/* for liveness probes and pidfd_getfd */
	uint32_t alive;		/* 1 while the proxy serves; 0 once it has left */
	uint32_t timeout_ms;	/* the client's bound for one call */
	uint32_t server_timeout_ms; /* the proxy's bound for one server reply */
	uint32_t nmounts;
	uint32_t pad;
	uint64_t region_size;
	struct k23_chan_mount mounts[K23_CHAN_MAX_MOUNTS];
};

struct k23_chan_slot {
	uint32_t state;		/* K23_SLOT_*, the futex word the client sleeps on */
	uint32_t op;		/* enum k23_rc_op */
	uint32_t mount;		/* index into hdr.mounts */
	uint32_t len;		/* payload bytes: request in, reply out */
	uint64_t handle;
	int64_t result;		/* >= 0, or -errno */
	uint64_t args[6];
	uint32_t owner_tid;	/* the claiming thread (diagnostics) */
	uint32_t pad;
	uint8_t payload[];	/* 8-byte aligned */
};

_Static_assert(sizeof(struct k23_chan_slot) == 88, "slot header layout");

static inline struct k23_chan_slot *k23_chan_slot_at(struct k23_chan_hdr *h, uint32_t i)
{
	return (struct k23_chan_slot *)((char *)h + h->slot_off + (uint64_t)i * h->slot_size);
}

static inline uint64_t k23_chan_region_size(void)
{
	uint64_t off = (sizeof(struct k23_chan_hdr) + 4095) & ~4095ull;
	return off + (uint64_t)K23_CHAN_NSLOTS * K23_CHAN_SLOT_SIZE;
}

/* --- client side (chan.c, freestanding: raw system calls only) --- */

/* Maps the channel from its descriptor (after execve, say) and checks magic,
 * version and size. Returns the header or NULL. */
struct k23_chan_hdr *k23_chan_map(int fd);

/* Claims a free slot (waits up to hdr.timeout_ms while all are taken).
 * NULL: none came free in time, or the proxy is gone. */
struct k23_chan_slot *k23_chan_claim(struct k23_chan_hdr *h);

/* What k23_chan_call returns when the proxy is gone or the time ran out:
 * the call failed (the program sees EIO) and the slot is no longer the
 * caller's - it must not be read, written or released. */
#define K23_CHAN_ABANDONED INT64_MIN

/* Sends the filled slot and waits for the reply (see the protocol above).
 * Returns the result (>= 0 or -errno), the slot staying the caller's to read
 * until k23_chan_release; or K23_CHAN_ABANDONED. */
int64_t k23_chan_call(struct k23_chan_hdr *h, struct k23_chan_slot *s);

/* Gives a slot back after reading the reply. */
void k23_chan_release(struct k23_chan_slot *s);

/* Gives back a claimed slot that was never sent. */
void k23_chan_unclaim(struct k23_chan_slot *s);

/* 1 while the proxy process has not exited (a pidfd of it polled: a
 * zombie proxy counts as dead). Opens and closes a descriptor for it. */
int k23_chan_proxy_alive(const struct k23_chan_hdr *h);

/* --- launcher side (start.c, hosted) --- */

struct k23_remote_mount {
	const char *prefix;	/* local path under which the tree appears */
	const char *url;	/* "9p://HOST:PORT/EXPORT" (EXPORT: diod's -e path; [HOST] for IPv6) */
	int start_anyway;	/* this tree unreachable at start: serve -EIO instead of failing */
};

struct k23_remote_opts {
	const char *proxy;	/* path of the k23-remote program */
	unsigned timeout_ms;	/* server reply bound; 0 = 5000 */
	int start_anyway;	/* every tree as if its start_anyway were set */
	const char *uname;	/* 9P user name; NULL = the name of the caller's uid */
};

/* Starts the proxy (detached from the caller: its parent is not the caller,
 * so the program never sees its SIGCHLD), which connects to every server.
 * Returns 0 with *chan_fd (the sealed memfd, close-on-exec clear) and
 * *life_fd (see Lifetime above) set; on failure prints one line naming the
 * unreachable server ("k23: remote /mnt/data: 9p://h:p/e: Connection
 * refused") and returns -1 (the launcher exits 1). */
int k23_remote_start(const struct k23_remote_mount *m, unsigned n,
		     const struct k23_remote_opts *o, int *chan_fd, int *life_fd);

#endif
