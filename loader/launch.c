/* launch.c - loader stage 1: map the program and its interpreter, prepare k23_rt and the stack.
 *
 * Contract: runs in k23's own process image with k23's static libc, before
 * any of the program's code exists in memory. Everything stage 2 (handoff.c)
 * needs is in k23_rt or in struct k23_handoff, both outside the stack.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stddef.h>
#include "log.h"
#include "online/core/rt.h"
#include "online/patch/page0.h"
#include "online/guard/fdguard.h"
#include "online/core/thread.h"
#include "online/policy/policy.h"
#include "handoff.h"
#include "launch.h"
#include "launcher.h"
#include "map.h"
#include "mm_record.h"
#include "selfcopy.h"
#include "stack.h"

void k23_launch_from_main(struct k23_launch *l, int argc, char **argv, char **envp)
{
	char **e = envp;

	while (*e)
		e++;
	l->envp = envp;
	l->auxv = (const unsigned long *)(e + 1);
	l->arg_start = (unsigned long)argv[0];
	l->arg_end = (unsigned long)argv[argc - 1] + strlen(argv[argc - 1]) + 1;
	l->must_record = 0;
}

/* k23's executable segment: what SUD exempts and the seccomp filter allows. */
static int find_own_text(unsigned long *start, unsigned long *end)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM);

	for (unsigned long i = 0; ph && i < n; i++) {
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && ph[i].p_filesz)
			k23_rt.self_base = ph[i].p_vaddr; /* the ELF header, mapped (not the cold bss: no file bytes) */
	}
	for (unsigned long i = 0; ph && i < n; i++) {
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X)) {
			*start = ph[i].p_vaddr;
			*end = ph[i].p_vaddr + ph[i].p_memsz;
			return 0;
		}
	}
	return -1;
}

/* Once per image (k23 run asks before a policy is installed, the loader
 * again): the link names k23's file until record_image moves it. */
static int self_known;

void k23_self_known(unsigned long dev, unsigned long ino, unsigned long size)
{
	k23_rt.self_dev = dev;
	k23_rt.self_ino = ino;
	k23_rt.self_size = size;
	self_known = 1;
}

int k23_find_self(void)
{
	static int found;
	ssize_t n;
	struct stat st;

	if (found)
		return 0;
	/* Known already when the launcher or the previous image said (launched.c, handover.c). */
	n = k23_rt.self_exe[0] ? (ssize_t)strlen(k23_rt.self_exe)
			       : readlink("/proc/self/exe", k23_rt.self_exe, sizeof(k23_rt.self_exe) - 1);

	/* Before the exe link moves (selfcopy.c), it names k23's own file;
	 * the previous image may have said what that is (handover.c). */
	if (!self_known && stat("/proc/self/exe", &st) == 0) {
		k23_rt.self_dev = st.st_dev;
		k23_rt.self_ino = st.st_ino;
		k23_rt.self_size = (unsigned long)st.st_size;
	}

	if (n <= 0) {
		const char *fn = (const char *)getauxval(AT_EXECFN);

		if (!fn || strlen(fn) >= sizeof(k23_rt.self_exe))
			return k23_fail(127, "cannot find k23's own executable");
		strcpy(k23_rt.self_exe, fn);
	} else {
		k23_rt.self_exe[n] = 0;
	}
	found = 1;
	return 0;
}

