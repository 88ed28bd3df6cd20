/* strace_opts.c - strace's options of `k23 run`, spelled and meant as strace 6.1 spells and means them.
 *
 * Everything is decided here, before the program starts, into a struct
 * k23_topts the runtime reads from the shared state (online/tools/topts.h):
 * which call numbers the tool reports, which outcomes, which calls are
 * injected and how. Where k23 differs from strace it says so in
 * docs/strace-compat.md.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "common/rt/syscall_table.h"
#include "log.h"
#include "cli/strace_classes.h"
#include "cli/strace_opts.h"

void k23_strace_opts_init(struct k23_strace_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < K23_TOPTS_WORDS; i++)
		o->t.trace[i] = ~0ULL;
	o->t.flags = K23_TO_OTHER;
	o->t.strmax = 32;
}

static void set_bit(uint64_t *set, long nr)
{
	set[nr / 64] |= 1ULL << (nr % 64);
}

static const struct k23_strace_class *find_class(const char *name)
{
	for (const struct k23_strace_class *c = k23_strace_classes; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Adds the calls of a class to set; -1 if a name in it is unknown to k23
 * (the generated table and k23's names disagree). */
static int add_class(const struct k23_strace_class *c, uint64_t *set)
{
	const char *p = c->calls;

	while (*p) {
		char name[64];
		size_t n = strcspn(p, " ");
		long nr;

		if (n && n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = 0;
			if ((nr = k23_syscall_number(name)) < 0)
				return -1;
			if (nr < K23_TOPTS_CALLS)
				set_bit(set, nr);
		}
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

static int add_regex(const char *re, uint64_t *set, const char **why)
{
	regex_t r;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB)) {
		*why = "invalid regular expression";
		return -1;
	}
	for (long nr = 0; nr < K23_TOPTS_CALLS; nr++) {
		const char *name = k23_syscall_name(nr);

		if (name && !regexec(&r, name, 0, NULL, 0))
			set_bit(set, nr);
	}
	regfree(&r);
	return 0;
}

/* One token of a set: all, none, %class (or a class without % where no
 * call has that name), /regex, ?token (no error when unknown), a name. */
static int add_token(const char *tok, uint64_t *set, const char **why)
{
	const struct k23_strace_class *c;
	int optional = 0;
	long nr;

	if (*tok == '?')
		optional = 1, tok++;
	if (!strcmp(tok, "all")) {
		for (int i = 0; i < K23_TOPTS_WORDS; i++)
			set[i] = ~0ULL;
		return 0;
	}
	if (!strcmp(tok, "none"))
		return 0;
	if (*tok == '/')
		return add_regex(tok + 1, set, why);
	if (*tok == '%') {
		/* strace's alias: %net is %network */
		const char *name = !strcmp(tok + 1, "net") ? "network" : tok + 1;

		if ((c = find_class(name)))
			return add_class(c, set) ? (*why = "class table disagrees with k23's names", -1) : 0;
		if (optional)
			return 0;
		*why = "invalid system call class";
		return -1;
	}
	if ((nr = k23_syscall_number(tok)) >= 0) {
		if (nr < K23_TOPTS_CALLS)
			set_bit(set, nr);
		return 0;
	}
	if ((c = find_class(!strcmp(tok, "net") ? "network" : tok)))
		return add_class(c, set) ? (*why = "class table disagrees with k23's names", -1) : 0;
	if (optional)
		return 0;
	*why = "invalid system call";
	return -1;
}

int k23_strace_set(const char *spec, uint64_t *set, const char **why)
{
	int neg = 0;
	char *copy, *tok, *save = NULL;

	memset(set, 0, K23_TOPTS_WORDS * sizeof(uint64_t));
	while (*spec == '!')
		neg = !neg, spec++;
	if (!*spec) {
		*why = "empty set";
		return -1;
	}
	if (!(copy = strdup(spec))) {
		*why = strerror(errno);
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (add_token(tok, set, why)) {
			static char msg[160];

			snprintf(msg, sizeof(msg), "%s '%s'", *why, tok);
			*why = msg;
			free(copy);
			return -1;
		}
	}
	free(copy);
	if (neg)
		for (int i = 0; i < K23_TOPTS_WORDS; i++)
			set[i] = ~set[i];
	return 0;
}

static int bad(const char *what, const char *arg)
{
	return k23_fail(2, "run: %s '%s' (see docs/strace-compat.md)", what, arg);
}

/* why names the token already */
static int set_error(const char *why)
{
	return k23_fail(2, "run: %s (see docs/strace-compat.md)", why);
}

/* strace shows every call whose number it has no name for, whatever the
 * filter: so does k23 for the numbers it cannot name. */
static void add_unnamed(uint64_t *set)
{
	for (long nr = 0; nr < K23_TOPTS_CALLS; nr++)
		if (!k23_syscall_name(nr))
			set_bit(set, nr);
}

