/* apply.c - k23's side of `k23 run --policy`: fetch the compiled policy through a pipe, check it, install it.
 *
 * k23 is static and linked with musl; libyaml and libseccomp, as Debian
 * ships them, are built against glibc. So k23 never parses a policy: it runs
 * `k23-prepare policy compile` once, in the first image, and receives the
 * seccomp BPF program and the Landlock rules in the form of policy/blob.h.
 * Installing them needs only system calls. This runs in k23's own process
 * before the program is loaded: nothing of the program's has run yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "cold.h"
#include "log.h"
#include "policy/blob.h"
#include "policy/landlock.h"
#include "policy/apply/apply.h"
#include "remote/chan.h"

static char *blob;
static struct k23_policy_view view;	/* blob's sections, once checked */
static size_t blob_len;

static int run_compiler(const char *const *argv, int out)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (dup2(out, 1) < 0)
			_exit(1);
		/* k23-prepare is dynamic: a preload meant for the program stays out. */
		unsetenv("LD_PRELOAD");
		execv(argv[0], (char *const *)argv);
		_exit(k23_fail(2, "%s: %s (k23 run --policy needs it beside k23)", argv[0], strerror(errno)));
	}
	return pid;
}

static int read_all(int fd)
{
	size_t cap = 0;

	for (;;) {
		ssize_t n;

		if (blob_len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > 64u << 20 || !(blob = realloc(blob, cap)))
				return -1;
		}
		n = read(fd, blob + blob_len, cap - blob_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		blob_len += (size_t)n;
	}
}

int k23_policy_load(const char *file, int accept_weaker, const char *self_exe, const char *cache_dir)
{
	char prep[PATH_MAX + 16], *slash;
	const char *argv[12];
	int p[2], n = 0, st;
	pid_t pid;

	snprintf(prep, sizeof(prep), "%s", self_exe);
	slash = strrchr(prep, '/');
	snprintf(slash ? slash + 1 : prep, sizeof(prep) - (size_t)(slash ? slash + 1 - prep : 0),
		 "k23-prepare");
	argv[n++] = prep;
	argv[n++] = "policy";
	argv[n++] = "compile";
	if (accept_weaker)
		argv[n++] = "--accept-weaker";
	argv[n++] = "--self";
	argv[n++] = self_exe;
	if (cache_dir && *cache_dir) {
		argv[n++] = "--cache";
		argv[n++] = cache_dir;
	}
	argv[n++] = "--";
	argv[n++] = file;
	argv[n] = NULL;
	if (pipe2(p, O_CLOEXEC) != 0)
		return k23_fail(1, "--policy: pipe: %s", strerror(errno));
	pid = run_compiler(argv, p[1]);
	close(p[1]);
	if (pid < 0 || read_all(p[0]) != 0) {
		close(p[0]);
		return k23_fail(1, "--policy: cannot run %s: %s", prep, strerror(errno));
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		return k23_fail(1, "--policy: %s died of signal %d", prep, WTERMSIG(st));
	if (WEXITSTATUS(st))
		return WEXITSTATUS(st); /* k23-prepare said why */
	if (!k23_policy_view(blob, blob_len, &view))
		return k23_fail(1, "--policy: %s gave a malformed compiled policy", prep);
	return 0;
}

static int restrict_landlock(const struct k23_policy_hdr *h, const struct k23_policy_fs *fs,
			     const struct k23_policy_net *net, const char *strings)
{
	struct k23_landlock_ruleset_attr attr = { h->handled_fs, h->handled_net };
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);

	if (rs < 0)
		return k23_fail(2, "--policy: this kernel refuses the Landlock ruleset: %s", strerror(errno));
	for (uint32_t i = 0; i < h->n_fs; i++) {
		const char *path = strings + fs[i].path_off;
		struct landlock_path_beneath_attr pb = { fs[i].access, open(path, O_PATH | O_CLOEXEC) };
		struct stat s;

		if (pb.parent_fd < 0 || fstat(pb.parent_fd, &s) != 0)
			return k23_fail(2, "--policy: %s: %s", path, strerror(errno));
		if (!S_ISDIR(s.st_mode))
			pb.allowed_access &= K23_LANDLOCK_FILE_RIGHTS;
		if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) != 0)
			return k23_fail(2, "--policy: Landlock refuses the rule for %s: %s", path, strerror(errno));
		close(pb.parent_fd);
	}
	for (uint32_t i = 0; i < h->n_net; i++) {
		struct k23_landlock_net_port_attr np = { net[i].access, net[i].port };

		if (syscall(SYS_landlock_add_rule, rs, K23_LANDLOCK_RULE_NET_PORT, &np, 0) != 0)
			return k23_fail(2, "--policy: Landlock refuses the rule for port %llu: %s",
					(unsigned long long)net[i].port, strerror(errno));
	}
	/* Without CAP_SYS_ADMIN the kernel demands no_new_privs first. */
	if (syscall(SYS_landlock_restrict_self, rs, 0) != 0 &&
	    (errno != EPERM || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	     syscall(SYS_landlock_restrict_self, rs, 0) != 0))
		return k23_fail(2, "--policy: cannot apply the Landlock rules: %s", strerror(errno));
	close(rs);
	return 0;
}

