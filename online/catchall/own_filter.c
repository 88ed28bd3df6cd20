/* own_filter.c - a program's own seccomp filter, behind a prologue that exempts k23's own calls.
 *
 * A filter the program installs is the kernel's for real (stacked on k23's,
 * inherited, kept across execve, TSYNC to the other threads), so it judges
 * every call the thread makes - k23's own too: the rt_sigreturn that ends
 * k23's SIGSYS handler, its mask switches, gettid, the mappings of its
 * per-thread areas, its tool's writes. An allow-list filter refusing those
 * would break k23 (natively the program runs on). So k23 installs the
 * program's filter, unchanged, behind a prologue:
 *
 *   ld arch;  not x86-64            -> the program's filter
 *   ld nr;    a number no site may  -> the program's filter
 *   ld arg0;  (prctl, arch_prctl, prlimit64 only) not the value k23
 *             makes it with          -> the program's filter
 *   ld ip;    one of the sites that may make that number -> ALLOW
 *   otherwise                        -> the program's filter (A = 0)
 *
 * The sites are the instructions k23 makes its own calls from
 * (k23_own_sites below), each with the numbers it needs there; a number
 * k23 makes with one fixed first argument passes only with it
 * (k23_own_args), so the program cannot borrow k23's prctl for another
 * option, nor its prlimit64 for another process. The calls
 * k23 makes for the program leave from other instructions (call_raw.S:
 * passed-through and re-issued calls; clone.S; the fast path), so the
 * program's filter judges them as natively, with every action it can
 * return. The prologue tests the number before the instruction pointer, so
 * a number none of the sites needs keeps the kernel's action cache: the
 * emulation (seccomp_cache_prepare) follows the prologue's number tests
 * into the program's filter. The prologue is part of the same filter:
 * /proc/PID/status counts one filter per install, as natively.
 *
 * What the exemption lets a hostile in-process attacker do (jump to one of
 * these instructions) is in docs/threat-model.md.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/prctl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include "k23/compat.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/dispatch/fastpath.h"
#include "online/catchall/own_filter.h"

#define LD_W(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (field))
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JA(k) BPF_JUMP(BPF_JMP | BPF_JA, (k), 0, 0)
#define IP_LO offsetof(struct seccomp_data, instruction_pointer)
#define IP_HI (IP_LO + 4)

/* The instructions (own_syscall.S, sigreturn.S, call_raw.S, ptrace_mark.S,
 * clone.S): the label right after each syscall. */
extern const char k23_own_syscall_ip[], k23_restore_rt_ip[], k23_run_moved_ip[],
	k23_sigreturn_to_ip[], k23_call_masked_open[], k23_call_masked_closed[],
	k23_ptrace_enter_ip[], k23_ptrace_exit_ip[], k23_unmap_exit_munmap_ip[],
	k23_unmap_exit_exit_ip[];

/* What k23 makes for itself through common/arch/x86_64/syscall.h. Not here,
 * so judged by the program's filter like the program's own calls: the
 * calls k23 makes only for the program (clone, execve, the probe of
 * execveat in exec.c, close_range, ptrace, wait4, waitid, seccomp,
 * readlink), and the calls only a policy, the virtual world, a tracer or
 * the sidecar cache needs (docs/differences.md). */
static const int own_calls[] = {
	/* trapping a call, delivering signals, the program's SIGSYS */
	__NR_rt_sigprocmask, __NR_rt_sigaction, __NR_sigaltstack, __NR_gettid, __NR_getpid,
	__NR_tgkill, __NR_rt_tgsigqueueinfo, __NR_rt_sigtimedwait,
	/* k23's memory: per-thread areas, stubs, patching code */
	__NR_mmap, __NR_munmap, __NR_mprotect, __NR_madvise, __NR_membarrier, __NR_arch_prctl,
	/* reading and writing the program's memory without faulting (rtlib.c) */
	__NR_process_vm_readv, __NR_process_vm_writev,
	/* a new thread arms Syscall User Dispatch (arm.c) */
	__NR_prctl,
	/* k23's descriptors: tool output, counters, /proc reads, moving them
	 * out of the program's way (fdguard.c), the rooms they are made in */
	__NR_read, __NR_write, __NR_open, __NR_openat, __NR_close, __NR_fstat, __NR_newfstatat,
	__NR_lseek, __NR_pread64, __NR_fcntl, __NR_dup3, __NR_prlimit64, __NR_capget,
	/* the tools' timestamps, -e inject=...:delay_*= */
	__NR_clock_gettime, __NR_nanosleep,
	/* an execve: k23 opens the program's file and re-executes itself */
	__NR_memfd_create, __NR_pwrite64, __NR_execveat,
	/* a thread or process k23 must end */
	__NR_exit, __NR_exit_group,
};
static const int sigreturn_only[] = { __NR_rt_sigreturn };
static const int mask_only[] = { __NR_rt_sigprocmask };
static const int getpid_only[] = { __NR_getpid };
static const int munmap_only[] = { __NR_munmap };
static const int exit_only[] = { __NR_exit };

