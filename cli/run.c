/* run.c - `k23 run`: option parsing, process set-up, and the start of each re-executed image.
 *
 * Without a tool k23 becomes the program itself (same pid, nothing waits
 * around). With a tool, k23 forks: the child becomes the program, the parent
 * supervises the whole tree and prints the tool's summary when it is gone,
 * like strace -f. Either way the program starts in that process when the
 * command line ends with its arguments (the usual case): the kernel's record
 * of the argument strings is moved to their start, so /proc/self/cmdline
 * shows only the program's (loader/mm_record.c), and no exec is spent.
 * Otherwise (a #! script's argv, a kernel refusing the move) the image is
 * started through k23_reexec, as after the program's own execve.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "cold.h"
#include "log.h"
#include "sidecar.h"
#include "online/core/rt.h"
#include "online/process/reexec.h"
#include "online/guard/fdguard.h"
#include "loader/launch.h"
#include "loader/launcher.h"
#include "loader/selfcopy.h"
#include "policy/apply/apply.h"
#include "cli.h"
#include "cli/autoprep.h"
#include "cli/strace_opts.h"

/* Why hybrid by default: see docs/architecture.md ("Choosing the
 * catch-all"): SUD catches the program's calls at SUD's cost, and a seccomp
 * filter the kernel answers from its action cache for all but a few calls
 * keeps the guarantees of the filter-only mode. */
#define DEFAULT_CATCH_ALL K23_CATCH_HYBRID

int k23_main_argc;
char **k23_main_argv, **k23_main_envp;

struct run_opts {
	int tool;
	int catch_all;
	int patch;		/* enum k23_patch_mode */
	int lazy;
	int stats;
	const char *out_path;
	const char *cache;	/* --cache DIR, or NULL */
	const char *policy;	/* --policy FILE, or NULL */
	int accept_weaker;
	int prepare;		/* enum k23_prepare_mode (cli/autoprep.c) */
	int tool_given;		/* --tool named one */
	struct k23_strace_opts strace; /* strace's options (strace_opts.c) */
};

static int usage_error(const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	return k23_fail(2, "run: %s (see 'k23 help')", msg);
}

static int parse_catch_all(const char *s)
{
	if (!strcmp(s, "hybrid"))
		return K23_CATCH_HYBRID;
	if (!strcmp(s, "sud"))
		return K23_CATCH_SUD;
	if (!strcmp(s, "seccomp"))
		return K23_CATCH_SECCOMP;
	if (!strcmp(s, "both"))
		return K23_CATCH_SUD | K23_CATCH_SECCOMP;
	return -1;
}

static int parse_patch(const char *s)
{
	if (!strcmp(s, "stub"))
		return K23_PATCH_STUB;
	if (!strcmp(s, "page0"))
		return K23_PATCH_PAGE0;
	if (!strcmp(s, "off"))
		return K23_PATCH_OFF;
	return -1;
}

static int parse_tool(const char *s)
{
	if (!strcmp(s, "count"))
		return K23_TOOL_COUNT;
	if (!strcmp(s, "trace"))
		return K23_TOOL_TRACE;
	if (!strcmp(s, "record"))
		return K23_TOOL_RECORD;
	if (!strcmp(s, "none"))
		return K23_TOOL_NONE;
	return -1;
}

/* The tool strace's options ask for: -c is count; options that only shape
 * the trace's lines (-e trace=, -T, -y, --json...) mean trace when no
 * tool was named; -e inject= alone runs with no tool, injecting silently.
 * 0, or an exit status after a message. */
static int strace_tool(struct run_opts *o)
{
	struct k23_strace_opts *s = &o->strace;

	if (s->count) {
		if (o->tool_given && o->tool != K23_TOOL_COUNT)
			return usage_error("%s", "-c is --tool count");
		o->tool = K23_TOOL_COUNT;
	} else if (s->output_implies_trace && !o->tool_given) {
		o->tool = K23_TOOL_TRACE;
	}
	if ((s->t.flags & K23_TO_FF) && (!o->out_path || o->tool != K23_TOOL_TRACE))
		s->t.flags &= ~K23_TO_FF; /* as strace: -ff splits only -o FILE's trace */
	return k23_strace_opts_finish(s, o->tool);
}

