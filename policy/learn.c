/* learn.c - `k23 policy learn [-o FILE] -- PROG ARGS`: run PROG under k23 and write the smallest k23 policy that allows what it did.
 *
 * How it observes: PROG runs under `k23 run --policy` with a learning
 * policy (mode: complain, default: deny, files: and network: sections that
 * grant nothing, log: to a private directory). Complain mode denies nothing,
 * so the program runs as it would natively; the in-process layer logs every
 * call the default would deny (its number), and for each file access and
 * TCP bind/connect that Landlock would refuse the object's path as the
 * kernel resolved it (readlink of /proc/self/fd/N of the descriptor the
 * kernel returned, or of an O_PATH probe made with the call's own dirfd and
 * follow rules: a cwd- or dirfd-relative name, `..` and symlinks come out
 * as the kernel saw them) and the access a grant must give (read, write;
 * connect, bind). The trace tool would show the same calls, but with the
 * program's own (relative, unresolved) strings; the log has the kernel's view.
 *
 * From the log, the policy (rules also in docs/policy.md, "k23 policy learn"):
 *   calls:   every call the program made, by name; a systemd group instead
 *            of its members only where every member that exists on x86-64
 *            was used; plus, in a rule of their own, the calls k23 itself
 *            needs (policy/needs.c), which no policy may deny.
 *   files:   read: an object under /usr, /lib, /lib64, /bin, /sbin or /etc
 *            grants that whole tree; under the working directory, the
 *            working directory; a device node, itself; a directory, itself;
 *            any other file, its directory. Then two or more read grants
 *            with the same parent are replaced by the parent, unless it is /
 *            or an ancestor of the working directory. write: a device node
 *            itself, anything else its directory (Landlock's creating,
 *            removing and renaming rights live on the directory); a
 *            directory that no longer exists is replaced by its nearest
 *            existing ancestor. A grant inside a read-write grant, or a read
 *            grant inside a read grant, is dropped.
 *   network: the TCP ports connected to and bound (Landlock matches ports).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "policy/groups.h"
#include "policy/policy.h"

#define MAXNR 1024

struct grant {
	char *path;
	int write;
};

struct learned {
	unsigned char used[MAXNR];
	struct grant *g;
	int ng;
	unsigned char connect[65536], bind[65536];
	char cwd[PATH_MAX];
};

/* ---- the log: one JSON object per line, written by online/policy/pol_log.c ---- */

/* The string value of key in line (JSON-unescaped into out), or NULL. */
static char *json_str(const char *line, const char *key, char *out, size_t size)
{
	char pat[32];
	const char *s;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	if (!(s = strstr(line, pat)))
		return NULL;
	for (s += strlen(pat); *s && *s != '"' && n + 1 < size; s++) {
		if (*s == '\\' && s[1] == 'u' && s[2] && s[3] && s[4] && s[5]) {
			char hex[5] = { s[2], s[3], s[4], s[5], 0 };

			out[n++] = (char)strtoul(hex, NULL, 16);
			s += 5;
		} else if (*s == '\\' && s[1]) {
			out[n++] = *++s;
		} else {
			out[n++] = *s;
		}
	}
	out[n] = 0;
	return out;
}

static long json_num(const char *line, const char *key)
{
	char pat[32];
	const char *s;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	if (!(s = strstr(line, pat)))
		return -1;
	return strtol(s + strlen(pat), NULL, 10);
}

static int inside(const char *path, const char *tree)
{
	size_t n = strlen(tree);

	if (!strcmp(tree, "/"))
		return 1;
	return !strncmp(path, tree, n) && (path[n] == 0 || path[n] == '/');
}

static void add_grant(struct learned *l, const char *path, int write)
{
	for (int i = 0; i < l->ng; i++)
		if (!strcmp(l->g[i].path, path)) {
			l->g[i].write |= write;
			return;
		}
	l->g = realloc(l->g, (size_t)(l->ng + 1) * sizeof(*l->g));
	if (!l->g || !(l->g[l->ng].path = strdup(path)))
		abort();
	l->g[l->ng++].write = write;
}

static void parent_of(char *p)
{
	char *s = strrchr(p, '/');

	if (s == p)
		p[1] = 0;
	else if (s)
		*s = 0;
}

static int is_device(const char *p)
{
	struct stat st;

	return !stat(p, &st) && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode));
}

static const char *const system_trees[] = { "/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc" };

