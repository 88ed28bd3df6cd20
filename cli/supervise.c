/* supervise.c - the parent of an interposed tree: wait for all of it, print the summary, exit as the program did.
 *
 * As a child subreaper it also inherits orphans, so `count` covers processes
 * that outlive their parents, and it waits for them as strace -f does.
 * Signals sent to k23 by kill(2) are passed on to the program; signals from
 * the terminal reach the program's process group directly and are not
 * doubled.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "common/rt/syscall_table.h"
#include "log.h"
#include "online/core/rt.h"
#include "cli.h"
#include "cli/strace_opts.h"

static volatile pid_t child_pid;

static void forward(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (si->si_code <= 0 && child_pid > 0)
		kill(child_pid, sig);
}

static void setup_forwarding(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
				    SIGWINCH, SIGCONT };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

struct row {
	const char *name;
	char buf[32];
	int nr;
	uint64_t calls, errors, ns;
};

static int sort_key;	/* enum k23_sort, for the comparison below */

/* strace -c's orders: most first for numbers (ties by name), names
 * alphabetically, nothing: by call number. */
static int by_key(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	switch (sort_key) {
	case K23_SORT_TIME:
		if (x->ns != y->ns)
			return x->ns < y->ns ? 1 : -1;
		break;
	case K23_SORT_ERRORS:
		if (x->errors != y->errors)
			return x->errors < y->errors ? 1 : -1;
		break;
	case K23_SORT_NAME:
		return strcmp(x->name, y->name);
	case K23_SORT_NOTHING:
		return x->nr - y->nr;
	}
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void print_row(FILE *f, const struct k23_supervision *s, const struct row *r)
{
	if (s->json) {
		fprintf(f, "{\"syscall\":\"%s\",\"calls\":%lu,\"errors\":%lu", r->name,
			(unsigned long)r->calls, (unsigned long)r->errors);
		if (s->timed)
			fprintf(f, ",\"seconds\":%lu.%06lu", (unsigned long)(r->ns / 1000000000),
				(unsigned long)(r->ns % 1000000000 / 1000));
		fprintf(f, "}\n");
	} else if (s->timed) {
		fprintf(f, "%4lu.%06lu %9lu %9lu %s\n", (unsigned long)(r->ns / 1000000000),
			(unsigned long)(r->ns % 1000000000 / 1000), (unsigned long)r->calls,
			(unsigned long)r->errors, r->name);
	} else {
		fprintf(f, "%9lu %9lu %s\n", (unsigned long)r->calls, (unsigned long)r->errors, r->name);
	}
}

/* The rows are allocated here rather than static: k23's bss is mapped in
 * the program's process too, where it counts against `ulimit -v`. Without
 * the memory the table is printed in system-call order, unsorted. */
static void print_counts(FILE *f, const struct k23_supervision *s)
{
	const struct k23_counts *c = &s->shared->counts;
	struct row one, total = { .name = "total" }, *rows = calloc(K23_MAX_SYSCALLS + 1, sizeof(*rows));
	size_t n = 0;
	const char *line = s->timed ? "----------- --------- --------- ----------------\n"
				    : "--------- --------- ----------------\n";

	if (!s->json) {
		if (s->timed)
			fprintf(f, "%11s %9s %9s %s\n", "seconds", "calls", "errors", "syscall");
		else
			fprintf(f, "%9s %9s %s\n", "calls", "errors", "syscall");
		fputs(line, f);
	}
	for (int nr = 0; nr <= K23_MAX_SYSCALLS; nr++) {
		struct row *r = rows ? &rows[n] : &one;

		if (nr == K23_MAX_SYSCALLS) {
			if (!c->other_calls)
				break;
			r->name = "(other)";
			r->calls = c->other_calls;
			r->errors = c->other_errors;
			r->ns = 0;
		} else {
			if (!c->calls[nr])
				continue;
			r->name = k23_syscall_name(nr);
			if (!r->name) {
				snprintf(r->buf, sizeof(r->buf), "syscall_%d", nr);
				r->name = r->buf;
			}
			r->calls = c->calls[nr];
			r->errors = c->errors[nr];
			r->ns = s->shared->count_ns[nr];
		}
		r->nr = nr;
		total.calls += r->calls;
		total.errors += r->errors;
		total.ns += r->ns;
		if (rows)
			n++;
		else
			print_row(f, s, r);
	}
	if (rows) {
		sort_key = s->sort;
		qsort(rows, n, sizeof(rows[0]), by_key);
		for (size_t i = 0; i < n; i++)
			print_row(f, s, &rows[i]);
		free(rows);
	}
	if (!s->json) {
		fputs(line, f);
		print_row(f, s, &total);
	}
}

/* Ends k23 the way the program ended: same exit code, or same signal. */
static int mirror_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		struct rlimit none = { 0, 0 };

		setrlimit(RLIMIT_CORE, &none); /* the program dumped core, not k23 */
		signal(sig, SIG_DFL);
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		kill(getpid(), sig);
		return 128 + sig;
	}
	return 1;
}

