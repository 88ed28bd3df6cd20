/* needs.c - the calls k23's loader and runtime make themselves once a policy is installed, and whether a policy's filter lets them through.
 *
 * The policy's filter binds k23's own text (it has no instruction-pointer
 * exemption), so a policy that denies one of these breaks k23, not the
 * program: `check` and `run` refuse such a policy and `explain` lists these
 * calls with the verdict the compiled filter gives each. Each is tried with
 * the arguments k23 passes where a rule could tell them apart (prctl's
 * option, clone's flags). The list covers every image: the re-executed
 * loader (musl's start-up, mapping, the stack), the runtime (signals,
 * patching, execve and vfork handling) and the first image's catch-all
 * filter. Keep it in step with the code: a call added to online/ or loader/
 * belongs here.
 */
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <string.h>
#include "policy/policy.h"

#define A(...) { __VA_ARGS__ }

const struct k23_need k23_needs[] = {
	{ "execveat", "re-executes k23 for the program's execve (online/process/reexec.c)", 1,
	  { A(0, 0, 0, 0, 0x1000 /* AT_EMPTY_PATH */) } },
	{ "clone", "performs the program's vfork as clone(CLONE_VM|CLONE_VFORK) (online/process/clone.c)", 2,
	  { A(0x4111 /* CLONE_VM|CLONE_VFORK|SIGCHLD */), A(0x4011 /* CLONE_VFORK|SIGCHLD */) } },
	{ "rt_sigreturn", "returns from its SIGSYS handler", 0, { { 0 } } },
	{ "rt_sigaction", "installs its SIGSYS handler", 0, { { 0 } } },
	{ "rt_sigprocmask", "keeps SIGSYS unblocked", 0, { { 0 } } },
	{ "sigaltstack", "runs handlers on its own stack", 0, { { 0 } } },
	{ "seccomp", "installs its catch-all filter (first image)", 1, { A(1 /* SET_MODE_FILTER */) } },
	{ "prctl", "arms Syscall User Dispatch, names the process, records the argument range", 4,
	  { A(59 /* PR_SET_SYSCALL_USER_DISPATCH */, 1), A(15 /* PR_SET_NAME */),
	    A(35 /* PR_SET_MM */, 14 /* PR_SET_MM_MAP */), A(38 /* PR_SET_NO_NEW_PRIVS */, 1) } },
	{ "arch_prctl", "sets its thread pointer (musl) and its per-thread area (%gs)", 2,
	  { A(0x1002 /* ARCH_SET_FS */), A(0x1001 /* ARCH_SET_GS */) } },
	{ "tgkill", "raises SIGSYS and stack faults for the program's handlers", 0, { { 0 } } },
	{ "set_tid_address", "starts up (musl)", 0, { { 0 } } },
	{ "brk", "allocates memory (musl)", 0, { { 0 } } },
	{ "mmap", "maps the program, its interpreter and its own memory", 2,
	  { A(0, 4096, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1ULL, 0),
	    A(0x400000, 4096, 5 /* RX */, 0x12 /* PRIVATE|FIXED */, 3, 0) } },
	{ "munmap", "unmaps what it no longer needs", 0, { { 0 } } },
	{ "mprotect", "sets segment protections, patches syscall sites", 2,
	  { A(0x400000, 4096, 3 /* RW */), A(0x400000, 4096, 5 /* RX */) } },
	{ "madvise", "frees memory (musl)", 0, { { 0 } } },
	{ "membarrier", "synchronises cores after patching", 0, { { 0 } } },
	{ "open", "opens the program and its interpreter (musl)", 0, { { 0 } } },
	{ "openat", "opens sidecars, /proc/self/maps, the program on execve", 0, { { 0 } } },
	{ "read", "reads the hand-over settings", 0, { { 0 } } },
	{ "pread64", "reads ELF headers and sidecars", 0, { { 0 } } },
	{ "close", "closes what it opened", 0, { { 0 } } },
	{ "fstat", "sizes files it maps", 0, { { 0 } } },
	{ "readlink", "finds its own binary and the program's path", 0, { { 0 } } },
	{ "fcntl", "keeps its descriptors across execve", 0, { { 0 } } },
	{ "dup3", "moves its descriptors out of the program's way", 0, { { 0 } } },
	{ "faccessat2", "checks execute permission as the kernel's execve would", 0, { { 0 } } },
	{ "stat", "checks an interpreter or program before it loads it, and its own binary (loader/target.c, loader/launch.c)", 0, { { 0 } } },
	{ "execve", "asks the kernel whether it would execute a file, with an invalid argv (loader/target.c)", 1,
	  { A(0, -4096ULL, 0) } },
	{ "getsockopt", "tells a TCP socket from others before a port rule, for the audit log and complain mode (online/policy/pol_ports.c)", 0, { { 0 } } },
	{ "clock_gettime", "stamps the audit log's lines (online/policy/pol_log.c)", 0, { { 0 } } },
	{ "prlimit64", "reads and raises RLIMIT_NOFILE to keep its descriptors out of the program's way (online/guard/fdguard.c)", 0, { { 0 } } },
	{ "memfd_create", "carries its settings across execve", 0, { { 0 } } },
	{ "ftruncate", "sizes the settings memfd", 0, { { 0 } } },
	{ "write", "tool output and error messages", 0, { { 0 } } },
	{ "writev", "error messages (musl stdio)", 0, { { 0 } } },
	{ "process_vm_readv", "reads the program's memory without faulting", 0, { { 0 } } },
	{ "process_vm_writev", "writes results to the program's memory without faulting", 0, { { 0 } } },
	{ "renameat", "updates sidecars atomically", 0, { { 0 } } },
	{ "capget", "learns whether it may move the exe link to the program (loader/selfcopy.c)", 0, { { 0 } } },
	{ "mremap", "moves its own writable pages out of its file (loader/selfcopy.c)", 0, { { 0 } } },
	{ "pwrite64", "rebuilds its own binary in a memfd when the file is gone (online/process/reexec.c)", 0, { { 0 } } },
	{ "gettid", "identifies the thread", 0, { { 0 } } },
	{ "getpid", "identifies the process", 0, { { 0 } } },
	{ "exit_group", "ends the process", 0, { { 0 } } },
	{ "exit", "ends a thread", 0, { { 0 } } },
};
const int k23_nneeds = sizeof(k23_needs) / sizeof(k23_needs[0]);