static int parse_status(struct k23_strace_opts *o, const char *spec)
{
	static const struct { const char *name; unsigned bits; } names[] = {
		{ "successful", K23_ST_SUCCESSFUL }, { "failed", K23_ST_FAILED },
		{ "unfinished", K23_ST_UNFINISHED },
		/* strace's unavailable and detached: calls a tracer lost track
		 * of; in-process, every call has its result */
		{ "unavailable", 0 }, { "detached", 0 },
		{ "all", K23_ST_SUCCESSFUL | K23_ST_FAILED | K23_ST_UNFINISHED }, { "none", 0 },
	};
	unsigned bits = 0;
	int neg = 0;
	const char *p = spec;

	while (*p == '!')
		neg = !neg, p++;
	while (*p) {
		size_t n = strcspn(p, ",");
		size_t i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n && !strncmp(names[i].name, p, n))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return bad("invalid status", spec);
		bits |= names[i].bits;
		p += n;
		p += *p == ',';
	}
	if (neg)
		bits = ~bits & (K23_ST_SUCCESSFUL | K23_ST_FAILED | K23_ST_UNFINISHED);
	/* "none" shows nothing; 0 means all, so nothing is a bit no call has */
	o->t.status = bits ? bits : 0x80;
	if (bits == (K23_ST_SUCCESSFUL | K23_ST_FAILED | K23_ST_UNFINISHED))
		o->t.status = 0;
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v > max)
		return -1;
	return 0;
}

/* when=FIRST, FIRST+, FIRST+STEP, FIRST..LAST, FIRST..LAST+STEP (strace's
 * ranges: FIRST and STEP 1..65535, LAST 1..65534). */
static int parse_when(const char *s, struct k23_inject *r)
{
	char buf[64], *plus, *dots;
	unsigned long first, last = K23_INJ_LAST_MAX, step = 1;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	plus = strchr(buf, '+');
	if (plus) {
		*plus++ = 0;
		if (*plus && (parse_uint(plus, 65535, &step) || !step))
			return -1;
	}
	dots = strstr(buf, "..");
	if (dots) {
		*dots = 0;
		if (parse_uint(dots + 2, 65534, &last) || !last)
			return -1;
	}
	if (parse_uint(buf, 65535, &first) || !first)
		return -1;
	if (!plus && !dots)
		last = first;
	if (dots && last < first)
		return -1;
	r->first = (uint32_t)first;
	r->last = (uint32_t)last;
	r->step = (uint32_t)step;
	return 0;
}

/* A delay: microseconds, or a number with s, ms, us or ns. */
static int parse_delay(const char *s, uint64_t *us)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -1;
	if (!*end || !strcmp(end, "us"))
		*us = (uint64_t)v;
	else if (!strcmp(end, "s"))
		*us = (uint64_t)(v * 1e6);
	else if (!strcmp(end, "ms"))
		*us = (uint64_t)(v * 1e3);
	else if (!strcmp(end, "ns"))
		*us = (uint64_t)(v / 1e3);
	else
		return -1;
	return 0;
}

static int parse_errno(const char *s, int64_t *v)
{
	unsigned long n;

	if (!parse_uint(s, K23_ERRNO_MAX, &n) && n) {
		*v = (int64_t)n;
		return 0;
	}
	for (int e = 1; e <= k23_errno_named; e++) {
		const char *name = k23_errno_name(e);

		if (name && !strcmp(name, s)) {
			*v = e;
			return 0;
		}
	}
	return -1;
}

/* inject=SET:error=E|retval=N[:when=W][:delay_enter=D][:delay_exit=D];
 * fault=SET[:error=E][:when=W] (error defaults to ENOSYS there). */
static int parse_inject(struct k23_strace_opts *o, const char *spec, int fault)
{
	struct k23_inject r = { .first = 1, .last = K23_INJ_LAST_MAX, .step = 1 };
	uint64_t set[K23_TOPTS_WORDS];
	char *copy = strdup(spec), *colon, *tok, *save = NULL;
	const char *why;
	int idx;

	if (!copy)
		return k23_fail(1, "run: %s", strerror(errno));
	colon = strchr(copy, ':');
	if (colon)
		*colon++ = 0;
	if (k23_strace_set(copy, set, &why)) {
		free(copy);
		return set_error(why);
	}
	for (tok = colon ? strtok_r(colon, ":", &save) : NULL; tok; tok = strtok_r(NULL, ":", &save)) {
		char *eq = strchr(tok, '=');
		const char *val = eq ? eq + 1 : "";
		unsigned long u;

		if (eq)
			*eq = 0;
		if (!strcmp(tok, "error")) {
			if (r.kind & (K23_INJ_ERROR | K23_INJ_RETVAL) || parse_errno(val, &r.value))
				goto fail;
			r.kind |= K23_INJ_ERROR;
		} else if (!strcmp(tok, "retval") && !fault) {
			char *end;

			if (r.kind & (K23_INJ_ERROR | K23_INJ_RETVAL))
				goto fail;
			errno = 0;
			r.value = strtoll(val, &end, 0);
			if (errno || end == val || *end)
				goto fail;
			r.kind |= K23_INJ_RETVAL;
		} else if (!strcmp(tok, "when")) {
			if (parse_when(val, &r))
				goto fail;
		} else if (!strcmp(tok, "delay_enter") && !fault) {
			if (parse_delay(val, &r.delay_enter_us))
				goto fail;
			r.kind |= K23_INJ_DELAY_ENTER;
		} else if (!strcmp(tok, "delay_exit") && !fault) {
			if (parse_delay(val, &r.delay_exit_us))
				goto fail;
			r.kind |= K23_INJ_DELAY_EXIT;
		} else {
			int rc = bad("unsupported inject option", tok);

			(void)u;
			free(copy);
			return rc;
		}
	}
	free(copy);
	if (fault && !(r.kind & K23_INJ_ERROR)) {
		r.kind |= K23_INJ_ERROR;
		r.value = ENOSYS;
	}
	if (!r.kind)
		return bad("inject needs error=, retval=, delay_enter= or delay_exit=", spec);
	if (o->t.ninject >= K23_INJECT_RULES)
		return bad("too many inject specs", spec);
	idx = (int)o->t.ninject++;
	o->t.inject[idx] = r;
	/* A later spec replaces an earlier one for the calls it names, as in strace. */
	for (long nr = 0; nr < K23_TOPTS_CALLS; nr++) {
		if (!k23_topts_bit(set, (unsigned long)nr) || !k23_syscall_name(nr))
			continue;
		o->t.inject_rule[nr] = (uint8_t)(idx + 1);
		set_bit(o->t.inject_any, nr);
	}
	o->inject = 1;
	return 0;
fail:
	free(copy);
	return bad("invalid inject option", spec);
}

