/* explain.c - `k23 policy explain`: each rule, the layer that enforces it, and whether it holds against a hostile program. */
#include <arpa/inet.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>
#include "policy/landlock.h"
#include "policy/policy.h"

static void action(FILE *o, enum pol_action a, int err)
{
	static const char *const names[] = { "allow", "deny", "kill (process)", "kill (thread)",
					     "log (kernel audit), allow" };

	fputs(names[a], o);
	if (a == POL_ERRNO)
		fprintf(o, " with %s", k23_pol_errno_name(err));
}

static void names(FILE *o, const struct pol_call_rule *r)
{
	const char *last_via = NULL;
	int col = 4;

	for (int i = 0; i < r->nnames; i++) {
		const char *v = r->via[i];

		if (v && last_via && !strcmp(v, last_via))
			continue; /* a group is shown once, by name */
		last_via = v;
		if (col > 76) {
			fputs("\n   ", o);
			col = 4;
		}
		col += fprintf(o, " %s", v ? v : r->names[i]);
	}
	fputc('\n', o);
}

static void conds(FILE *o, const struct pol_call_rule *r)
{
	static const char *const ops[] = { "!=", "<", "<=", "==", ">=", ">", "&" };

	for (int i = 0; i < r->ncond; i++) {
		const struct pol_cond *c = &r->cond[i];

		fprintf(o, "%s arg%u ", i ? " and" : "   when", c->arg);
		if (c->op == POL_MASKED_EQ)
			fprintf(o, "& %#llx == %#llx", (unsigned long long)c->value,
				(unsigned long long)c->value2);
		else
			fprintf(o, "%s %#llx", ops[c->op], (unsigned long long)c->value);
	}
	if (r->ncond)
		fputc('\n', o);
}

static void calls(const struct policy *p, const struct pol_compiled *c, FILE *o)
{
	fprintf(o, "calls: kernel layer, seccomp filter (%u instructions, built by libseccomp)\n"
		"  holds against a hostile program: it has no instruction-pointer exemption, so calls\n"
		"  made from k23's own text (a jump to a `syscall` in k23) get the same verdict;\n"
		"  it is inherited by every thread and child and survives execve.\n", c->bpf_len);
	fputs("  default: ", o);
	action(o, p->def, p->def_errno);
	fprintf(o, "  (line %d)\n", p->def_at.line);
	for (int i = 0; i < p->ncalls; i++) {
		fprintf(o, "  line %d: ", p->calls[i].at.line);
		action(o, p->calls[i].action, p->calls[i].err);
		fputc(':', o);
		names(o, &p->calls[i]);
		conds(o, &p->calls[i]);
	}
	if (c->ring_refused)
		fputs("  k23: deny io_uring_setup with EPERM - the file deny rules inside granted trees\n"
		      "    or the network destination rules are in-process, and a ring's operations\n"
		      "    never pass k23's dispatcher\n", o);
	fputs("  architectures: x86_64", o);
	for (int i = 0; i < p->narch; i++)
		if (p->arch[i] == SCMP_ARCH_X86)
			fputs(", i386 (int $0x80)", o);
		else if (p->arch[i] == SCMP_ARCH_X32)
			fputs(", x32", o);
	fputs("; a call of any other ABI kills the process\n", o);
	for (int i = 0; i < p->nskipped; i++)
		fprintf(o, "  skipped (unknown to this libseccomp, as runc and crun skip it): %s\n",
			p->skipped[i]);
	for (int i = 0; i < p->nconditional; i++)
		fprintf(o, "  left out by includes/excludes: %s\n", p->conditional[i]);
}

static const char *kind(const struct pol_path_rule *r)
{
	return r->kind == POL_PATH_READ ? "read" : r->kind == POL_PATH_READ_WRITE ? "read-write" : "deny";
}

static void weak_line(const struct pol_path_rule *d, const struct pol_path_rule *g, void *arg)
{
	FILE *o = arg;

	fprintf(o, "  line %d: deny %s (%s): in-process (bypassable by a hostile program) - inside "
		"%s (granted%s), which Landlock cannot carve a path out of\n", d->at.line, d->written,
		k23_pol_errno_name(d->err ? d->err : 13), g->path, g->own ? " by k23 itself" : "");
}