/* The grant one logged access becomes (the rules at the top). */
static void learn_path(struct learned *l, const char *path, int write)
{
	char p[PATH_MAX];
	struct stat st;

	if (path[0] != '/')
		return; /* pipes, sockets, anonymous files: nothing to grant */
	snprintf(p, sizeof(p), "%s", path);
	if (is_device(p)) {
		add_grant(l, p, write);
		return;
	}
	if (write) {
		parent_of(p);
		while (strcmp(p, "/") && stat(p, &st))
			parent_of(p);
		add_grant(l, p, 1);
		return;
	}
	for (size_t i = 0; i < sizeof(system_trees) / sizeof(*system_trees); i++)
		if (inside(p, system_trees[i])) {
			add_grant(l, system_trees[i], 0);
			return;
		}
	if (inside(p, l->cwd)) {
		add_grant(l, l->cwd, 0);
		return;
	}
	if (stat(p, &st) || !S_ISDIR(st.st_mode))
		parent_of(p);
	while (strcmp(p, "/") && stat(p, &st))
		parent_of(p);
	add_grant(l, p, 0);
}

static int read_log(const char *file, struct learned *l)
{
	FILE *f = fopen(file, "r");
	char *line = NULL, path[PATH_MAX], acc[16];
	size_t cap = 0;
	long nr, port;

	if (!f)
		return errno == ENOENT ? 0 : -1; /* no line: nothing was refused */
	while (getline(&line, &cap, f) > 0) {
		nr = json_num(line, "nr");
		if (nr >= 0 && nr < MAXNR)
			l->used[nr] = 1;
		if (!json_str(line, "access", acc, sizeof(acc)))
			continue;
		if (!strcmp(acc, "read") || !strcmp(acc, "write")) {
			if (json_str(line, "path", path, sizeof(path)))
				learn_path(l, path, acc[0] == 'w');
		} else if ((port = json_num(line, "port")) >= 0 && port < 65536) {
			if (!strcmp(acc, "bind"))
				l->bind[port] = 1;
			else
				l->connect[port] = 1;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

/* Drops grants that another covers; folds read siblings into their parent. */
static void collapse(struct learned *l)
{
	int changed = 1;

	while (changed) {
		changed = 0;
		for (int i = 0; i < l->ng; i++)
			for (int j = 0; j < l->ng; j++)
				if (i != j && l->g[j].path && l->g[i].path &&
				    (l->g[j].write || !l->g[i].write) && inside(l->g[i].path, l->g[j].path) &&
				    (strcmp(l->g[i].path, l->g[j].path) || i > j)) {
					free(l->g[i].path);
					l->g[i].path = NULL;
					changed = 1;
				}
		for (int i = 0; i < l->ng && !changed; i++) {
			char par[PATH_MAX];
			int n = 0;

			if (!l->g[i].path || l->g[i].write || is_device(l->g[i].path))
				continue;
			snprintf(par, sizeof(par), "%s", l->g[i].path);
			parent_of(par);
			if (!strcmp(par, "/") || inside(l->cwd, par))
				continue;
			for (int j = 0; j < l->ng; j++) {
				char pj[PATH_MAX];

				if (!l->g[j].path || l->g[j].write || is_device(l->g[j].path))
					continue;
				snprintf(pj, sizeof(pj), "%s", l->g[j].path);
				parent_of(pj);
				n += !strcmp(pj, par);
			}
			if (n >= 2) {
				add_grant(l, par, 0);
				changed = 1;
			}
		}
	}
}

/* ---- writing the policy ---- */

static void yaml_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s < 0x20)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* 1 if every x86-64 member of group g (nested groups expanded) is in used. */
static int group_used(const char *g, const unsigned char *used, int depth)
{
	const char *m = k23_pol_group(g, NULL);
	int any = 0;

	if (!m || depth > 8)
		return 0;
	for (; *m; m += strlen(m) + 1) {
		if (*m == '@') {
			if (!group_used(m, used, depth + 1))
				return 0;
			any = 1;
			continue;
		}
		int nr = k23_pol_call_nr(m);

		if (nr < 0)
			continue;
		if (nr >= MAXNR || !used[nr])
			return 0;
		any = 1;
	}
	return any;
}

static void group_mark(const char *g, unsigned char *covered, int depth)
{
	const char *m = k23_pol_group(g, NULL);

	for (; m && *m && depth <= 8; m += strlen(m) + 1) {
		int nr = *m == '@' ? -1 : k23_pol_call_nr(m);

		if (*m == '@')
			group_mark(m, covered, depth + 1);
		else if (nr >= 0 && nr < MAXNR)
			covered[nr] = 1;
	}
}

static void write_calls(FILE *f, const struct learned *l)
{
	unsigned char covered[MAXNR] = { 0 }, need[MAXNR] = { 0 };
	int n = 0, groups = 0;

	fputs("calls:\n  # the calls the program made", f);
	for (int i = 0; i < k23_pol_ngroups; i++)
		if (group_used(k23_pol_groups[i].name, l->used, 0)) {
			fprintf(f, "%s\"%s\"", groups++ ? ", " : "; groups where it used every member: ",
				k23_pol_groups[i].name);
			group_mark(k23_pol_groups[i].name, covered, 0);
		}
	fputs("\n  - allow: [", f);
	for (int i = 0; i < k23_pol_ngroups; i++)
		if (group_used(k23_pol_groups[i].name, l->used, 0))
			fprintf(f, "%s\"%s\"", n++ ? ", " : "", k23_pol_groups[i].name);
	for (int nr = 0; nr < MAXNR; nr++) {
		char *name;

		if (!l->used[nr] || covered[nr] || !(name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr)))
			continue;
		fprintf(f, "%s%s", n ? (n % 8 ? ", " : ",\n      ") : "", name);
		n++;
		free(name);
	}
	fputs("]\n", f);
	for (int i = 0; i < k23_nneeds; i++) {
		int nr = k23_pol_call_nr(k23_needs[i].name);

		if (nr >= 0 && nr < MAXNR && !l->used[nr] && !covered[nr])
			need[nr] = 1;
	}
	n = 0;
	for (int nr = 0; nr < MAXNR; nr++)
		if (need[nr]) {
			char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);

			if (!name)
				continue;
			fprintf(f, "%s%s", n++ ? ", " : "  # k23 itself needs these (k23 policy explain)\n  - allow: [", name);
			free(name);
		}
	if (n)
		fputs("]\n", f);
}

