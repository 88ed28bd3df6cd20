/* parse_oci.c - an OCI seccomp profile (Docker's, Podman's), read unchanged.
 *
 * As Podman (containers/common) reads it:
 *  - architectures, or the archMap entry of the native architecture and its
 *    sub-architectures, are the ABIs the filter covers; calls of any other
 *    ABI get libseccomp's bad-architecture action, kill (docs/policy.md);
 *  - an entry's includes/excludes are decided here: arches against amd64,
 *    caps against the effective capabilities of the process that compiles the
 *    policy (the user running k23), minKernel against the running kernel;
 *  - names this libseccomp does not know are skipped (runc and crun skip
 *    them too), and listed by `k23 policy explain`.
 * Actions that hand the call to someone else (SCMP_ACT_TRACE, _NOTIFY) or
 * raise SIGSYS (SCMP_ACT_TRAP: k23's own handler would receive it) are refused.
 */
#include <linux/capability.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "policy/yamlw.h"

static const char *const entry_keys[] = {
	"names", "name", "action", "errnoRet", "errno", "args", "comment", "includes", "excludes", NULL,
};
static const char *const filter_keys[] = { "caps", "arches", "minKernel", NULL };

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};
#define NCAPS (int)(sizeof(cap_names) / sizeof(cap_names[0]))

static const struct { const char *tok; uint32_t arch; } arch_toks[] = {
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 }, { "SCMP_ARCH_X86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32 },
};
/* Tokens of other machines: valid in a profile, never the ABI of a call here. */
static const char *const foreign_arch[] = {
	"SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
	"SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
	"SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
	"SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
	"SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB", NULL,
};

static uint64_t effective_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (syscall(SYS_capget, &h, d) != 0)
		return 0;
	return d[0].effective | (uint64_t)d[1].effective << 32;
}

static int has_cap(const char *name)
{
	for (int i = 0; i < NCAPS; i++)
		if (!strcmp(cap_names[i], name))
			return (effective_caps() >> i) & 1;
	return 0;
}

static int kernel_at_least(const char *v)
{
	struct utsname u;
	unsigned a, b, x = 0, y = 0;

	if (uname(&u) != 0 || sscanf(u.release, "%u.%u", &x, &y) != 2 || sscanf(v, "%u.%u", &a, &b) != 2)
		return 1;
	return x > a || (x == a && y >= b);
}

/* Does this entry apply here? why says why not. */
static int applies(struct yw *w, yaml_node_t *f, int include, char *why, size_t size)
{
	yaml_node_t *caps, *arches, *mk;
	int any = 0, all = 1;

	if (!f || yw_is_null(f))
		return 1;
	if (yw_keys(w, f, include ? "includes" : "excludes", filter_keys))
		return -1;
	caps = yw_get(w, f, "caps");
	arches = yw_get(w, f, "arches");
	mk = yw_get(w, f, "minKernel");
	for (int i = 0; caps && caps->type == YAML_SEQUENCE_NODE &&
	     i < caps->data.sequence.items.top - caps->data.sequence.items.start; i++) {
		yaml_node_t *c = yw_node(w, caps->data.sequence.items.start[i]);
		const char *s = yw_str(w, c, "cap");
		int h;

		if (!s)
			return -1;
		h = has_cap(s);
		all &= h;
		any |= h;
		if (include && !h)
			snprintf(why, size, "needs %s, which k23's caller lacks", s);
		if (!include && h)
			snprintf(why, size, "left out when %s is held, as it is", s);
	}
	if (include ? !all : any)
		return 0;
	for (int i = 0; arches && arches->type == YAML_SEQUENCE_NODE &&
	     i < arches->data.sequence.items.top - arches->data.sequence.items.start; i++) {
		yaml_node_t *a = yw_node(w, arches->data.sequence.items.start[i]);
		const char *s = yw_str(w, a, "arch");

		if (!s)
			return -1;
		any = !strcmp(s, "amd64");
		if (any)
			break;
	}
	if (arches && arches->type == YAML_SEQUENCE_NODE && (include ? !any : any)) {
		snprintf(why, size, include ? "for other architectures" : "not for amd64");
		return 0;
	}
	if (mk) {
		const char *s = yw_str(w, mk, "minKernel");

		if (!s)
			return -1;
		if (include ? !kernel_at_least(s) : 0) {
			snprintf(why, size, "needs kernel %s", s);
			return 0;
		}
	}
	return 1;
}

