/* prepare.c - `k23 prepare`: resolve a program's closure, scan each object, write one sidecar per object.
 *
 * Each object is prepared in a forked worker (up to one per CPU). Besides
 * the parallelism this isolates the parent from the decoders: an object that
 * crashes or exhausts a worker is reported as failed, the others go on, and
 * since a sidecar only appears by rename once complete, nothing half-written
 * is ever left in the cache. All output is the parent's, so lines never mix.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "elf_dyn.h"
#include "log.h"
#include "offline.h"
#include "scan.h"
#include "online/sidecar/sidecar_stamp.h"
#include "online/sidecar/sidecar_want.h"
#include "rt/shebang.h"
#include "loader/target.h"

#define MAX_JOBS 16
#define WORKER_SECONDS 900	/* per object; the largest here (libLLVM, 110 MB) takes ~5 s */

/* What a worker reports through its pipe: one write, well under PIPE_BUF. */
struct result {
	int failed;
	int up_to_date;
	int busy;		/* --background: another k23 prepare holds the object's lock */
	uint32_t sites, verified, disagree, planned;
	char msg[1536];		/* error, or warnings, one per line */
};

struct job {
	const char *path;
	off_t size;
	pid_t pid;
	int fd;
	struct result r;
};

static void note(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct result *r, const char *fmt, ...)
{
	size_t len = strlen(r->msg);
	va_list ap;

	if (len + 2 >= sizeof(r->msg))
		return;
	if (len)
		r->msg[len++] = '\n';
	va_start(ap, fmt);
	vsnprintf(r->msg + len, sizeof(r->msg) - len, fmt, ap);
	va_end(ap);
}

/* --- scanning one object ----------------------------------------------------- */

static void to_record(const struct k23_site *s, struct k23_sidecar_site *r)
{
	memset(r, 0, sizeof(*r));
	r->vaddr = s->vaddr;
	r->kind = s->kind;
	r->verify = s->verify;
	r->in_function = s->in_function ? 1 : 0;
	r->strategy = s->strategy;
	r->flags = K23_SC_F_STATIC;
	if (s->strategy == K23_PLAN_NONE)
		return;
	r->patch_vaddr = s->patch_vaddr;
	r->patch_len = s->patch_len;
	r->ninsns = s->ninsns;
	r->site_index = s->site_index;
	r->rip_relative_mask = s->rip_relative_mask;
	memcpy(r->orig, s->orig, s->patch_len <= K23_SIDECAR_ORIG_MAX ? s->patch_len : 0);
	for (unsigned i = 0; i < s->ninsns && i < K23_SIDECAR_INSNS_MAX; i++) {
		r->insn_len[i] = s->insn_len[i];
		if (s->rip_relative_mask & (1u << i))
			r->disp_offset[i] = s->disp_offset[i];
	}
}

/* Adds the scan's sites; a plan the sidecar reader would reject is dropped
 * (the site stays, catch-all only): better unpatched than trusted wrongly. */
static int add_sites(struct k23_sidecar *sc, const struct k23_scan_result *res, struct result *r)
{
	for (size_t i = 0; i < res->nsites; i++) {
		struct k23_sidecar_site rec;
		const char *reason = res->sites[i].reason, *bad;

		to_record(&res->sites[i], &rec);
		bad = k23_sidecar_check_site(&rec);
		if (bad && rec.strategy != K23_SC_PLAN_NONE) {
			note(r, "warning: site 0x%llx: patch plan dropped: %s",
			     (unsigned long long)rec.vaddr, bad);
			struct k23_site none = res->sites[i];

			none.strategy = K23_PLAN_NONE;
			to_record(&none, &rec);
			reason = "the scanner's patch plan failed the sidecar checks";
			bad = k23_sidecar_check_site(&rec);
		}
		if (bad) {
			note(r, "warning: site 0x%llx left out: %s", (unsigned long long)rec.vaddr, bad);
			continue;
		}
		if (sc->nsites && rec.vaddr <= sc->sites[sc->nsites - 1].rec.vaddr) {
			note(r, "warning: site 0x%llx left out: out of order", (unsigned long long)rec.vaddr);
			continue;
		}
		if (k23_sidecar_add(sc, &rec, reason))
			return -1;
	}
	return 0;
}