static void files(const struct policy *p, const struct pol_compiled *c, FILE *o)
{
	fprintf(o, "files: kernel layer, Landlock (ABI %d) - holds against a hostile program:\n"
		"  the kernel checks the file actually reached, after `..`, symlinks, a dirfd or\n"
		"  /proc/self/root, with no check-then-use window. Anything not granted: EACCES.\n",
		c->landlock_abi);
	for (int i = 0; i < p->npaths; i++) {
		const struct pol_path_rule *r = &p->paths[i];

		if (r->kind == POL_PATH_DENY || r->own)
			continue;
		fprintf(o, "  line %d: %s %s", r->at.line, kind(r), r->path);
		if (strcmp(r->path, r->written))
			fprintf(o, " (written %s)", r->written);
		fputc('\n', o);
	}
	for (int i = 0; i < p->npaths; i++) {
		const struct pol_path_rule *r = &p->paths[i], *g;

		if (r->kind != POL_PATH_DENY)
			continue;
		if (r->scope)
			fprintf(o, "  line %d: deny %s (%s) in images of %s (scope): in-process (bypassable "
				"by a hostile program) - the kernel layers cannot differ per executable\n",
				r->at.line, r->written, k23_pol_errno_name(r->err ? r->err : 13), r->scope);
		else if ((g = k23_policy_covering(p, r)))
			weak_line(r, g, o);
		else
			fprintf(o, "  line %d: deny %s: kernel-enforced (no grant covers it: EACCES "
				"from Landlock)%s%s\n", r->at.line, r->written,
				r->err && r->err != 13 ? "; in-process first, with " : "",
				r->err && r->err != 13 ? k23_pol_errno_name(r->err) : "");
	}
	for (int i = 0; i < p->npaths; i++)
		if (p->paths[i].own)
			fprintf(o, "  k23's own: read %s (%s); the program gets it too\n",
				p->paths[i].path, p->paths[i].why);
	fputs("  the tool output (-o FILE or stderr) is opened before the policy: not granted\n", o);
}

static void ops(FILE *o, unsigned ops)
{
	const char *sep = "";

	if (ops & POL_NET_CONNECT) {
		fputs("connect", o);
		sep = "+";
	}
	if (ops & POL_NET_BIND) {
		fprintf(o, "%sbind", sep);
		sep = "+";
	}
	if (ops & POL_NET_SENDTO)
		fprintf(o, "%ssendto", sep);
}

static void destinations(const struct policy *p, FILE *o)
{
	unsigned closed = 0;

	fputs("network destinations (to:): in-process (bypassable by a hostile program) -\n"
	      "  connect, bind, sendto, sendmsg and each message of sendmmsg, decided on a copy of\n"
	      "  the address that the kernel then receives; the first rule in file order that\n"
	      "  names the operation and matches the destination decides:\n", o);
	for (int i = 0; i < p->ndest; i++) {
		const struct pol_dest_rule *r = &p->dest[i];

		fprintf(o, "  line %d: %s ", r->at.line, r->deny ? "deny" : "allow");
		ops(o, r->ops);
		fprintf(o, " to %s", r->written);
		if (r->deny)
			fprintf(o, " (%s)", k23_pol_errno_name(r->err ? r->err : 13));
		if (r->scope)
			fprintf(o, " in images of %s (scope, after the tree's rules let it through)",
				r->scope);
		fputs(": in-process (bypassable by a hostile program)\n", o);
		if (!r->deny)
			closed |= r->ops;
	}
	if (closed) {
		fputs("  any other destination of ", o);
		ops(o, closed);
		fputs(": EACCES (those operations have allow rules)\n", o);
	}
}

/* "10.77.0.5", "fd00::5"; 1 if IPv4 */
static int addr_text(const uint8_t addr[16], char a[INET6_ADDRSTRLEN])
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	int v4 = !memcmp(addr, mapped, 12);

	inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? (const void *)(addr + 12) : (const void *)addr, a,
		  INET6_ADDRSTRLEN);
	return v4;
}

/* "10.77.0.5:5432", "[fd00::5]:5432" */
static const char *endpoint(const uint8_t addr[16], unsigned port, char *out, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(out, size, addr_text(addr, a) ? "%s:%u" : "[%s]:%u", a, port);
	return out;
}