static int parse_action(struct yw *w, yaml_node_t *n, enum pol_action *a)
{
	static const struct { const char *tok; enum pol_action a; } acts[] = {
		{ "SCMP_ACT_ALLOW", POL_ALLOW }, { "SCMP_ACT_ERRNO", POL_ERRNO },
		{ "SCMP_ACT_KILL", POL_KILL_THREAD }, { "SCMP_ACT_KILL_THREAD", POL_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS", POL_KILL_PROCESS }, { "SCMP_ACT_LOG", POL_LOG },
	};
	const char *s = yw_str(w, n, "action"), *names[6], *near;

	if (!s)
		return 2;
	for (int i = 0; i < 6; i++) {
		names[i] = acts[i].tok;
		if (!strcmp(s, acts[i].tok)) {
			*a = acts[i].a;
			return 0;
		}
	}
	if (!strcmp(s, "SCMP_ACT_TRAP"))
		return yw_err(w, n, "SCMP_ACT_TRAP is not supported: the SIGSYS would reach k23's own "
			      "handler, not the program's");
	if (!strcmp(s, "SCMP_ACT_TRACE") || !strcmp(s, "SCMP_ACT_NOTIFY"))
		return yw_err(w, n, "%s is not supported: k23 hands calls to no tracer or notifier", s);
	near = k23_pol_nearest(s, names, 6);
	if (near)
		return yw_err(w, n, "unknown action '%s' (did you mean '%s'?)", s, near);
	return yw_err(w, n, "unknown action '%s'", s);
}

static int oci_errno(struct yw *w, yaml_node_t *ret, yaml_node_t *name, int *e)
{
	uint64_t v;

	if (ret) {
		if (yw_uint(w, ret, "errnoRet", &v))
			return 2;
		if (v < 1 || v > 4095)
			return yw_err(w, ret, "errnoRet %llu: an errno is 1 to 4095", (unsigned long long)v);
		*e = (int)v;
	} else if (name) {
		const char *s = yw_str(w, name, "errno");

		if (!s)
			return 2;
		if ((*e = k23_pol_errno(s)) < 0)
			return yw_err(w, name, "unknown errno '%s'", s);
	}
	return 0;
}

static void skip_name(struct policy *p, const char *name)
{
	for (int i = 0; i < p->nskipped; i++)
		if (!strcmp(p->skipped[i], name))
			return;
	p->skipped = realloc(p->skipped, (size_t)(p->nskipped + 1) * sizeof(char *));
	if (!p->skipped)
		abort();
	p->skipped[p->nskipped++] = strdup(name);
}

static int oci_name(struct yw *w, yaml_node_t *n, void *arg)
{
	struct pol_call_rule *r = arg;
	const char *s = yw_str(w, n, "name");

	if (!s)
		return 2;
	/* Known on any architecture libseccomp knows: fine; on x86-64 only
	 * those with a number here enter the filter. */
	if (seccomp_syscall_resolve_name(s) == __NR_SCMP_ERROR)
		skip_name(w->p, s);
	else
		k23_pol_rule_name(r, s, NULL, yw_at(n));
	return 0;
}

static void note_conditional(struct policy *p, yaml_node_t *n, const char *why)
{
	char buf[300];

	snprintf(buf, sizeof(buf), "line %d: %s", (int)n->start_mark.line + 1, why);
	p->conditional = realloc(p->conditional, (size_t)(p->nconditional + 1) * sizeof(char *));
	if (!p->conditional)
		abort();
	p->conditional[p->nconditional++] = strdup(buf);
}

static int oci_entry(struct yw *w, yaml_node_t *n, void *arg)
{
	struct pol_call_rule *r;
	yaml_node_t *names, *args;
	enum pol_action a;
	char why[200] = "";
	int rc, in, ex;

	(void)arg;
	if ((rc = yw_keys(w, n, "syscalls entry", entry_keys)))
		return rc;
	names = yw_get(w, n, "names");
	if (!names)
		names = yw_get(w, n, "name");
	if (!names || !yw_get(w, n, "action"))
		return yw_err(w, n, "syscalls entry: needs names and action");
	if ((rc = parse_action(w, yw_get(w, n, "action"), &a)))
		return rc;
	in = applies(w, yw_get(w, n, "includes"), 1, why, sizeof(why));
	ex = in > 0 ? applies(w, yw_get(w, n, "excludes"), 0, why, sizeof(why)) : 1;
	if (in < 0 || ex < 0)
		return 2;
	if (!in || !ex) {
		note_conditional(w->p, n, why);
		return 0;
	}
	r = k23_pol_add_rule(w->p, yw_at(n));
	r->action = a;
	r->err = 1; /* runc's and crun's default for SCMP_ACT_ERRNO */
	if (a == POL_ERRNO && (rc = oci_errno(w, yw_get(w, n, "errnoRet"), yw_get(w, n, "errno"), &r->err)))
		return rc;
	if ((rc = yw_each(w, names, "names", oci_name, r)))
		return rc;
	args = yw_get(w, n, "args");
	if (args && !yw_is_null(args))
		return k23_pol_parse_cond(w, args, r, 1);
	return 0;
}

static int add_arch(struct yw *w, yaml_node_t *n, void *arg)
{
	struct policy *p = w->p;
	const char *s = yw_str(w, n, "architecture");

	(void)arg;
	if (!s)
		return 2;
	for (size_t i = 0; i < sizeof(arch_toks) / sizeof(arch_toks[0]); i++) {
		if (strcmp(s, arch_toks[i].tok))
			continue;
		for (int j = 0; j < p->narch; j++)
			if (p->arch[j] == arch_toks[i].arch)
				return 0;
		p->arch[p->narch++] = arch_toks[i].arch;
		return 0;
	}
	for (int i = 0; foreign_arch[i]; i++)
		if (!strcmp(s, foreign_arch[i]))
			return 0;
	return yw_err(w, n, "unknown architecture '%s'", s);
}

static int parse_archmap(struct yw *w, yaml_node_t *n, void *arg)
{
	yaml_node_t *a, *sub;
	const char *s;

	(void)arg;
	if (n->type != YAML_MAPPING_NODE || !(a = yw_get(w, n, "architecture")))
		return yw_err(w, n, "archMap entry: needs architecture");
	if (!(s = yw_str(w, a, "architecture")))
		return 2;
	if (strcmp(s, "SCMP_ARCH_X86_64"))
		return 0; /* another machine's entry */
	if (add_arch(w, a, NULL))
		return 2;
	sub = yw_get(w, n, "subArchitectures");
	return sub && !yw_is_null(sub) ? yw_each(w, sub, "subArchitectures", add_arch, NULL) : 0;
}

static int parse_flag(struct yw *w, yaml_node_t *n, void *arg)
{
	const char *s = yw_str(w, n, "flag");

	(void)arg;
	if (!s)
		return 2;
	/* TSYNC: k23 installs the filter before the program has threads. */
	if (!strcmp(s, "SECCOMP_FILTER_FLAG_TSYNC"))
		return 0;
	return yw_err(w, n, "seccomp flag '%s' is not supported", s);
}

int k23_pol_parse_oci(struct yw *w, yaml_node_t *root)
{
	struct policy *p = w->p;
	yaml_node_t *n;
	int rc;

	if (!(n = yw_get(w, root, "defaultAction")))
		return yw_err(w, root, "OCI profile: no defaultAction");
	p->def_at = yw_at(n);
	if ((rc = parse_action(w, n, &p->def)))
		return rc;
	if (p->def == POL_ERRNO &&
	    (rc = oci_errno(w, yw_get(w, root, "defaultErrnoRet"), yw_get(w, root, "defaultErrno"),
			    &p->def_errno)))
		return rc;
	p->narch = 0;
	if ((n = yw_get(w, root, "architectures")) && !yw_is_null(n) &&
	    (rc = yw_each(w, n, "architectures", add_arch, NULL)))
		return rc;
	if ((n = yw_get(w, root, "archMap")) && !yw_is_null(n) &&
	    (rc = yw_each(w, n, "archMap", parse_archmap, NULL)))
		return rc;
	if ((n = yw_get(w, root, "flags")) && !yw_is_null(n) &&
	    (rc = yw_each(w, n, "flags", parse_flag, NULL)))
		return rc;
	if ((n = yw_get(w, root, "syscalls")) && !yw_is_null(n)) {
		if (n->type != YAML_SEQUENCE_NODE)
			return yw_err(w, n, "syscalls: expected a list");
		return yw_each(w, n, "syscalls", oci_entry, NULL);
	}
	return 0;
}