/* Anchors and landing pads, sorted and unique, for the scanner. */
static uint64_t *merge_anchors(uint64_t *a, size_t na, const uint64_t *b, size_t nb, size_t *n)
{
	uint64_t *v = malloc((na + nb + 1) * sizeof(*v));
	size_t i = 0, k = 0, m = 0;

	if (!v)
		return NULL;
	while (i < na || k < nb) {
		uint64_t x = k == nb || (i < na && a[i] <= b[k]) ? a[i++] : b[k++];

		if (!m || v[m - 1] != x)
			v[m++] = x;
	}
	*n = m;
	return v;
}

static int scan_object(const struct k23_elf_obj *o, struct k23_sidecar *sc, struct result *r)
{
	struct k23_elf_range *ranges = NULL;
	uint64_t *pads = NULL, *anchors = NULL, *entries = NULL;
	size_t nranges = 0, npads = 0, nanchors = 0, nentries = 0;
	const char *why = "";
	int rc = -1;

	/* Without .eh_frame ranges the scanner plans nothing: safe, slower. */
	if (k23_elf_func_ranges(o, &ranges, &nranges, &pads, &npads, &why) != 0)
		note(r, "warning: .eh_frame unusable (%s): no function ranges, no patch plans", why);
	if (k23_elf_code_anchors(o, &anchors, &nanchors, &why) != 0)
		note(r, "warning: %s: code anchors incomplete", why);
	entries = merge_anchors(anchors, nanchors, pads, npads, &nentries);
	if (!entries)
		goto out;
	_Static_assert(sizeof(struct k23_elf_range) == sizeof(struct k23_func_range),
		       "function ranges are passed to the scanner as they are");
	sc->nfuncs = (uint32_t)nranges;
	sc->nanchors = (uint32_t)nentries;
	for (unsigned i = 0; i < o->e.phnum; i++) {
		const Elf64_Phdr *p = &o->e.ph[i];
		struct k23_scan_result res = { 0 };
		struct k23_code code;
		size_t lo = 0, hi;

		if (p->p_type != PT_LOAD || !(p->p_flags & PF_X) || !p->p_filesz)
			continue;
		while (lo < nentries && entries[lo] < p->p_vaddr)
			lo++;
		for (hi = lo; hi < nentries && entries[hi] < p->p_vaddr + p->p_filesz; hi++)
			;
		code = (struct k23_code){ o->data + p->p_offset, p->p_filesz, p->p_vaddr,
					  entries + lo, hi - lo };
		if (k23_scan(&code, (const struct k23_func_range *)ranges, nranges, &res) != 0)
			goto out;
		sc->skipped_in_data += (uint32_t)res.skipped_in_data;
		sc->skipped_unreached += (uint32_t)res.skipped_unreached;
		if (add_sites(sc, &res, r)) {
			k23_scan_free(&res);
			goto out;
		}
		k23_scan_free(&res);
	}
	rc = 0;
out:
	free(ranges);
	free(pads);
	free(anchors);
	free(entries);
	return rc;
}

static void count(const struct k23_sidecar *sc, struct result *r)
{
	r->sites = (uint32_t)sc->nsites;
	for (size_t i = 0; i < sc->nsites; i++) {
		const struct k23_sidecar_site *s = &sc->sites[i].rec;

		r->verified += s->verify == K23_SC_VERIFIED;
		r->disagree += s->verify == K23_SC_DISAGREE;
		r->planned += s->strategy != K23_SC_PLAN_NONE;
	}
}