/* Returns the index of PROG in argv, or -(exit status) after a message. */
static int parse(int argc, char **argv, struct run_opts *o)
{
	enum { O_TOOL = 0x100, O_CATCH, O_PATCH, O_NOPATCH, O_NOLAZY, O_STATS, O_CACHE, O_POLICY,
	       O_WEAKER, O_JSON, O_PREPARE };
	static const struct option longs[] = {
		{ "tool", required_argument, 0, O_TOOL },
		{ "catch-all", required_argument, 0, O_CATCH },
		{ "output", required_argument, 0, 'o' },
		{ "patch", required_argument, 0, O_PATCH },
		{ "no-patch", no_argument, 0, O_NOPATCH },
		{ "no-lazy", no_argument, 0, O_NOLAZY },
		{ "stats", no_argument, 0, O_STATS },
		{ "cache", required_argument, 0, O_CACHE },
		{ "policy", required_argument, 0, O_POLICY },
		{ "accept-weaker", no_argument, 0, O_WEAKER },
		{ "json", no_argument, 0, O_JSON },
		{ "prepare", required_argument, 0, O_PREPARE },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c, r;
	const char *env;

	o->tool = K23_TOOL_NONE;
	o->tool_given = 0;
	o->catch_all = DEFAULT_CATCH_ALL;
	o->out_path = NULL;
	o->patch = K23_PATCH_STUB;
	o->lazy = 1;
	o->stats = 0;
	o->cache = NULL;
	o->policy = NULL;
	o->accept_weaker = 0;
	o->prepare = -1;
	k23_strace_opts_init(&o->strace);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:he:Tts:yS:cfzZ", longs, NULL)) != -1) {
		switch (c) {
		case O_TOOL:
			if ((o->tool = parse_tool(optarg)) < 0)
				return -usage_error("unknown tool '%s' (count, trace, record)", optarg);
			o->tool_given = 1;
			break;
		case O_CATCH:
			if ((o->catch_all = parse_catch_all(optarg)) < 0)
				return -usage_error("unknown --catch-all '%s' (hybrid, sud, seccomp, both)", optarg);
			break;
		case 'o':
			o->out_path = optarg;
			break;
		case O_PATCH:
			if ((o->patch = parse_patch(optarg)) < 0)
				return -usage_error("unknown --patch '%s' (stub, page0, off)", optarg);
			break;
		case O_NOPATCH:
			o->patch = K23_PATCH_OFF;
			break;
		case O_NOLAZY:
			o->lazy = 0;
			break;
		case O_STATS:
			o->stats = 1;
			break;
		case O_CACHE:
			o->cache = optarg;
			break;
		case O_POLICY:
			o->policy = optarg;
			break;
		case O_WEAKER:
			o->accept_weaker = 1;
			break;
		case O_PREPARE:
			if ((o->prepare = k23_prepare_mode(optarg)) < 0)
				return -usage_error("unknown --prepare '%s' (background, now, never)", optarg);
			break;
		case O_JSON:
			if ((r = k23_strace_opt(&o->strace, 'J', NULL)))
				return -r;
			break;
		case 'e': case 'T': case 't': case 's': case 'y': case 'S': case 'c': case 'f':
		case 'z': case 'Z':
			if ((r = k23_strace_opt(&o->strace, c, optarg)))
				return -r;
			break;
		case 'h':
			k23_usage(0);
			return -0x100;
		default:
			if (optopt && strchr("esS", optopt)) {
				char opt[3] = { '-', (char)optopt, 0 };

				return -usage_error("option '%s' needs an argument", opt);
			}
			return -usage_error("bad option '%s'", argv[optind - 1]);
		}
	}
	if ((r = strace_tool(o)))
		return -r;
	/* --prepare, else $K23_PREPARE, else background: no ritual (docs/sidecar.md) */
	if (o->prepare < 0 && (env = getenv("K23_PREPARE")) && *env &&
	    (o->prepare = k23_prepare_mode(env)) < 0)
		return -usage_error("K23_PREPARE: unknown value '%s' (background, now, never)", env);
	if (o->prepare < 0)
		o->prepare = K23_PREP_BACKGROUND;
	if (optind < 1 || strcmp(argv[optind - 1], "--") != 0)
		return -usage_error("%s", "expected '--' before the program: k23 run [options] -- PROG [ARGS...]");
	if (optind >= argc)
		return -usage_error("%s", "no program given after '--'");
	return optind;
}

/* Moves fd above the program's descriptors (online/guard/fdguard.c) and keeps it
 * open across execve. */
static int place_high(int fd)
{
	long nfd = k23_fd_move_high(fd, 0);

	return nfd < 0 ? -1 : (int)nfd;
}

static int open_output(const char *path)
{
	int fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666)
		      : fcntl(2, F_DUPFD_CLOEXEC, 3);

	if (fd < 0)
		k23_fail(1, "%s: %s", path ? path : "stderr", strerror(errno));
	return fd;
}

/* The counters every process of the tree adds to (struct k23_shared). */
static struct k23_shared *make_shared(int *fd)
{
	void *p;