/* Synthesized files (online/virtual/vfile.c, vdir.c, vhost.c). */
const struct k23_need k23_synth_needs[] = {
	{ "fchmod", "gives a synthesized file its mode 0444", 0, { { 0 } } },
	{ "utimensat", "gives a synthesized file its times", 0, { { 0 } } },
	{ "newfstatat", "compares directories with a synthesized file's", 0, { { 0 } } },
	{ "statx", "answers statx for a synthesized file", 0, { { 0 } } },
	{ "lseek", "finds a directory's listing at its start (getdents64)", 0, { { 0 } } },
	{ "readlinkat", "names a synthesized file's descriptor", 0, { { 0 } } },
};
const int k23_nsynth_needs = sizeof(k23_synth_needs) / sizeof(k23_synth_needs[0]);

/* The rule that gives nr a non-allowing verdict, or NULL (the default). */
static const struct pol_call_rule *denying_rule(const struct policy *p, const char *name)
{
	for (int i = 0; i < p->ncalls; i++)
		for (int j = 0; j < p->calls[i].nnames; j++)
			if (p->calls[i].action != POL_ALLOW && p->calls[i].action != POL_LOG &&
			    !strcmp(p->calls[i].names[j], name))
				return &p->calls[i];
	return NULL;
}

static int allowed(uint32_t v)
{
	return (v & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW ||
	       (v & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG;
}

/* 1 if every argument vector of need n passes the filter. */
int k23_need_passes(const struct pol_compiled *c, const struct k23_need *n, uint32_t *verdict)
{
	static const uint64_t zero[6];
	int nr = k23_pol_call_nr(n->name);

	*verdict = SECCOMP_RET_ALLOW;
	if (!c->bpf_len)
		return 1;
	for (int v = 0; v < (n->nargs ? n->nargs : 1); v++) {
		*verdict = k23_bpf_run(c->bpf, c->bpf_len, AUDIT_ARCH_X86_64, nr, 0x23000000,
				       n->nargs ? n->args[v] : zero);
		if (!allowed(*verdict))
			return 0;
	}
	return 1;
}

int k23_policy_check_needs(const struct policy *p, const struct pol_compiled *c, FILE *out,
			   const char *prefix)
{
	int denied = 0, n = k23_nneeds + (p->nsynth ? k23_nsynth_needs : 0);

	for (int i = 0; i < n; i++) {
		const struct k23_need *need = i < k23_nneeds ? &k23_needs[i] : &k23_synth_needs[i - k23_nneeds];
		const struct pol_call_rule *r;
		uint32_t v;

		if (k23_need_passes(c, need, &v))
			continue;
		if (denied++)
			continue;
		r = denying_rule(p, need->name);
		fprintf(out, "%s%s:%d:%d: the policy denies %s, which k23 itself needs (it %s)",
			prefix, p->file, r ? r->at.line : p->def_at.line, r ? r->at.col : p->def_at.col,
			need->name, need->why);
	}
	if (denied > 1)
		fprintf(out, "; and %d more: see `k23 policy explain %s`", denied - 1, p->file);
	if (denied)
		fputc('\n', out);
	return denied;
}