static void identity(const struct policy *p, FILE *o)
{
	char a[80];

	fputs("network identity (identity:): in-process, what the program is shown (not a\n"
	      "  confinement) - connect, bind, sendto, sendmsg and each message of sendmmsg to a\n"
	      "  rewrite's from go to its to; getpeername, getsockname, accept, accept4, recvfrom,\n"
	      "  recvmsg and recvmmsg show its to as its from; destination rules (to:) see the to:\n", o);
	for (int i = 0; i < p->nhosts; i++) {
		addr_text(p->hosts[i].addr, a);
		fprintf(o, "  line %d: host %s is %s\n", p->hosts[i].at.line, p->hosts[i].name, a);
	}
	for (int i = 0; i < p->nrewrite; i++) {
		const struct pol_rewrite *r = &p->rewrite[i];

		fprintf(o, "  line %d: rewrite %s", r->at.line, r->from_written);
		if (strcmp(endpoint(r->from, r->from_port, a, sizeof(a)), r->from_written))
			fprintf(o, " (%s)", a);
		fprintf(o, " to %s\n", endpoint(r->to, r->to_port, a, sizeof(a)));
	}
}

static void network(const struct policy *p, const struct pol_compiled *c, FILE *o)
{
	fprintf(o, "network: kernel layer, Landlock (ABI %d), TCP ports - holds against a hostile\n"
		"  program. TCP bind/connect to any port not granted: EACCES. Addresses, UDP and\n"
		"  unix sockets: destination rules (to:), in-process.\n", c->landlock_abi);
	for (int i = 0; i < p->nnet; i++) {
		const struct pol_net_rule *r = &p->net[i];

		fprintf(o, "  line %d: %s%s%s%s port %u", r->at.line, r->deny ? "deny " : "allow ",
			r->ops & POL_NET_CONNECT ? "connect" : "",
			(r->ops & POL_NET_CONNECT) && (r->ops & POL_NET_BIND) ? "+" : "",
			r->ops & POL_NET_BIND ? "bind" : "", r->lo);
		if (r->hi != r->lo)
			fprintf(o, "-%u", r->hi);
		fputs(r->deny ? " (kernel-enforced: not granted)\n" : "\n", o);
	}
}

/* map: what each name is served from. */
static void maps(const struct policy *p, FILE *o)
{
	fputs("path maps (map:): in-process (online/virtual/), what the program is shown (not a\n"
	      "  confinement) - a name at or below a map's path is served from its target; policy\n"
	      "  rules see the target's names (docs/virtual.md)\n", o);
	for (int i = 0; i < p->nmap; i++)
		fprintf(o, "  line %d: %s -> %s (%s)\n", p->map[i].at.line, p->map[i].path, p->map[i].to,
			p->map[i].read_only ? "read-only" : "read-write");
}

/* libraries: what each bundle replaces, and where. */
static void libraries(const struct policy *p, FILE *o)
{
	fprintf(o, "libraries: in-process (online/virtual/vlib.c) - an open of a library in one of the\n"
		"  %d directories ld.so searches here opens the bundle's file of that name instead:\n",
		p->nlibdirs);
	for (int i = 0; i < p->nlibs; i++) {
		const struct pol_lib *l = &p->libs[i];

		fprintf(o, "  line %d: images of %s: %d from %s", l->at.line, l->exe, l->nnames, l->bundle);
		for (int k = 0; k < l->nnames && k < 8; k++)
			fprintf(o, "%s%s", k ? ", " : " (", l->names[k]);
		fputs(l->nnames > 8 ? ", ...)\n" : l->nnames ? ")\n" : "\n", o);
	}
}

static void needs(const struct pol_compiled *c, FILE *o)
{
	fputs("k23's own calls (the filter binds k23 too; a policy that denies one is refused):\n", o);
	for (int i = 0; i < k23_nneeds; i++) {
		uint32_t v;
		int ok = k23_need_passes(c, &k23_needs[i], &v);

		fprintf(o, "  %-18s %s  %s\n", k23_needs[i].name, ok ? "allowed" : "DENIED ",
			k23_needs[i].why);
	}
}