static int install_filter(const struct k23_policy_hdr *h, struct sock_filter *bpf)
{
	struct sock_fprog prog = { (unsigned short)h->n_bpf, bpf };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	if (errno == EACCES && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	return k23_fail(2, "--policy: cannot install the seccomp filter: %s", strerror(errno));
}

/* The in-process layer's share: the whole blob in a sealed memfd that every
 * image maps read-only (online/policy/pol_state.c), and the audit log,
 * opened here, before any policy binds k23, in append mode so that every
 * process of the tree adds whole lines to it. */
static int hand_over(const struct k23_policy_hdr *h, const char *strings, int *policy_fd, int *log_fd)
{
	int fd;

	*policy_fd = *log_fd = -1;
	if (h->mode != K23_POLICY_COMPLAIN && h->log_off == K23_POLICY_NO_LOG && !h->n_deny &&
	    !h->n_dest && !h->n_map && !h->n_rewrite && !h->n_lib && !h->n_synth && !h->n_remote &&
	    h->hostname_off == K23_POLICY_NO_HOSTNAME)
		return 0; /* the kernel layers alone, and no virtual world */
	fd = memfd_create("k23-policy", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0 || write(fd, blob, blob_len) != (ssize_t)blob_len ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0)
		return k23_fail(1, "--policy: cannot hand the policy to the runtime: %s", strerror(errno));
	*policy_fd = fd;
	if (h->log_off == K23_POLICY_NO_LOG)
		return 0;
	*log_fd = open(strings + h->log_off, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (*log_fd < 0)
		return k23_fail(2, "--policy: log: %s: %s", strings + h->log_off, strerror(errno));
	return 0;
}

/* The remote trees' proxy (docs/remote.md), started before Landlock and
 * the seccomp filter bind this process: they are the program's, not the
 * proxy's. One proxy serves every tree; its reply bound is the longest
 * timeout: of the trees. Status 1 when a server that must answer did not
 * (k23_remote_start printed the line naming it). */
static int start_proxy(int *chan_fd, int *life_fd)
{
	static K23_COLD char urls[K23_POLICY_MAX_REMOTE][K23_CHAN_PREFIX_MAX];
	struct k23_remote_mount m[K23_POLICY_MAX_REMOTE];
	struct k23_remote_opts o = { 0 };
	const char *s = view.strings;

	for (uint32_t i = 0; i < view.h->n_remote; i++) {
		const struct k23_policy_remote *r = &view.remote[i];
		const char *host = s + r->host_off;
		int v6 = strchr(host, ':') != NULL;

		if (snprintf(urls[i], sizeof(urls[i]), "9p://%s%s%s:%u%s", v6 ? "[" : "", host,
			     v6 ? "]" : "", r->port, s + r->export_off) >= (int)sizeof(urls[i]))
			return k23_fail(2, "--policy: remote %s: the URL is too long", s + r->path_off);
		m[i].prefix = s + r->path_off;
		m[i].url = urls[i];
		m[i].start_anyway = (r->flags & K23_REMOTE_START_ANYWAY) != 0;
		if (r->timeout_s * 1000 > o.timeout_ms)
			o.timeout_ms = r->timeout_s * 1000;
	}
	return k23_remote_start(m, view.h->n_remote, &o, chan_fd, life_fd) ? 1 : 0;
}

int k23_policy_install(int *policy_fd, int *log_fd, int *chan_fd, int *life_fd)
{
	const struct k23_policy_hdr *h = view.h;
	int r = 0;

	*policy_fd = *log_fd = *chan_fd = *life_fd = -1;
	if (!blob)
		return 0;
	r = hand_over(h, view.strings, policy_fd, log_fd);
	if (!r && h->n_remote)
		r = start_proxy(chan_fd, life_fd);
	/* Complain mode: nothing is denied, so no kernel layer is installed;
	 * the runtime evaluates them and logs what they would deny. */
	if (!r && h->landlock_abi && h->mode != K23_POLICY_COMPLAIN)
		r = restrict_landlock(h, view.fs, view.net, view.strings);
	if (!r && h->n_bpf && h->mode != K23_POLICY_COMPLAIN)
		r = install_filter(h, (struct sock_filter *)view.bpf);
	free(blob);
	blob = NULL;
	return r;
}