static int parse_expr(struct k23_strace_opts *o, const char *expr)
{
	const char *eq = strchr(expr, '=');
	char q[32];
	size_t n;
	const char *why;

	if (!eq)
		eq = expr - 1, n = 0;	/* -e SET is -e trace=SET */
	else
		n = (size_t)(eq - expr);
	if (n >= sizeof(q))
		return bad("unknown qualifier", expr);
	memcpy(q, expr, n);
	q[n] = 0;
	if (!n || !strcmp(q, "trace") || !strcmp(q, "t")) {
		if (k23_strace_set(eq + 1, o->t.trace, &why))
			return set_error(why);
		add_unnamed(o->t.trace);
		o->output_implies_trace = 1;
		return 0;
	}
	if (!strcmp(q, "status"))
		return o->output_implies_trace = 1, parse_status(o, eq + 1);
	if (!strcmp(q, "inject"))
		return parse_inject(o, eq + 1, 0);
	if (!strcmp(q, "fault"))
		return parse_inject(o, eq + 1, 1);
	return bad("unsupported qualifier", q);
}

int k23_strace_opt(struct k23_strace_opts *o, int c, const char *arg)
{
	unsigned long v;

	o->t.flags |= K23_TO_SET;
	switch (c) {
	case 'e':
		return parse_expr(o, arg);
	case 'T':
		o->t.flags |= K23_TO_DURATION;
		o->output_implies_trace = 1;
		return 0;
	case 't':
		if (o->t.tstamp < 3)
			o->t.tstamp++;
		o->output_implies_trace = 1;
		return 0;
	case 'y':
		o->t.flags |= K23_TO_FDPATH;
		o->output_implies_trace = 1;
		return 0;
	case 's':
		if (parse_uint(arg, 1UL << 30, &v))
			return bad("invalid -s", arg);
		o->t.strmax = (uint32_t)(v < K23_STR_MAX ? v : K23_STR_MAX);
		o->output_implies_trace = 1;
		return 0;
	case 'c':
		o->count = 1;
		return 0;
	case 'S':
		if (!strcmp(arg, "calls"))
			o->sort = K23_SORT_CALLS;
		else if (!strcmp(arg, "time") || !strcmp(arg, "time_total") || !strcmp(arg, "total_time"))
			o->sort = K23_SORT_TIME;
		else if (!strcmp(arg, "errors"))
			o->sort = K23_SORT_ERRORS;
		else if (!strcmp(arg, "name") || !strcmp(arg, "syscall") || !strcmp(arg, "syscall_name"))
			o->sort = K23_SORT_NAME;
		else if (!strcmp(arg, "nothing") || !strcmp(arg, "none"))
			o->sort = K23_SORT_NOTHING;
		else
			return bad("invalid sort key", arg);
		return 0;
	case 'f':
		o->follow++;
		if (o->follow >= 2)
			o->t.flags |= K23_TO_FF;
		return 0;
	case 'z':	/* strace's --successful-only */
		return parse_expr(o, "status=successful");
	case 'Z':	/* --failed-only */
		return parse_expr(o, "status=failed");
	case 'J':
		o->t.flags |= K23_TO_JSON;
		o->output_implies_trace = 1;
		return 0;
	}
	return bad("unknown option", "?");
}

int k23_strace_opts_finish(struct k23_strace_opts *o, int tool)
{
	(void)tool;
	if (o->t.tstamp && o->t.tstamp < 3) {
		time_t now = time(NULL);
		struct tm tm;

		if (localtime_r(&now, &tm))
			o->t.tz_offset = tm.tm_gmtoff;
	}
	if (o->count && o->sort == K23_SORT_TIME)
		o->t.flags |= K23_TO_COUNT_TIME;
	return 0;
}
