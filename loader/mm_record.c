/* mm_record.c - pointing the kernel's record of the process image at the program's arguments and auxv.
 *
 * /proc/PID/cmdline reads the range [arg_start, arg_end) the kernel noted
 * at execve, and /proc/PID/auxv a copy of the auxiliary vector it built.
 * PR_SET_MM_MAP replaces that record in one call; unlike the single-field
 * PR_SET_MM_* operations it needs no CAP_SYS_RESOURCE (only a change of
 * the exe link needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN). It
 * sets every field at once, so the ones k23 does not move are given as the
 * kernel set them: known when the launcher started this image (below),
 * else read back from /proc/self/stat first. Kernels built without
 * CONFIG_CHECKPOINT_RESTORE refuse with EINVAL; the callers then keep the
 * re-execution.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include "launcher.h"
#include "mm_record.h"

/* Fields of /proc/PID/stat, numbered as in proc(5). */
enum {
	F_START_CODE = 26, F_END_CODE = 27, F_START_STACK = 28, F_START_DATA = 45,
	F_END_DATA = 46, F_START_BRK = 47, F_ARG_START = 48, F_ARG_END = 49,
	F_ENV_START = 50, F_ENV_END = 51, F_LAST = 51,
};

static int read_stat(unsigned long *f)
{
	char buf[2048], *p, *end;
	ssize_t n;
	int fd = openat(AT_FDCWD, "/proc/self/stat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	/* comm (field 2) may hold spaces and parentheses: count from its end. */
	p = strrchr(buf, ')');
	if (!p)
		return -EIO;
	p++;
	for (int i = 3; i <= F_LAST; i++) {
		while (*p == ' ')
			p++;
		if (i == 3) { /* state: a letter */
			p++;
			continue;
		}
		f[i] = strtoul(p, &end, 10);
		if (end == p)
			return -EIO;
		p = end;
	}
	return 0;
}

/* Started by the launcher (build/k23), the kernel set the fields from the
 * launcher's one segment, the core's text pages [lo, hi) that hold it
 * (scripts/mklauncher.c: code and data both), and its break, asked before
 * anything could move it (launched.c); the environment's strings lie from
 * the end of the arguments' (arg_end, the kernel's: the program's are their
 * tail) to the name the image was executed by (AT_EXECFN), which the kernel
 * copies right above them. Saves opening, reading and closing
 * /proc/self/stat (~7 us on the reference VM) in every image. */
static int launched_fields(unsigned long *f, unsigned long arg_start, unsigned long arg_end,
			   unsigned long start_stack)
{
	unsigned long lo = (unsigned long)k23_launcher_start & ~4095UL;
	unsigned long hi = ((unsigned long)k23_launcher_end + 1 + 4095UL) & ~4095UL;
	unsigned long fn = getauxval(AT_EXECFN), brk = k23_launched_brk();

	if (!brk || !fn || !arg_start || arg_end <= arg_start || fn < arg_end || !start_stack)
		return -1;
	f[F_ARG_START] = arg_start, f[F_ARG_END] = arg_end, f[F_START_STACK] = start_stack;
	f[F_START_CODE] = f[F_START_DATA] = lo;
	f[F_END_CODE] = f[F_END_DATA] = hi;
	f[F_START_BRK] = brk;
	f[F_ENV_START] = arg_end;
	f[F_ENV_END] = fn;
	return 0;
}

static int set_map(struct prctl_mm_map *m)
{
	return prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)m, sizeof(*m), 0) == 0 ? 0 : -errno;
}

int k23_mm_record(unsigned long arg_start, unsigned long arg_end, unsigned long start_stack,
		  const unsigned long *auxv, size_t auxv_words, int exe_fd, int *exe_moved)
{
	/* Known once per image: none of the fields taken from here change
	 * between two calls (the first wrote them back as it found them; brk
	 * is asked anew). */
	static unsigned long f[F_LAST + 1];
	static int have;
	struct prctl_mm_map m;
	int r = have || !launched_fields(f, arg_start, arg_end, start_stack) ? 0 : read_stat(f);

	if (exe_moved)
		*exe_moved = 0;
	if (r)
		return r;
	have = 1;
	/* Zeros mean the fields were hidden from us: nothing sane to write. */
	if (!f[F_START_CODE] || !f[F_ARG_START] || !f[F_ENV_END])
		return -EPERM;
	memset(&m, 0, sizeof(m));
	m.start_code = f[F_START_CODE];
	m.end_code = f[F_END_CODE];
	m.start_data = f[F_START_DATA];
	m.end_data = f[F_END_DATA];
	m.start_brk = f[F_START_BRK];
	m.brk = (unsigned long)syscall(SYS_brk, 0);
	m.start_stack = start_stack ? start_stack : f[F_START_STACK];
	m.arg_start = arg_start ? arg_start : f[F_ARG_START];
	m.arg_end = arg_end ? arg_end : f[F_ARG_END];
	m.env_start = f[F_ENV_START];
	m.env_end = f[F_ENV_END];
	/* The exe link moves only if nothing maps the old file any more
	 * (selfcopy.c) and the caller may (CAP_CHECKPOINT_RESTORE); else
	 * the rest is written without it. */
	m.exe_fd = exe_fd >= 0 ? (uint32_t)exe_fd : (uint32_t)-1;
	/* The kernel keeps a fixed-size copy and refuses a longer vector
	 * (EINVAL): then it stays as it was and the rest is written. */
	if (auxv) {
		m.auxv = (void *)(unsigned long)auxv; /* __u64 * or uint64_t *, by libc */
		m.auxv_size = (uint32_t)(auxv_words * sizeof(unsigned long));
	}
	r = set_map(&m);
	if (r && exe_fd >= 0) {
		m.exe_fd = (uint32_t)-1;
		r = set_map(&m);
	}
	if (r && auxv) {
		m.auxv = 0;
		m.auxv_size = 0;
		r = set_map(&m);
	}
	if (!r && exe_moved)
		*exe_moved = (int)m.exe_fd >= 0;
	return r;
}