static void write_files(FILE *f, const struct learned *l)
{
	fputs("files:", f);
	for (int w = 1; w >= 0; w--) {
		int n = 0;

		for (int i = 0; i < l->ng; i++) {
			if (!l->g[i].path || l->g[i].write != w)
				continue;
			fprintf(f, "%s", n++ ? ", " : w ? "\n  - allow: read-write\n    paths: [" :
							 "\n  - allow: read\n    paths: [");
			yaml_str(f, l->g[i].path);
		}
		if (n)
			fputs("]", f);
	}
	fputs("\n", f);
}

static void write_network(FILE *f, const struct learned *l)
{
	const unsigned char *sets[2] = { l->connect, l->bind };
	const char *ops[2] = { "connect", "bind" };

	fputs("network:", f);
	for (int k = 0; k < 2; k++) {
		int n = 0;

		for (int p = 0; p < 65536; p++)
			if (sets[k][p]) {
				if (!n++)
					fprintf(f, "\n  - allow: [%s]\n    ports: [", ops[k]);
				else
					fputs(", ", f);
				fprintf(f, "%d", p);
			}
		if (n)
			fputs("]", f);
	}
	fputs("\n", f);
}

static int write_policy(const char *file, const struct learned *l, char **argv, int status)
{
	FILE *f = fopen(file, "w");
	time_t now = time(NULL);
	char when[64];

	if (!f)
		return -1;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", gmtime(&now));
	fprintf(f, "# Learned by `k23 policy learn` on %s, from one run of:\n#  ", when);
	for (int i = 0; argv[i]; i++) {
		/* One comment line: control characters escaped, quoted if need be. */
		int q = !argv[i][0] || strpbrk(argv[i], " \t\n'\"\\$`;&|<>()*?#") != NULL;

		fputs(q ? " '" : " ", f);
		for (const char *s = argv[i]; *s; s++) {
			if (*s == '\n')
				fputs("\\n", f);
			else if ((unsigned char)*s < 0x20)
				fprintf(f, "\\x%02x", (unsigned char)*s);
			else if (*s == '\'')
				fputs("'\\''", f);
			else
				fputc(*s, f);
		}
		if (q)
			fputc('\'', f);
	}
	fprintf(f, "\n# in %s (%s %d).\n", l->cwd, WIFEXITED(status) ? "exit status" : "killed by signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	fputs("# How: the program ran under k23 in complain mode with default: deny and no file or\n"
	      "# port grants; the audit log named every call it made, each file it read or wrote\n"
	      "# as the kernel resolved it, and each TCP port it connected to or bound.\n"
	      "# Trees: a read under /usr, /lib, /lib64, /bin, /sbin, /etc or the working directory\n"
	      "# grants that tree; other reads their directory, writes the directory written in\n"
	      "# (device nodes: the node); two or more read grants in one directory become that\n"
	      "# directory (not / nor an ancestor of the working directory). docs/policy.md.\n"
	      "mode: enforce\ndefault: deny\n", f);
	write_calls(f, l);
	write_files(f, l);
	write_network(f, l);
	return fclose(f) ? -1 : 0;
}