#define SITE(label, set) { (unsigned long)(label), set, (int)(sizeof(set) / sizeof(set[0])) }
const struct k23_own_site k23_own_sites[] = {
	SITE(k23_own_syscall_ip, own_calls),
	/* the end of k23's SIGSYS handler, of a moved trapped call, of a
	 * handler k23 leaves (the program's rt_sigreturn is re-issued from
	 * k23_restore_prog_rt: judged) */
	SITE(k23_restore_rt_ip, sigreturn_only),
	SITE(k23_run_moved_ip, sigreturn_only),
	SITE(k23_sigreturn_to_ip, sigreturn_only),
	/* the program's mask around a sleeping call, and k23's again */
	SITE(k23_call_masked_open, mask_only),
	SITE(k23_call_masked_closed, mask_only),
	/* a traced tracee's markers around each call */
	SITE(k23_ptrace_enter_ip, getpid_only),
	SITE(k23_ptrace_exit_ip, getpid_only),
	/* a thread frees its area and ends */
	SITE(k23_unmap_exit_munmap_ip, munmap_only),
	SITE(k23_unmap_exit_exit_ip, exit_only),
};
const int k23_own_nsites = sizeof(k23_own_sites) / sizeof(k23_own_sites[0]);

/* Numbers k23 makes with a fixed argument: only those values pass. */
static const unsigned dispatch_only[] = { PR_SET_SYSCALL_USER_DISPATCH }; /* arm.c */
static const unsigned set_gs_only[] = { ARCH_SET_GS };			  /* tarea.c */
static const unsigned self_only[] = { 0 };	/* prlimit64's pid: fdguard.c, nofile.c */

#define ARG(nr, i, vals) { nr, i, vals, (int)(sizeof(vals) / sizeof(vals[0])) }
const struct k23_own_arg k23_own_args[] = {
	ARG(__NR_prctl, 0, dispatch_only),
	ARG(__NR_arch_prctl, 0, set_gs_only),
	ARG(__NR_prlimit64, 0, self_only),
};
const int k23_own_nargs = sizeof(k23_own_args) / sizeof(k23_own_args[0]);

#define NR_MAX 64
#define SET_MAX 32

/* What the prologue tests, and where each part of it starts. */
struct plan {
	int nrs[NR_MAX], nn;		/* the distinct numbers */
	unsigned set[NR_MAX];		/* the sites that may make each, a bit mask */
	int blk[NR_MAX];		/* each number's block */
	int cond[NR_MAX];		/* each number's argument test, or -1 */
	unsigned sets[SET_MAX];		/* the distinct masks: a block each */
	int block[SET_MAX], nsets;
	int allow, prog, len;
};

/* Which sites allow nr, as a bit mask. */
static unsigned sites_for(const struct k23_own_site *s, int ns, int nr)
{
	unsigned m = 0;

	for (int i = 0; i < ns; i++)
		for (int j = 0; j < s[i].n; j++)
			if (s[i].nrs[j] == nr)
				m |= 1U << i;
	return m;
}

static const struct k23_own_arg *arg_of(const struct k23_own_arg *a, int na, int nr)
{
	for (int i = 0; i < na; i++)
		if (a[i].nr == nr)
			return &a[i];
	return 0;
}

static int plan_numbers(struct plan *p, const struct k23_own_site *s, int ns)
{
	for (int i = 0; i < ns; i++) {
		if (s[i].ip >> 32 != s[0].ip >> 32)
			return -1;
		for (int j = 0; j < s[i].n; j++) {
			int k, nr = s[i].nrs[j];

			for (k = 0; k < p->nn && p->nrs[k] != nr; k++)
				;
			if (k < p->nn)
				continue;
			if (p->nn == NR_MAX)
				return -1;
			p->nrs[p->nn] = nr;
			p->set[p->nn++] = sites_for(s, ns, nr);
		}
	}
	return 0;
}

/* Layout: 4 head, a test per number, JA, the argument tests, a block per
 * distinct set of sites, ALLOW, A = 0 (where the program's filter goes on). */
static int plan_layout(struct plan *p, const struct k23_own_arg *a, int na)
{
	int len = 4 + p->nn + 1;

	for (int i = 0; i < p->nn; i++) {
		const struct k23_own_arg *c = arg_of(a, na, p->nrs[i]);

		if (c && (c->arg < 0 || c->arg > 5 || c->n <= 0))
			return -1;
		p->cond[i] = c ? len : -1;
		len += c ? 1 + c->n + 1 : 0;
	}
	for (int i = 0; i < p->nn; i++) {
		int k;

		for (k = 0; k < p->nsets && p->sets[k] != p->set[i]; k++)
			;
		if (k == p->nsets) {
			if (k == SET_MAX)
				return -1;
			p->sets[p->nsets++] = p->set[i];
			p->block[k] = len;
			len += 5;
			for (unsigned m = p->set[i]; m; m &= m - 1)
				len++; /* a test per site */
		}
		p->blk[i] = k;
	}
	p->allow = len++;
	p->prog = len++;
	p->len = len;
	return 0;
}