/* Sites a --record run saw in the previous sidecar of the same object. */
static int keep_observed(struct k23_sidecar *sc, const struct k23_sidecar *old, struct result *r)
{
	struct k23_observed *obs = malloc((old->nsites + 1) * sizeof(*obs));
	size_t n = 0, unknown;
	int rc;

	if (!obs)
		return -1;
	for (size_t i = 0; i < old->nsites; i++)
		if (old->sites[i].rec.flags & K23_SC_F_OBSERVED)
			obs[n++] = (struct k23_observed){ old->sites[i].rec.vaddr, old->sites[i].rec.kind };
	rc = k23_sidecar_merge_observed(sc, obs, n, &unknown);
	free(obs);
	if (!rc && unknown)
		note(r, "warning: %zu site(s) recorded at run time are not found by the static scan",
		     unknown);
	return rc;
}

/* The object was just hashed: record that for the runtime, so the first
 * `k23 run` does not hash it again (online/sidecar/sidecar_stamp.c; a 1 GB object
 * takes a second). */
static void stamp(const char *cache, const struct k23_elf_obj *o, const struct k23_sidecar_ident *id)
{
	struct k23_stamp_file f = {
		(uint64_t)o->st.st_dev, (uint64_t)o->st.st_ino, (uint64_t)o->st.st_size,
		(uint64_t)o->st.st_mtim.tv_sec, (uint64_t)o->st.st_mtim.tv_nsec,
		(uint64_t)o->st.st_ctim.tv_sec, (uint64_t)o->st.st_ctim.tv_nsec,
	};

	if (id->build_id_len) /* the runtime finds sidecars by build-id only */
		k23_stamp_record(cache, id->build_id, id->build_id_len, &f, id->hash);
}

/* Set by --background: an object another k23 prepare is working on is
 * left to it rather than waited for. */
static int background;

/* Takes "<cache>/<sidecar name without .k23>.lock" (lpath) exclusively
 * (waiting, or not under --background): the descriptor, -2 when another
 * k23 prepare holds it under --background, -1 when it cannot be made (then
 * the object is prepared unlocked: the writes are atomic anyway, only work
 * may be done twice). The file exists only while it is held: unlock_object
 * removes it before letting go, so a taker that opened it before then
 * finds, once it has the lock, that the path is gone or another file, and
 * starts again. */