/* The --stats lines (docs/patching.md explains each figure). */
static void print_stats(FILE *f, const struct k23_stats *s)
{
	const uint64_t *k = s->skipped;
	uint64_t skipped = 0;

	for (int i = 0; i < K23_SKIP_NREASONS; i++)
		skipped += k[i];
	fprintf(f, "k23 stats: calls: patched %lu, sud %lu, seccomp %lu\n",
		(unsigned long)s->via[K23_VIA_PATCH], (unsigned long)s->via[K23_VIA_SUD],
		(unsigned long)s->via[K23_VIA_SECCOMP]);
	fprintf(f, "k23 stats: sites: patched %lu (at load %lu, lazily %lu), skipped %lu (no plan %lu, "
		"bytes differ %lu, no stub space %lu, mprotect refused %lu, not a safe pattern %lu, "
		"shared mapping %lu)\n",
		(unsigned long)(s->sites_patched + s->sites_lazy), (unsigned long)s->sites_patched,
		(unsigned long)s->sites_lazy, (unsigned long)skipped,
		(unsigned long)k[K23_SKIP_NO_PLAN], (unsigned long)k[K23_SKIP_BYTES],
		(unsigned long)k[K23_SKIP_STUB_SPACE], (unsigned long)k[K23_SKIP_PROTECT],
		(unsigned long)k[K23_SKIP_LAZY_PATTERN], (unsigned long)k[K23_SKIP_SHARED]);
	fprintf(f, "k23 stats: objects: with sidecar %lu, without sidecar %lu, stale sidecar %lu\n",
		(unsigned long)s->objects_patched, (unsigned long)s->objects_no_sidecar,
		(unsigned long)s->objects_stale);
}

/* Prints the summary; 0, or the errno of a failed write. */
static int print_summary(const struct k23_supervision *s)
{
	FILE *f;
	int err;

	if (!s->counts && !s->stats)
		return 0;
	f = fdopen(s->out_fd, "w");
	if (!f)
		return errno;
	if (s->counts)
		print_counts(f, s);
	if (s->stats)
		print_stats(f, &s->shared->stats);
	err = fflush(f) != 0 || ferror(f) ? errno : 0;
	if (fclose(f) != 0 && !err)
		err = errno;
	return err;
}

/* A tool's output that did not reach its file is reported, and the run
 * does not pass for a success: the program's own failure status is kept,
 * a successful one becomes 1 (docs/differences.md). */
static int output_failed(const struct k23_supervision *s, int err, int got, int status)
{
	k23_fail(1, "%s: cannot write the %s: %s", s->out_name,
		 s->counts || s->stats ? "summary" : "tool's output", strerror(err));
	if (got && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	return got ? mirror_status(status) : 1;
}

int k23_supervise(int child, const struct k23_supervision *s)
{
	int status = 0, got = 0, st, err, split_status = 0;
	pid_t pid;

	child_pid = child;
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	setup_forwarding();
	for (;;) {
		pid = waitpid(-1, &st, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pid == child)
			status = st, got = 1;
		else if (pid == s->splitter)
			split_status = st;
	}
	err = s->shared ? s->shared->out_errno : 0;
	/* -ff: the splitter reported what it could not write itself */
	if (s->splitter > 0 && !(WIFEXITED(split_status) && WEXITSTATUS(split_status) == 0)) {
		if (got && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return 1;
		return got ? mirror_status(status) : 1;
	}
	if (!err)
		err = print_summary(s);
	else
		print_summary(s);
	if (err)
		return output_failed(s, err, got, status);
	return got ? mirror_status(status) : 1;
}