/* What /proc/self/exe would name: the file actually loaded. */
static void find_program_path(const struct k23_target *t)
{
	char proc[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", t->fd);
	n = readlink(proc, k23_rt.exe_path, sizeof(k23_rt.exe_path) - 1);
	if (n > 0 && k23_rt.exe_path[0] == '/') {
		k23_rt.exe_path[n] = 0;
		return;
	}
	if (!realpath(t->path, k23_rt.exe_path))
		k23_rt.exe_path[0] = 0;
}

/* Which executable this image is: before the runtime attaches, whose
 * libraries: bundle (online/virtual/vlib.c) depends on it. Its path is
 * asked for only where something reads it (find_program_path's callers). */
static void find_program(const struct k23_target *t)
{
	/* The fstat that went with the headers' read (target.c): a
	 * descriptor's device and inode never change. */
	k23_rt.exe_dev = t->elf.st.st_dev;
	k23_rt.exe_ino = t->elf.st.st_ino;
}

static int fill_rt(void)
{
	if (find_own_text(&k23_rt.text_start, &k23_rt.text_end))
		return k23_fail(127, "cannot find k23's own text segment");
	return k23_find_self();
}

/* The kernel's record of the image: arguments, auxv and start of the stack
 * the program's (without the prctl they keep describing k23), and the exe
 * link the program's file where k23 may move it (selfcopy.c). */
static int record_image(const struct k23_target *t, const struct k23_launch *l,
			const struct k23_stack_image *si)
{
	int exe_fd = -1, r;

	k23_rt.exe_moved = 0;
	if (k23_launched_core_fd() >= 0) {
		/* Nothing maps the launcher's file; k23_selfcopy keeps the core's
		 * data bytes, for rebuilding k23-core from memory should its file
		 * be out of reach at an execve (online/process/reexec.c). The
		 * link moves where the kernel lets it: its own check is the one
		 * capget would predict (CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE
		 * in the caller's namespace), and a refusal is answered by the
		 * record without the link (mm_record.c), one call either way. */
		if (k23_selfcopy() == 0)
			exe_fd = t->fd;
	} else if (k23_selfcopy_allowed() && k23_selfcopy() == 0) {
		exe_fd = t->fd;
	}
	r = k23_mm_record(l->arg_start, l->arg_end, si->dest,
			  (const unsigned long *)(si->buf + (si->auxv - si->dest)), si->auxv_words,
			  exe_fd, &k23_rt.exe_moved);
	/* Where the link moved, the kernel answers for /proc/self/exe; where
	 * it stays k23's, the views of it (online/views/selfview.c,
	 * online/process/exec_self.c) need the program's path. */
	if (!r && !k23_rt.exe_moved && !k23_rt.exe_path[0])
		find_program_path(t);
	return r;
}

struct k23_elf k23_interp_elf;
int k23_interp_fd = -1;

void k23_interp_release(void)
{
	if (k23_interp_fd >= 0)
		close(k23_interp_fd);
	k23_interp_fd = -1;
}

static int map_interp(const struct k23_target *t, struct k23_image *img, int *has)
{
	char path[PATH_MAX];
	struct k23_elf *e = &k23_interp_elf;
	enum k23_elf_err err;
	int fd, r = k23_elf_interp(t->fd, &t->elf, path, sizeof(path));

	*has = r == 1;
	if (r <= 0)
		return r ? k23_fail(126, "%s: bad PT_INTERP", t->path) : 0;
	/* Opened and read already by k23 run's sidecar check, from this
	 * program's PT_INTERP (cli/autoprep.c): four calls fewer. */
	fd = k23_interp_fd;
	k23_interp_fd = -1;
	if (fd < 0) {
		fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return k23_fail(errno == ENOENT ? 127 : 126, "%s: interpreter %s: %s", t->path,
					path, strerror(errno));
		err = k23_elf_read(fd, e);
		if (err)
			return k23_fail(126, "%s: interpreter %s: %s", t->path, path,
					k23_elf_strerror(err, e));
	}
	r = k23_map_elf(fd, path, e, img);
	close(fd);
	return r;
}

/* k23's own libc may have registered this thread's rseq area (glibc 2.35
 * does; musl does not, and lacks these symbols: weak); the kernel allows one
 * per thread, and the program's libc must be able to register its own. */
extern const unsigned int __rseq_size __attribute__((weak));
extern const ptrdiff_t __rseq_offset __attribute__((weak));
#define RSEQ_SIG_X86 0x53053053
#define RSEQ_AREA_LEN 32

static void release_own_rseq(void)
{
	if (&__rseq_size && __rseq_size)
		syscall(SYS_rseq, (char *)__builtin_thread_pointer() + __rseq_offset, RSEQ_AREA_LEN,
			1 /* RSEQ_FLAG_UNREGISTER */, RSEQ_SIG_X86);
}

/* A SIGSYS blocked when this image started (by whoever executed k23, or
 * by the previous image for the program: online/process/exec.c) is the program's:
 * the runtime keeps that bit in its view, and stage 2 unblocks the
 * kernel's, which k23's traps need. */
static void take_sigsys_view(void)
{
	unsigned long m; /* the kernel's sigset: bit n-1 for signal n */

	if (syscall(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, NULL, &m, sizeof(m)) == 0 &&
	    (m & K23_SIGBIT(31 /* SIGSYS */)))
		k23_sigview_set(NULL, 1);
}

int k23_launch(struct k23_target *t, const struct k23_launch *l)
{
	struct k23_image prog, interp;
	struct k23_stack_image si;
	struct k23_handoff h;
	int has_interp, r;

	find_program(t);
	/* Before mapping: patching at load counts into --stats. */
	r = (int)k23_rt_attach_tool();
	if (r)
		return k23_fail(126, "cannot map the shared counters or the policy: %s", strerror(-r));
	if (k23_rt.patch == K23_PATCH_PAGE0 && k23_page0_setup() != 0) {
		k23_fail(0, "page 0 cannot be mapped (vm.mmap_min_addr, or not root): "
			 "--patch=page0 falls back to stubs");
		k23_rt.patch = K23_PATCH_STUB;
	}
	r = k23_map_elf(t->fd, t->path, &t->elf, &prog);
	if (!r)
		r = map_interp(t, &interp, &has_interp);
	if (!r)
		r = fill_rt();
	if (r)
		return r;
	if (k23_pol_on)
		find_program_path(t); /* a policy's scopes and its log name it */
	k23_policy_bind_image(); /* scope: rules for this executable */
	if (k23_stack_build(&si, l->arg_start, l->arg_end, t->argv, l->envp, l->auxv, &prog,
			    has_interp ? &interp : NULL, t->execfn))
		return k23_fail(126, "%s: cannot build the initial stack", t->path);
	/* k23 run's own process: asked here, not before the mapping (one
	 * prctl, not two); a refusal leaves the mappings made, which the
	 * caller's re-execution replaces. */
	if (record_image(t, l, &si) && l->must_record)
		return -1;
	k23_launched_release();
	close(t->fd);
	/* What the kernel would name the process (ps, /proc/self/comm). */
	prctl(PR_SET_NAME, t->comm, 0, 0, 0);
	release_own_rseq();
	k23_fd_room_end(&k23_fd_start_room); /* the program's own descriptor limit */
	take_sigsys_view();
	h.stack = si.buf;
	h.stack_size = si.size;
	h.sp = si.dest;
	h.entry = has_interp ? interp.entry : prog.entry;
	k23_handoff(&h);
}