static int lock_object(const char *spath, char *lpath, size_t size)
{
	size_t n = strlen(spath) - strlen(K23_SIDECAR_SUFFIX);
	struct stat a, b;
	int fd;

	if (snprintf(lpath, size, "%.*s.lock", (int)n, spath) >= (int)size)
		return -1;
	for (;;) {
		fd = open(lpath, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0644);
		if (fd < 0)
			return -1;
		/* k23's locks are empty files: anything else there is not
		 * k23's to remove */
		if (fstat(fd, &a) != 0 || !S_ISREG(a.st_mode) || a.st_size != 0) {
			close(fd);
			return -1;
		}
		while (flock(fd, LOCK_EX | (background ? LOCK_NB : 0)) != 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return errno == EWOULDBLOCK ? -2 : -1;
		}
		if (fstat(fd, &a) == 0 && stat(lpath, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
}

static void unlock_object(int fd, const char *lpath)
{
	if (fd < 0)
		return;
	unlink(lpath);
	close(fd);
}

static void prepare_one(const char *path, const char *cache, uint64_t producer, struct result *r)
{
	struct k23_elf_obj o;
	struct k23_sidecar_ident id;
	struct k23_sidecar sc, old;
	enum k23_elf_err err = k23_elf_load(path, &o);
	enum k23_sc_status st;
	char spath[PATH_MAX], lpath[PATH_MAX];
	const char *why;
	int lfd = -1;

	r->failed = 1;
	if (err) {
		note(r, "%s", err == K23_ELF_IO ? strerror(errno) : k23_elf_strerror(err, &o.e));
		return;
	}
	k23_object_ident(&o, &id);
	k23_sidecar_init(&sc);
	if (k23_sidecar_path(cache, &id, spath, sizeof(spath))) {
		note(r, "sidecar path too long");
		goto out;
	}
	/* One k23 prepare per object at a time: concurrent runs and prepares
	 * share the cache. Checked for being up to date under the lock. */
	if ((lfd = lock_object(spath, lpath, sizeof(lpath))) == -2) {
		r->failed = 0;
		r->busy = 1;
		goto out;
	}
	st = k23_sidecar_load(spath, &old, &why);
	if (st == K23_SC_OK && k23_sidecar_matches(&old, &id) && old.producer_hash == producer) {
		r->failed = 0;
		r->up_to_date = 1;
		count(&old, r);
		k23_sidecar_free(&old);
		stamp(cache, &o, &id);
		goto out;
	}
	if (st == K23_SC_CORRUPT)
		note(r, "warning: replacing corrupt sidecar %s (%s)", spath, why);
	sc.obj = id;
	sc.producer_hash = producer;
	/* Absolute, so `k23 cache verify` finds the object from anywhere. */
	char cwd[PATH_MAX], abs[2 * PATH_MAX + 2];

	if (path[0] != '/' && getcwd(cwd, sizeof(cwd)))
		snprintf(abs, sizeof(abs), "%s/%s", cwd, path[0] == '.' && path[1] == '/' ? path + 2 : path);
	else
		snprintf(abs, sizeof(abs), "%s", path);
	if (k23_sidecar_set_path(&sc, abs) || scan_object(&o, &sc, r) ||
	    (st == K23_SC_OK && k23_sidecar_matches(&old, &id) && keep_observed(&sc, &old, r))) {
		note(r, "out of memory");
		k23_sidecar_free(&old);
		goto out;
	}
	k23_sidecar_free(&old);
	st = k23_sidecar_store(cache, strrchr(spath, '/') + 1, &sc, &why);
	if (st != K23_SC_OK) {
		note(r, "cannot write sidecar %s: %s", spath, st == K23_SC_IO ? strerror(errno) : why);
		goto out;
	}
	r->failed = 0;
	count(&sc, r);
	stamp(cache, &o, &id);
out:
	unlock_object(lfd, lpath);
	k23_sidecar_free(&sc);
	k23_elf_unload(&o);
}

/* --- workers ---------------------------------------------------------------- */

static int start(struct job *j, const char *cache, uint64_t producer)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	fflush(NULL);
	j->pid = fork();
	if (j->pid < 0) {
		j->pid = 0;
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (j->pid == 0) {
		struct result r;

		memset(&r, 0, sizeof(r));
		close(fds[0]);
		alarm(WORKER_SECONDS);	/* a scan that never ends fails, not hangs */
		prepare_one(j->path, cache, producer, &r);
		_exit(write(fds[1], &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
	}
	close(fds[1]);
	j->fd = fds[0];
	return 0;
}

/* Collects the job whose worker exited with status st. */
static void finish(struct job *j, int st)
{
	ssize_t n = read(j->fd, &j->r, sizeof(j->r));

	close(j->fd);
	j->pid = 0;
	if (n == (ssize_t)sizeof(j->r))
		return;
	memset(&j->r, 0, sizeof(j->r));
	j->r.failed = 1;
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		note(&j->r, "the scan took longer than %d s; no sidecar written", WORKER_SECONDS);
	else if (WIFSIGNALED(st))
		note(&j->r, "the scan crashed (%s); no sidecar written", strsignal(WTERMSIG(st)));
	else
		note(&j->r, "the scan ended without a result (exit status %d)", WEXITSTATUS(st));
}

static void report(const struct job *j, size_t done, size_t n, int progress)
{
	const char *m = j->r.msg;

	while (*m) {
		const char *nl = strchrnul(m, '\n');

		fprintf(stderr, "k23: %s: %.*s\n", j->path, (int)(nl - m), m);
		m = *nl ? nl + 1 : nl;
	}
	if (!progress || j->r.failed)
		return;
	if (j->r.busy)
		fprintf(stderr, "k23: [%zu/%zu] %s: being prepared by another k23 prepare\n", done, n,
			j->path);
	else if (j->r.up_to_date)
		fprintf(stderr, "k23: [%zu/%zu] %s: up to date (%u sites)\n", done, n, j->path, j->r.sites);
	else
		fprintf(stderr, "k23: [%zu/%zu] %s: %u sites (%u verified, %u disagreements, %u planned)\n",
			done, n, j->path, j->r.sites, j->r.verified, j->r.disagree, j->r.planned);
}

static int jobs_limit(void)
{
	const char *e = getenv("K23_JOBS");
	long n = e && *e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
}

static int by_size(const void *a, const void *b)
{
	const struct job *x = a, *y = b;

	return x->size > y->size ? -1 : x->size < y->size;
}

/* Runs every job, biggest objects first so the longest scans overlap. */
static void run_jobs(struct job *v, size_t n, const char *cache, uint64_t producer, int progress)
{
	size_t next = 0, running = 0, done = 0;
	int limit = jobs_limit(), st;
	pid_t pid;

	qsort(v, n, sizeof(*v), by_size);
	while (done < n) {
		while (next < n && running < (size_t)limit) {
			if (start(&v[next], cache, producer) == 0) {
				next++;
				running++;
				continue;
			}
			if (running)
				break;	/* try again when a worker is done */
			v[next].r.failed = 1;
			note(&v[next].r, "cannot start a worker: %s", strerror(errno));
			report(&v[next++], ++done, n, progress);
		}
		if (!running)
			continue;
		pid = waitpid(-1, &st, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		for (size_t i = 0; i < next; i++) {
			if (v[i].pid != pid)
				continue;
			finish(&v[i], st);
			running--;
			report(&v[i], ++done, n, progress);
		}
	}
	for (size_t i = 0; i < n; i++) {	/* only if waitpid failed */
		if (i < next && !v[i].pid)
			continue;
		v[i].r.failed = 1;
		note(&v[i].r, "its worker was lost");
		report(&v[i], ++done, n, progress);
	}
}

/* --- the command ------------------------------------------------------------ */

/* A hash of this program's own binary: sidecars written by another build of
 * the scanner are prepared again. */
static uint64_t producer_hash(void)
{
	struct k23_elf_obj self;
	uint64_t h = 0;

	if (k23_elf_load("/proc/self/exe", &self) == K23_ELF_OK)
		h = self.hash;
	k23_elf_unload(&self);
	return h;
}

static int usage_error(const char *what)
{
	return k23_fail(2, "prepare: %s (usage: k23 prepare [--cache DIR] [--policy FILE] [--quiet] PROG)",
			what);
}

/* PROG must itself be a usable ELF file: the shell's 126 otherwise. */
static int check_program(const char *path)
{
	struct k23_elf e;
	enum k23_elf_err err;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return k23_fail(errno == ENOENT ? 127 : 126, "%s: %s", path, strerror(errno));
	err = k23_elf_read(fd, &e);
	close(fd);
	if (err == K23_ELF_IO)
		return k23_fail(126, "%s: %s", path, strerror(errno));
	if (err)
		return k23_fail(126, "%s: %s", path, k23_elf_strerror(err, &e));
	return 0;
}

/* A #! script is prepared as `k23 run` runs it, as the kernel would: its
 * interpreter (and that one's, up to the kernel's nesting) is the program
 * whose closure is prepared. path is replaced by the interpreter's. */
static int follow_script(char *path, size_t size, int quiet)
{
	char head[K23_SHEBANG_BUF + 1];
	struct k23_shebang sb;

	for (int depth = 0;; depth++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n;

		if (fd < 0)
			return 0;	/* check_program reports it */
		n = pread(fd, head, K23_SHEBANG_BUF, 0);
		close(fd);
		if (n < 2 || head[0] != '#' || head[1] != '!')
			return 0;
		head[n] = 0;
		if (depth >= K23_MAX_SCRIPT_DEPTH)
			return k23_fail(126, "%s: too many levels of #! interpreters", path);
		if (k23_shebang_parse(&sb, head, n) != 0)
			return k23_fail(126, "%s: cannot execute: Exec format error (bad #! line)", path);
		if (!quiet)
			fprintf(stderr, "k23: %s: a #! script: preparing its interpreter %s\n", path,
				sb.interp);
		if (strlen(sb.interp) >= size)
			return k23_fail(126, "%s: interpreter name too long", path);
		memmove(path, sb.interp, strlen(sb.interp) + 1);
	}
}

static int open_cache(const char *opt, char *dir, size_t size)
{
	const char *why;

	if (k23_sidecar_cache_dir(opt, dir, size, &why) != 0)
		return k23_fail(1, "%s", why);
	char probe[PATH_MAX + 32];
	int fd;

	if (k23_mkdir_p(dir) != 0)
		return k23_fail(1, "cannot create cache directory %s: %s", dir, strerror(errno));
	/* Try what the workers will do (permissions alone do not tell: root,
	 * read-only mounts), so an unwritable cache is one error, up front. */
	snprintf(probe, sizeof(probe), "%s/.k23-probe.XXXXXX", dir);
	fd = mkstemp(probe);
	if (fd < 0)
		return k23_fail(1, "cache directory %s is not writable: %s", dir, strerror(errno));
	close(fd);
	unlink(probe);
	/* Absolute from here on: messages name it unambiguously. */
	if (realpath(dir, probe) && strlen(probe) < size)
		strcpy(dir, probe);
	return 0;
}

/* Every k23 prepare holds a shared lock on the cache directory itself while
 * it works (a lock file would be one more file in the cache); `k23 cache
 * prune` takes it exclusively to remove locks and leftovers. Waited for,
 * or under --background given up on: 0 or -1. Kept open (and locked)
 * until the command exits. */
static int lock_cache(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return background ? -1 : 0;	/* unlocked, as before locks */
	while (flock(fd, LOCK_SH | (background ? LOCK_NB : 0)) != 0)
		if (errno != EINTR)
			return background ? -1 : 0;
	return 0;
}

struct opts {
	const char *cache, *policy, *prog;
	int quiet, wanted;
	char **record;
};

static int parse(int argc, char **argv, struct opts *o)
{
	int i, want_record = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
			o->quiet = 1;
		} else if (!strcmp(argv[i], "--cache")) {
			if (++i == argc)
				return usage_error("--cache needs a directory");
			o->cache = argv[i];
		} else if (!strncmp(argv[i], "--cache=", 8)) {
			o->cache = argv[i] + 8;
		} else if (!strcmp(argv[i], "--policy")) {
			if (++i == argc)
				return usage_error("--policy needs a policy file");
			o->policy = argv[i];
		} else if (!strncmp(argv[i], "--policy=", 9)) {
			o->policy = argv[i] + 9;
		} else if (!strcmp(argv[i], "--record")) {
			want_record = 1;
		} else if (!strcmp(argv[i], "--background")) {
			background = 1;	/* k23 run's preparer (cli/autoprep.c) */
		} else if (!strcmp(argv[i], "--wanted")) {
			o->wanted = 1;	/* the runtime's want markers, no PROG */
		} else {
			return usage_error("unknown option");
		}
	}
	if (o->wanted)
		return i == argc && !want_record ? 0 : usage_error("--wanted takes no program");
	if (i == argc)
		return usage_error("no program named");
	if (want_record && strcmp(argv[i - 1], "--") != 0)
		return usage_error("--record runs the program: k23 prepare --record -- PROG [ARGS...]");
	if (!want_record && i + 1 != argc)
		return usage_error("one program only (arguments are for --record)");
	o->prog = argv[i];
	o->record = want_record ? argv + i : NULL;
	return 0;
}

/* --- want markers ------------------------------------------------------------ */

/* The object a marker <dir>/want/<name> names, if it is still that object
 * (its build-id is the name): its path (malloc'd), else NULL. */
static char *wanted_object(int wfd, const char *name)
{
	char buf[8 + PATH_MAX], hex[2 * K23_SIDECAR_BUILD_ID_MAX + 1];
	uint8_t id[K23_SIDECAR_BUILD_ID_MAX];
	struct k23_elf e;
	int fd = openat(wfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY), n;
	ssize_t len;

	if (fd < 0)
		return NULL;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 8 || memcmp(buf, K23_WANT_MAGIC, 8) != 0)
		return NULL;
	buf[len] = 0;
	fd = open(buf + 8, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return NULL;
	n = k23_elf_read(fd, &e) == K23_ELF_OK ? k23_elf_build_id_fd(fd, &e, id, sizeof(id)) : -1;
	close(fd);
	if (n <= 0)
		return NULL;
	for (int i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	return strcmp(hex, name) ? NULL : strdup(buf + 8);
}

/* Jobs for the want markers of dir; *names gets each marker's name (for
 * removal once done), markers naming nothing preparable are removed now. */
static size_t want_jobs(const char *dir, struct job **v, char ***names)
{
	char path[PATH_MAX + 8];
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *w;

	*v = NULL;
	*names = NULL;
	snprintf(path, sizeof(path), "%s/want", dir);
	if (!(w = opendir(path)))
		return 0;
	while ((d = readdir(w))) {
		char *obj;
		struct stat st;

		if (d->d_name[0] == '.' || strspn(d->d_name, "0123456789abcdef") != strlen(d->d_name))
			continue;
		obj = wanted_object(dirfd(w), d->d_name);
		if (!obj) {
			unlinkat(dirfd(w), d->d_name, 0);
			continue;
		}
		if (n == cap) {
			size_t c = cap ? 2 * cap : 16;
			struct job *nv = realloc(*v, c * sizeof(**v));
			char **nn = nv ? realloc(*names, c * sizeof(**names)) : NULL;

			if (nv)
				*v = nv;
			if (!nv || !nn) {
				free(obj);
				break;
			}
			*names = nn;
			cap = c;
		}
		memset(&(*v)[n], 0, sizeof(**v));
		(*v)[n].path = obj;
		(*v)[n].size = stat(obj, &st) == 0 ? st.st_size : 0;
		(*names)[n] = strdup(d->d_name);
		n++;
	}
	closedir(w);
	return n;
}

/* `k23 prepare --wanted`: each object a want marker names, alone (its
 * libraries have markers of their own if they need one); each marker is
 * removed once its object was tried, so a failing object is not retried
 * by every run. */
static int prepare_wanted(const char *dir, int quiet)
{
	struct job *jobs;
	char **names, path[PATH_MAX + 8];
	size_t n = want_jobs(dir, &jobs, &names), bad = 0;

	signal(SIGPIPE, SIG_IGN);
	run_jobs(jobs, n, dir, producer_hash(), n > 1 && !quiet);
	for (size_t i = 0; i < n; i++) {
		bad += jobs[i].r.failed;
		if (!jobs[i].r.busy && names[i]) {
			snprintf(path, sizeof(path), "%s/want/%s", dir, names[i]);
			unlink(path);
		}
		free(names[i]);
		free((char *)jobs[i].path);
	}
	free(names);
	free(jobs);
	/* An empty want/ goes: every `k23 run` looks for markers, and a missing
	 * directory is one failed openat where an empty one is five calls
	 * (cli/autoprep.c). A marker written meanwhile keeps it (ENOTEMPTY);
	 * one whose runtime opened the directory just before is lost, and
	 * that runtime's next start marks its object again. */
	snprintf(path, sizeof(path), "%s/want", dir);
	rmdir(path);
	printf("k23 prepare: %zu wanted object%s (%zu failed); cache %s\n", n, n == 1 ? "" : "s", bad,
	       dir);
	return bad ? 1 : 0;
}

/* Objects of the closure that cannot be prepared: reported, and make the
 * command fail, but the others are still prepared. */
static size_t make_jobs(const struct k23_closure *c, struct job *v, size_t *failed)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct k23_dep *d = &c->v[i];
		struct stat st;

		if (!d->path || d->why) {
			const char *name = d->path ? d->path : d->name, *why = d->why ? d->why : "not found";

			if (d->preload && !d->path) {	/* ld.so ignores these too */
				fprintf(stderr, "k23: warning: preloaded %s: %s (ld.so ignores it)\n", name, why);
				continue;
			}
			if (d->interp)
				k23_fail(1, "%s (interpreter of %s): %s", name, c->v[0].path, why);
			else if (d->parent >= 0)
				k23_fail(1, "%s (needed by %s): %s", name, c->v[d->parent].path, why);
			else
				k23_fail(1, "%s: %s", name, why);
			++*failed;
			continue;
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].path = d->path;
		v[n].size = stat(d->path, &st) == 0 ? st.st_size : 0;
		n++;
	}
	return n;
}

int k23_prepare_main(int argc, char **argv)
{
	struct opts o = { 0 };
	const char *why;
	char path[PATH_MAX], dir[PATH_MAX], fails[32] = "";
	struct k23_ld_config cfg;
	struct k23_closure c;
	struct job *jobs;
	int rc;
	size_t n, fresh = 0, up = 0, bad = 0, failed = 0;
	struct result sum = { 0 };

	if ((rc = parse(argc, argv, &o)) != 0)
		return rc;
	if (o.wanted) {
		if ((rc = open_cache(o.cache, dir, sizeof(dir))) != 0)
			return rc;
		return lock_cache(dir) ? 0 : prepare_wanted(dir, o.quiet);
	}
	const char *prog = o.prog, *policy = o.policy;
	int quiet = o.quiet;
	char **record = o.record;

	rc = k23_find_program(prog, path, sizeof(path), &why);
	if (rc)
		return k23_fail(rc, "%s: %s", prog, why);
	if ((rc = follow_script(path, sizeof(path), quiet)) != 0 || (rc = check_program(path)) != 0 ||
	    (rc = open_cache(o.cache, dir, sizeof(dir))) != 0)
		return rc;
	if (lock_cache(dir))
		return 0;	/* --background, and `k23 cache prune` is at work */
	k23_ld_config_default(&cfg);
	/* libraries: the bundle's files are what an image of prog loads. */
	if (policy && (rc = k23_prepare_libs(policy, path, &cfg)) != 0)
		return rc;
	if (k23_closure_resolve(path, &cfg, &c) != 0) {
		rc = k23_fail(c.n ? 126 : 1, "%s: %s", path, c.n ? c.v[0].why : "out of memory");
		k23_closure_free(&c);
		return rc;
	}
	jobs = calloc(c.n, sizeof(*jobs));
	if (!jobs) {
		k23_closure_free(&c);
		return k23_fail(1, "out of memory");
	}
	n = make_jobs(&c, jobs, &failed);
	signal(SIGPIPE, SIG_IGN);
	run_jobs(jobs, n, dir, producer_hash(), n > 1 && !quiet);
	for (size_t i = 0; i < n; i++) {
		const struct result *r = &jobs[i].r;

		bad += r->failed;
		up += !r->failed && r->up_to_date;
		fresh += !r->failed && !r->up_to_date;
		sum.sites += r->sites;
		sum.verified += r->verified;
		sum.disagree += r->disagree;
		sum.planned += r->planned;
	}
	if (bad + failed)
		snprintf(fails, sizeof(fails), ", %zu failed", bad + failed);
	printf("k23 prepare: %zu object%s (%zu prepared, %zu up to date%s): %u sites, %u verified, "
	       "%u disagreements, %u planned; cache %s\n", n + failed, n + failed == 1 ? "" : "s",
	       fresh, up, fails, sum.sites, sum.verified, sum.disagree, sum.planned, dir);
	free(jobs);
	k23_closure_free(&c);
	if (bad + failed)
		return 1;
	return record ? k23_prepare_record(dir, record, policy) : 0;
}