/* ---- the run ---- */

static const char learn_usage[] =
	"usage: k23 policy learn [-o FILE] -- PROG [ARGS...]\n"
	"  runs PROG under k23 (complain mode: nothing is denied) and writes the smallest k23\n"
	"  policy that allows what it did to FILE (default: stdout); exit status: PROG's, or 2\n";

static int run_learning(const char *k23, const char *dir, char **argv, int *status)
{
	char pol[PATH_MAX], log[PATH_MAX];
	FILE *f;
	pid_t pid;

	snprintf(pol, sizeof(pol), "%s/learn.yaml", dir);
	snprintf(log, sizeof(log), "%s/log.jsonl", dir);
	if (!(f = fopen(pol, "w")))
		return -1;
	fprintf(f, "mode: complain\nlog: ");
	yaml_str(f, log);
	fputs("\ndefault: deny\ncalls:\n  - allow: [", f);
	for (int i = 0; i < k23_nneeds; i++)
		fprintf(f, "%s%s", i ? ", " : "", k23_needs[i].name);
	fputs("]\nfiles:\nnetwork:\n", f);
	if (fclose(f))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int n = 0;
		char **av;

		while (argv[n])
			n++;
		av = calloc((size_t)n + 6, sizeof(*av));
		av[0] = (char *)k23;
		av[1] = "run";
		av[2] = "--policy";
		av[3] = pol;
		av[4] = "--";
		memcpy(av + 5, argv, (size_t)n * sizeof(*av));
		execv(k23, av);
		fprintf(stderr, "k23: policy learn: %s: %s\n", k23, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static int copy_out(const char *from, const char *to)
{
	FILE *in = fopen(from, "r"), *out = to ? fopen(to, "w") : stdout;
	char buf[8192];
	size_t n;

	if (!in || !out)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return -1;
	fclose(in);
	return to ? fclose(out) : fflush(out);
}

static void cleanup(const char *dir)
{
	char p[PATH_MAX];
	static const char *const names[] = { "learn.yaml", "log.jsonl", "policy.yaml" };

	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

int k23_policy_learn(int argc, char **argv, const struct pol_self *self)
{
	static struct learned l;
	char dir[] = "/tmp/k23-learn.XXXXXX", log[PATH_MAX], out[PATH_MAX];
	const char *o = NULL;
	struct pol_compiled c = { 0 };
	struct policy p;
	int i = 1, status = 0, r;

	for (; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			o = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(learn_usage, stdout);
			return 0;
		} else {
			fprintf(stderr, "k23: policy learn: unexpected '%s'\n%s", argv[i], learn_usage);
			return 2;
		}
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "k23: policy learn: expected -- PROG [ARGS...]\n%s", learn_usage);
		return 2;
	}
	if (!self->k23 || !getcwd(l.cwd, sizeof(l.cwd)) || !mkdtemp(dir)) {
		fprintf(stderr, "k23: policy learn: %s\n", strerror(errno));
		return 2;
	}
	snprintf(log, sizeof(log), "%s/log.jsonl", dir);
	snprintf(out, sizeof(out), "%s/policy.yaml", dir);
	if (run_learning(self->k23, dir, argv + i + 1, &status) || read_log(log, &l)) {
		fprintf(stderr, "k23: policy learn: %s\n", strerror(errno));
		cleanup(dir);
		return 2;
	}
	collapse(&l);
	if (write_policy(out, &l, argv + i + 1, status)) {
		fprintf(stderr, "k23: policy learn: %s: %s\n", out, strerror(errno));
		cleanup(dir);
		return 2;
	}
	/* What `k23 policy check` does: the learned policy must be valid input. */
	r = k23_policy_read(out, &p);
	if (!r)
		r = k23_policy_compile(&p, self, 0, &c);
	if (!r && k23_policy_check_needs(&p, &c, stderr, "k23: "))
		r = 2;
	free(c.bpf);
	k23_policy_free(&p);
	if (!r && copy_out(out, o)) {
		fprintf(stderr, "k23: policy learn: %s: %s\n", o ? o : "stdout", strerror(errno));
		r = 2;
	}
	cleanup(dir);
	if (r)
		return 2;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