/* The virtual world's synthesized files and host name (parse_synth.c). */
static void synthesized(const struct policy *p, FILE *o)
{
	if (p->hostname)
		fprintf(o, "identity: hostname %s (line %d): uname's nodename, /etc/hostname, ${HOSTNAME}\n",
			p->hostname, p->hostname_at.line);
	if (!p->nsynth)
		return;
	fputs("synthesized files (regular, read-only, mode 0444; not on disk; docs/virtual.md):\n", o);
	for (int i = 0; i < p->nsynth; i++)
		fprintf(o, "  line %d: %s, %zu bytes%s\n", p->synth[i].at.line, p->synth[i].path,
			p->synth[i].size, p->synth[i].from_identity ? " (from identity:)" : "");
}

/* remote: (parse_remote.c): trees served by a 9P2000.L server. */
static void remote_trees(const struct policy *p, FILE *o)
{
	fputs("remote trees (served by a 9P2000.L server through k23's proxy; docs/remote.md):\n", o);
	for (int i = 0; i < p->nremote; i++) {
		const struct pol_remote *m = &p->remote[i];

		fprintf(o, "  line %d: %s from %s%s%s port %u, export %s; calls wait %u s, then EIO;\n"
			"    server unreachable at start: %s\n", m->at.line, m->path,
			strchr(m->host, ':') ? "[" : "", m->host, strchr(m->host, ':') ? "]" : "", m->port,
			m->export, m->timeout_s,
			m->start_anyway ? "the program starts, its remote calls fail with EIO"
					: "k23 run exits 1");
	}
}

void k23_policy_explain(const struct policy *p, const struct pol_compiled *c, FILE *o)
{
	fprintf(o, "policy %s (%s)\n", p->file,
		p->form == POL_FORM_OCI ? "OCI seccomp profile" : "k23 form");
	if (p->complain)
		fputs("mode: complain - NOTHING IS ENFORCED: the layers below are not installed; k23\n"
		      "  evaluates them in-process and logs what each would deny (see in-process layer)\n", o);
	if (c->bpf_len)
		calls(p, c, o);
	else
		fputs("calls: no call rules: every call is allowed (no seccomp layer)\n", o);
	if (p->has_files && c->handled_fs)
		files(p, c, o);
	else if (p->has_files)
		fputs("files: NOT ENFORCED (this kernel has no Landlock; accepted by --accept-weaker)\n", o);
	else
		fputs("files: no file rules: every path as without k23\n", o);
	if (p->has_network && c->handled_net)
		network(p, c, o);
	else if (p->has_network)
		fputs("network: NOT ENFORCED (this kernel's Landlock has no network rules)\n", o);
	else if (!p->ndest)
		fputs("network: no network rules\n", o);
	if (p->ndest)
		destinations(p, o);
	if (p->nmap)
		maps(p, o);
	if (p->nhosts || p->nrewrite)
		identity(p, o);
	if (p->nlibs)
		libraries(p, o);
	fputs("in-process layer (bypassable by a hostile program: a jump to a `syscall` in k23's\n"
	      "  text, or writing k23's memory, gets past it; an ordinary program cannot):\n"
	      "  decided in k23's dispatcher for every call, patched or trapped, in every image\n", o);
	if (p->complain)
		fputs("  mode: complain - no kernel layer is installed; every would-be denial of every\n"
		      "  layer (the seccomp filter run in-process, the Landlock grants, the deny rules)\n"
		      "  is logged and the call is made\n", o);
	else
		fputs("  mode: enforce\n", o);
	if (p->log)
		fprintf(o, "  log: %s (line %d): one JSON line per denied or logged decision\n", p->log,
			p->log_at.line);
	if (k23_policy_weak_paths(p, NULL, NULL))
		fputs("  file deny rules inside granted trees (listed under files:)\n", o);
	if (k23_policy_nscoped(p))
		fputs("  file deny rules of a scope, for the images of one executable (listed under files:)\n", o);
	if (p->ndest)
		fputs("  network destination rules (listed under network destinations:)\n", o);
	if (k23_policy_nscoped_dest(p))
		fputs("  destination deny rules of a scope, for the images of one executable (listed\n"
		      "  under network destinations:)\n", o);
	if (c->ring_refused)
		fputs("  io_uring: the seccomp filter refuses io_uring_setup (EPERM) while deny rules\n"
		      "  inside granted trees or destination rules are in force: a ring's operations\n"
		      "  bypass the dispatcher\n", o);
	synthesized(p, o);
	if (p->nremote)
		remote_trees(p, o);
	needs(c, o);
}