/* out[at] = "if A == k goto target", or -1 if target is out of reach. */
static int jeq(struct sock_filter *out, int at, unsigned k, int target)
{
	int d = target - (at + 1);

	if (d < 0 || d > 255)
		return -1;
	out[at] = (struct sock_filter)JEQ(k, (unsigned char)d, 0);
	return 0;
}

static void ja(struct sock_filter *out, int at, int target)
{
	out[at] = (struct sock_filter)JA((unsigned)(target - (at + 1)));
}

/* The argument test of number i: its argument's low 32 bits (all the
 * kernel reads of an int) one of the values, else the program's filter. */
static int emit_cond(struct sock_filter *out, const struct plan *p, int i,
		     const struct k23_own_arg *c)
{
	int at = p->cond[i];

	out[at++] = (struct sock_filter)LD_W(offsetof(struct seccomp_data, args) + 8 * c->arg);
	for (int v = 0; v < c->n; v++, at++)
		if (jeq(out, at, c->vals[v], p->block[p->blk[i]]))
			return -1;
	ja(out, at, p->prog);
	return 0;
}

/* Block k: the instruction pointer one of its sites', else the program's filter. */
static int emit_block(struct sock_filter *out, const struct plan *p, int k,
		      const struct k23_own_site *s, int ns)
{
	int at = p->block[k];

	out[at++] = (struct sock_filter)LD_W(IP_HI);
	out[at++] = (struct sock_filter)JEQ((unsigned)(s[0].ip >> 32), 1, 0);
	ja(out, at++, p->prog);
	out[at++] = (struct sock_filter)LD_W(IP_LO);
	for (int j = 0; j < ns; j++)
		if ((p->sets[k] & (1U << j)) && jeq(out, at++, (unsigned)s[j].ip, p->allow))
			return -1;
	ja(out, at, p->prog);
	return 0;
}

int k23_own_prologue(struct sock_filter *out, int max, const struct k23_own_site *s, int ns,
		     const struct k23_own_arg *a, int na)
{
	struct plan p = { .nn = 0 };
	int at = 0;

	if (ns <= 0 || ns > SET_MAX || plan_numbers(&p, s, ns) || plan_layout(&p, a, na) ||
	    p.len > max)
		return -1;
	out[at++] = (struct sock_filter)LD_W(offsetof(struct seccomp_data, arch));
	out[at++] = (struct sock_filter)JEQ(AUDIT_ARCH_X86_64, 1, 0);
	ja(out, at++, p.prog);
	out[at++] = (struct sock_filter)LD_W(offsetof(struct seccomp_data, nr));
	for (int i = 0; i < p.nn; i++, at++)
		if (jeq(out, at, (unsigned)p.nrs[i], p.cond[i] >= 0 ? p.cond[i] : p.block[p.blk[i]]))
			return -1;
	ja(out, at, p.prog);
	for (int i = 0; i < p.nn; i++)
		if (p.cond[i] >= 0 && emit_cond(out, &p, i, arg_of(a, na, p.nrs[i])))
			return -1;
	for (int k = 0; k < p.nsets; k++)
		if (emit_block(out, &p, k, s, ns))
			return -1;
	out[p.allow] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	/* A filter starts with A = 0 (X is never touched here); an AND the
	 * cache emulation follows, unlike a load of an immediate. */
	out[p.prog] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0);
	return p.len;
}

long k23_own_filter_install(struct k23_call *c)
{
	struct k23_call copy = *c;
	struct sock_fprog up, nf;
	struct sock_filter *buf;
	size_t size;
	long r;
	int p;

	/* Set first: from now on every call of the program keeps its frame,
	 * so a trap of its filter shows the program its own registers. */
	__atomic_store_n(&k23_program_filters, 1, __ATOMIC_RELEASE);
	k23_fast_update();
	/* What the kernel would refuse (a bad pointer, a length of 0 or above
	 * BPF_MAXINSNS), and a filter with no room for the prologue, go to the
	 * kernel as they are: it answers as natively. */
	if (!c->args[2] || k23_copy_from(&up, (const void *)c->args[2], sizeof(up)) ||
	    !up.len || up.len > BPF_MAXINSNS - K23_OWN_PROLOGUE_MAX)
		return k23_passthrough(c);
	size = (K23_OWN_PROLOGUE_MAX + (size_t)up.len) * sizeof(*buf);
	buf = k23_map_anon(size);
	if (!buf)
		return -ENOMEM;
	p = k23_own_prologue(buf, K23_OWN_PROLOGUE_MAX, k23_own_sites, k23_own_nsites, k23_own_args,
			     k23_own_nargs);
	if (p < 0 || k23_copy_from(buf + p, up.filter, up.len * sizeof(*buf))) {
		k23_unmap(buf, size);
		return k23_passthrough(c);
	}
	nf.len = (unsigned short)(p + up.len);
	nf.filter = buf;
	copy.args[2] = (long)&nf;
	r = k23_passthrough(&copy); /* judged by the filters already there */
	k23_unmap(buf, size);
	return r;
}