	*fd = memfd_create("k23-state", MFD_CLOEXEC);
	if (*fd < 0 || ftruncate(*fd, sizeof(struct k23_shared)) != 0)
		return NULL;
	p = mmap(NULL, sizeof(struct k23_shared), PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Starts the program in this process if its argv is the tail of k23's own
 * command line, strings and all, and the kernel lets the record of the
 * argument range move there. Returns only on failure; -1: not possible,
 * nothing of the program ran (its mappings may be made: the
 * re-execution replaces them). */
static int start_here(struct k23_target *t)
{
	char **tail = k23_main_argv + k23_main_argc - t->argc;
	struct k23_launch l;

	if (t->script || t->argc < 1 || t->argc >= k23_main_argc)
		return -1;
	for (int i = 0; i < t->argc; i++)
		if (t->argv[i] != tail[i])
			return -1;
	k23_launch_from_main(&l, t->argc, tail, k23_main_envp);
	l.must_record = 1; /* else re-executed, see k23_launch */
	return k23_launch(t, &l);
}

/* Starts the program: in this process if possible, else through k23_reexec,
 * so its image gets exactly its argv (see online/process/reexec.c). Returns only on
 * failure. */
static int start(struct k23_target *t)
{
	int pfd, lfd, cfd, ifd;
	long r;

	/* Where k23 may move the exe link and k23-core runs without its
	 * launcher, its image is mapped from a copy in the sidecar cache
	 * (loader/selfcopy.c): the directory is made here, before a policy
	 * could refuse mkdir (not under --prepare=never, which writes
	 * nothing). */
	if (k23_rt.cache_dir[0] && k23_rt.cache_write && k23_launched_core_fd() < 0 &&
	    k23_selfcopy_allowed())
		k23_mkdir_p(k23_rt.cache_dir);
	/* The policy binds the program's side only (not a supervisor), from
	 * before its first instruction: docs/policy.md. Its in-process layer
	 * reaches every image through two guarded descriptors. */
	if ((r = k23_policy_install(&pfd, &lfd, &cfd, &ifd)))
		return (int)r;
	if (pfd >= 0 && (k23_rt.policy_fd = place_high(pfd)) < 0)
		return k23_fail(1, "cannot place the policy descriptor");
	if (lfd >= 0 && (k23_rt.log_fd = place_high(lfd)) < 0)
		return k23_fail(1, "cannot place the audit log descriptor");
	if (cfd >= 0 && (k23_rt.chan_fd = place_high(cfd)) < 0)
		return k23_fail(1, "cannot place the remote channel's descriptor");
	if (ifd >= 0 && (k23_rt.life_fd = place_high(ifd)) < 0)
		return k23_fail(1, "cannot place the remote proxy's lifetime descriptor");
	if (k23_find_self())
		return 127;
	r = start_here(t);
	if (r >= 0)
		return (int)r;
	/* The program's file must survive the exec; k23's copy of it is closed
	 * after loading. The next image starts with the program's own
	 * descriptor limit. */
	fcntl(t->fd, F_SETFD, 0);
	k23_fd_room_end(&k23_fd_start_room);
	r = k23_reexec(t->fd, t->execfn, t->argv, k23_main_envp);
	return k23_fail(126, "%s: cannot start k23's loader: %s", t->path, strerror((int)-r));
}

static int run_supervised(struct k23_target *t, const struct run_opts *o)
{
	struct k23_shared *shared = NULL;
	struct k23_supervision sv;
	int out_fd, state_fd = -1, need_state = 1; /* counts, stats, output errors */
	pid_t pid;

	int split = (o->strace.t.flags & K23_TO_FF) != 0;
	int splitter = -1;

	/* -ff: the tree writes its lines into a pipe; a process of k23's
	 * splits them into FILE.PID (split.c). */
	out_fd = split ? k23_split_start(o->out_path, &splitter) : open_output(o->out_path);
	if (out_fd < 0)
		return 1;
	if (need_state && !(shared = make_shared(&state_fd)))
		return k23_fail(1, "cannot create the shared counters: %s", strerror(errno));
	if (o->strace.t.flags & K23_TO_SET)
		shared->opts = o->strace.t;
	pid = fork();
	if (pid < 0)
		return k23_fail(1, "fork: %s", strerror(errno));
	if (pid == 0) {
		int writes = o->tool != K23_TOOL_COUNT; /* count's table is the supervisor's */

		k23_rt.out_fd = writes ? place_high(out_fd) : -1;
		k23_rt.state_fd = state_fd >= 0 ? place_high(state_fd) : -1;
		if (writes && k23_rt.out_fd < 0)
			_exit(k23_fail(1, "cannot place the output descriptor"));
		if (need_state && k23_rt.state_fd < 0)
			_exit(k23_fail(1, "cannot place the counters descriptor"));
		if (!writes)
			close(out_fd);
		if (shared)
			munmap(shared, sizeof(*shared)); /* the runtime maps its own */
		_exit(start(t));
	}
	if (state_fd >= 0)
		close(state_fd);
	close(t->fd);
	sv.out_fd = out_fd;
	sv.out_name = o->out_path ? o->out_path : "stderr";
	sv.shared = shared;
	sv.counts = o->tool == K23_TOOL_COUNT;
	sv.stats = o->stats;
	sv.sort = o->strace.sort;
	sv.json = (o->strace.t.flags & K23_TO_JSON) != 0;
	sv.timed = (o->strace.t.flags & K23_TO_COUNT_TIME) != 0;
	sv.splitter = splitter;
	if (split) {
		/* the tree's copies are the only writers left; --stats goes to stderr */
		close(out_fd);
		sv.out_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
		sv.out_name = "stderr";
	}
	return k23_supervise(pid, &sv);
}

/* Where the loader and the runtime look for sidecars; carried across execve
 * in the settings, so the program's own environment plays no part later. */
static int set_cache_dir(const char *opt)
{
	/* not on a stack `ulimit -s` may make tiny */
	static K23_COLD char rel[sizeof(k23_rt.cache_dir)], cwd[sizeof(k23_rt.cache_dir)];
	const char *why;

	if (k23_sidecar_cache_dir(opt, k23_rt.cache_dir, sizeof(k23_rt.cache_dir), &why) == 0) {
		/* Absolute: the program and its children change directory, and
		 * the runtime looks sidecars up (and writes stamps and want
		 * markers) by this path in each of them. */
		if (k23_rt.cache_dir[0] == '/')
			return 0;
		memcpy(rel, k23_rt.cache_dir, sizeof(rel));
		if (getcwd(cwd, sizeof(cwd)) &&
		    snprintf(k23_rt.cache_dir, sizeof(k23_rt.cache_dir), "%s/%s", cwd, rel) <
			    (int)sizeof(k23_rt.cache_dir))
			return 0;
		why = "the absolute path of the cache directory is too long";
	}
	k23_rt.cache_dir[0] = 0;
	if (opt)
		return k23_fail(2, "run: --cache %s: %s", opt, why);
	return 0; /* no cache known: nothing is patched at load */
}

/* The program k23 starts: once per process (k23_cmd_run or
 * k23_cmd_handover), off the stack, which `ulimit -s` may make tiny. */
static struct k23_target target;

int k23_cmd_run(int argc, char **argv)
{
	struct run_opts o;
	int prog = parse(argc, argv, &o), r;

	if (prog == -0x100)
		return 0;
	if (prog < 0)
		return -prog;
	/* k23 needs descriptors of its own before the program runs, whatever
	 * the program's limit (as low as 3, or a full table): they are made in
	 * a room above it, closed again when the program is entered. */
	k23_fd_room_begin(&k23_fd_start_room, 64);
	r = k23_target_resolve(&target, argv[prog], argv + prog);
	if (r)
		return r;
	k23_rt.catch_all = o.catch_all;
	k23_rt.tool = o.tool;
	k23_rt.install_filter = 1;
	/* A record run must see every site execute, so it never patches. */
	k23_rt.patch = o.tool == K23_TOOL_RECORD ? K23_PATCH_OFF : o.patch;
	k23_rt.lazy = o.lazy;
	k23_rt.stats = o.stats;
	if (set_cache_dir(o.cache))
		return 1;
	if (o.policy && (k23_find_self() ||
			 (r = k23_policy_load(o.policy, o.accept_weaker, k23_rt.self_exe, k23_rt.cache_dir))))
		return o.policy && r ? r : 127;
	/* The runtime marks objects mapped without a usable sidecar for the
	 * next preparer (online/sidecar/sidecar_want.c). */
	k23_rt.cache_write = o.prepare != K23_PREP_NEVER;
	/* The effective uid this image was executed with, as the kernel put
	 * it in the auxiliary vector: k23 changes no ids before this, so it is
	 * geteuid()'s answer without the system call. */
	k23_rt.cache_uid = (unsigned)getauxval(AT_EUID);
	k23_autoprep(o.prepare, &target, o.policy);
	if (o.tool == K23_TOOL_NONE && !o.stats && !o.strace.inject)
		return start(&target);
	k23_interp_release(); /* the supervisor maps nothing; its child opens it anew */
	return run_supervised(&target, &o);
}

/* An image started by k23_reexec: k23_rt is decoded, fd is the program's
 * file, argv is already the program's own. */
int k23_cmd_handover(int fd, const char *execfn)
{
	struct k23_launch l;
	int r;

	k23_fd_room_begin(&k23_fd_start_room, 64); /* as in k23_cmd_run */
	r = k23_target_from_fd(&target, fd, execfn, k23_main_argv);
	if (r)
		return r;
	if (target.script)
		return start(&target); /* once more, with the interpreter's argv */
	k23_launch_from_main(&l, k23_main_argc, k23_main_argv, k23_main_envp);
	return k23_launch(&target, &l);
}
