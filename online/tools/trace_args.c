/* trace_args.c - the trace tool's arguments: each by its kind, and the calls whose arguments depend on each other. */
#include "online/tools/trace.h"

/* ---- One argument by its kind ---- */

void k23_tr_put_open_flags(struct k23_fmt *f, unsigned long v)
{
	k23_fmt_enum(f, v & 3, k23_xlat_open_access);
	if (v & ~3UL) {
		k23_fmt_char(f, '|');
		k23_fmt_flags(f, v & ~3UL, k23_xlat_open_flags, NULL);
	}
}

static void put_at_flags(const struct tr *t, unsigned long v)
{
	struct k23_fmt *f = t->f;

	switch (t->c->nr) {
	case __NR_faccessat2:
		k23_fmt_flags(f, v, k23_xlat_faccessat_flags, NULL);
		return;
	case __NR_statx:
		/* The sync type is a field, printed even when zero. */
		k23_tr_put_xval(f, v & 0x6000, k23_xlat_statx_sync, NULL);
		if (v & ~0x6000UL) {
			k23_fmt_char(f, '|');
			k23_fmt_flags(f, v & ~0x6000UL, k23_xlat_at_flags, NULL);
		}
		return;
	default:
		k23_fmt_flags(f, v, k23_xlat_at_flags, NULL);
	}
}

static void put_mmap_flags(struct k23_fmt *f, unsigned long v)
{
	/* Bits 26..31 carry a huge page size (log2), printed as strace does
	 * whether or not MAP_HUGETLB is set. */
	unsigned long huge = (v >> 26) & 0x3f;

	k23_tr_put_xval(f, v & 0xf, k23_xlat_mmap_type, "MAP_???");
	v &= ~(0xfUL | 0x3fUL << 26);
	if (v) {
		k23_fmt_char(f, '|');
		k23_fmt_flags(f, v, k23_xlat_mmap_flags, NULL);
	}
	if (huge) {
		k23_fmt_char(f, '|');
		k23_fmt_udec(f, huge);
		k23_fmt_str(f, "<<MAP_HUGE_SHIFT");
	}
}

static void put_sock_type(struct k23_fmt *f, unsigned long v)
{
	k23_tr_put_xval(f, v & 0xf, k23_xlat_sock_type, "SOCK_???");
	if (v & ~0xfUL) {
		k23_fmt_char(f, '|');
		k23_fmt_flags(f, v & ~0xfUL, k23_xlat_sock_flags, NULL);
	}
}

static void put_sock_proto(const struct tr *t, unsigned long v)
{
	switch (k23_tr_arg(t, 0)) {
	case 2:		/* AF_INET */
	case 10:	/* AF_INET6 */
		k23_tr_put_xval(t->f, (unsigned)v, k23_xlat_ipproto, "IPPROTO_???");
		return;
	case 16:	/* AF_NETLINK */
		k23_tr_put_xval(t->f, (unsigned)v, k23_xlat_netlink_proto, "NETLINK_???");
		return;
	default:
		k23_fmt_dec(t->f, (int)v);
	}
}

/* Kinds printed straight from one table: a flags word (zero printed as
 * `text`, or "0") or an enumeration (unknown values commented with `text`). */
static const struct named_kind {
	uint8_t kind;
	bool flags;
	const struct k23_flag *names;
	const char *text;
} named_kinds[] = {
	{ K23_ARG_O_FLAGS, true, k23_xlat_open_flags, NULL },
	{ K23_ARG_ACCESS_MODE, true, k23_xlat_access_mode, "F_OK" },
	{ K23_ARG_PROT, true, k23_xlat_prot, "PROT_NONE" },
	{ K23_ARG_MREMAP_FLAGS, true, k23_xlat_mremap_flags, NULL },
	{ K23_ARG_STATX_MASK, true, k23_xlat_statx_mask, NULL },
	{ K23_ARG_WAIT_OPTIONS, true, k23_xlat_wait_options, NULL },
	{ K23_ARG_TIMER_FLAGS, true, k23_xlat_timer_flags, NULL },
	{ K23_ARG_GRND_FLAGS, true, k23_xlat_grnd, NULL },
	{ K23_ARG_SOCK_FLAGS, true, k23_xlat_sock_flags, NULL },
	{ K23_ARG_MSG_FLAGS, true, k23_xlat_msg_flags, NULL },
	{ K23_ARG_CLONE_FLAGS, true, k23_xlat_clone_flags, NULL },
	{ K23_ARG_MFD_FLAGS, true, k23_xlat_mfd, NULL },
	{ K23_ARG_EFD_FLAGS, true, k23_xlat_efd, NULL },
	{ K23_ARG_CLOSE_RANGE_FLAGS, true, k23_xlat_close_range, NULL },
	{ K23_ARG_MADVISE, false, k23_xlat_madvise, "MADV_???" },
	{ K23_ARG_WHENCE, false, k23_xlat_whence, "SEEK_???" },
	{ K23_ARG_FADVISE, false, k23_xlat_fadvise, "POSIX_FADV_???" },
	{ K23_ARG_SIGHOW, false, k23_xlat_sighow, "SIG_???" },
	{ K23_ARG_RLIMIT_RESOURCE, false, k23_xlat_rlimit, "RLIMIT_???" },
	{ K23_ARG_ARCH_PRCTL_CODE, false, k23_xlat_arch_prctl, "ARCH_???" },
	{ K23_ARG_FCNTL_CMD, false, k23_xlat_fcntl_cmd, "F_???" },
	{ K23_ARG_IOCTL_CMD, false, k23_xlat_ioctl, NULL },
	{ K23_ARG_FUTEX_OP, false, k23_xlat_futex_op, "FUTEX_???" },
	{ K23_ARG_SOCK_FAMILY, false, k23_xlat_af, "AF_???" },
	{ K23_ARG_SHUT_HOW, false, k23_xlat_shut, "SHUT_???" },
	{ K23_ARG_PRCTL_OPTION, false, k23_xlat_prctl, "PR_???" },
	{ K23_ARG_EPOLL_CTL_OP, false, k23_xlat_epoll_op, "EPOLL_CTL_???" },
};

static bool put_named(struct k23_fmt *f, int kind, unsigned long v)
{
	for (size_t i = 0; i < sizeof(named_kinds) / sizeof(named_kinds[0]); i++) {
		const struct named_kind *n = &named_kinds[i];

		if (n->kind != kind)
			continue;
		if (n->flags)
			k23_fmt_flags(f, v, n->names, n->text);
		else
			k23_tr_put_xval(f, v, n->names, n->text);
		return true;
	}
	return false;
}

/* Whether argument i appears at all: open's mode only with O_CREAT or O_TMPFILE. */
static bool shown(const struct tr *t, const struct k23_syscall_desc *d, int i)
{
	if (d->arg[i] == K23_ARG_SKIP)
		return false;
	if (d->arg[i] == K23_ARG_OPEN_MODE)
		return i > 0 && (k23_tr_arg(t, i - 1) & (O_CREAT_BIT | O_TMPFILE_BIT));
	return true;
}

static void put_arg(const struct tr *t, const struct k23_syscall_desc *d, int i)
{
	struct k23_fmt *f = t->f;
	unsigned long v = k23_tr_arg(t, i);
	unsigned long len = k23_tr_arg(t, d->len_arg[i]);

	switch (d->arg[i]) {
	case K23_ARG_SKIP:
		return;
	case K23_ARG_OPEN_MODE:
		k23_fmt_oct(f, (unsigned)v);
		return;
	case K23_ARG_INT:
		k23_fmt_dec(f, (int)v);
		return;
	case K23_ARG_FD:
		/* -y: the descriptor close, dup2 and dup3 end was read before the call */
		if (t->c->fdpath && i == (t->c->nr == __NR_close ? 0 : 1)) {
			k23_fmt_dec(f, (int)v);
			k23_tr_put_fd_path(t, t->c->fdpath);
		} else {
			k23_tr_put_fd(t, (int)v);
		}
		return;
	case K23_ARG_UINT:
		k23_fmt_udec(f, (unsigned)v);
		return;
	case K23_ARG_LONG:
		k23_fmt_dec(f, (long)v);
		return;
	case K23_ARG_ULONG:
		k23_fmt_udec(f, v);
		return;
	case K23_ARG_PTR:
		k23_fmt_addr(f, v);
		return;
	case K23_ARG_OCT:
		k23_fmt_oct(f, (unsigned)v);
		return;
	case K23_ARG_DIRFD:
		k23_tr_put_fd(t, (int)v);
		return;
	case K23_ARG_PATH:
		k23_tr_put_path(t, v);
		return;
	case K23_ARG_STR:
		k23_tr_put_cstr(t, v);
		return;
	case K23_ARG_STR_OUT:
		if (t->failed)
			k23_fmt_addr(f, v);
		else
			k23_tr_put_path(t, v);
		return;
	case K23_ARG_BUF_IN:
		k23_tr_put_buf(t, v, len, 0);
		return;
	case K23_ARG_BUF_OUT:
		k23_tr_put_buf_out(t, v, 0);
		return;
	case K23_ARG_BUF_OUT_HEX:
		k23_tr_put_buf_out(t, v, K23_QUOTE_HEX);
		return;
	case K23_ARG_OPEN_FLAGS:
		k23_tr_put_open_flags(f, v);
		return;
	case K23_ARG_AT_FLAGS:
		put_at_flags(t, (unsigned)v);
		return;
	case K23_ARG_MMAP_FLAGS:
		put_mmap_flags(f, v);
		return;
	case K23_ARG_SIGNUM:
		k23_tr_put_signame(f, (int)v);
		return;
	case K23_ARG_SIGSET:
		k23_tr_put_sigset_at(t, v, len);
		return;
	case K23_ARG_SIGSET_OUT:
		if (t->failed && v)
			k23_fmt_addr(f, v);
		else
			k23_tr_put_sigset_at(t, v, len);
		return;
	case K23_ARG_SIGACTION:
		if (!v)
			k23_fmt_str(f, "NULL");
		else
			k23_tr_put_sigaction_at(t, v);
		return;
	case K23_ARG_SIGACTION_OUT:
		if (!v)
			k23_fmt_str(f, "NULL");
		else if (t->failed)
			k23_fmt_addr(f, v);
		else
			k23_tr_put_sigaction_at(t, v);
		return;
	case K23_ARG_STACK_T:
		k23_tr_put_stack(t, v, false);
		return;
	case K23_ARG_STACK_T_OUT:
		k23_tr_put_stack(t, v, true);
		return;
	case K23_ARG_STAT_OUT:
		k23_tr_put_stat(t, v);
		return;
	case K23_ARG_STATX_OUT:
		k23_tr_put_statx(t, v);
		return;
	case K23_ARG_STATFS_OUT:
		k23_tr_put_statfs(t, v);
		return;
	case K23_ARG_PIPEFDS_OUT:
		k23_tr_put_pipefds(t, v);
		return;
	case K23_ARG_WSTATUS_OUT:
		k23_tr_put_wstatus(t, v);
		return;
	case K23_ARG_TIMESPEC:
		k23_tr_put_timespec(t, v, false, false);
		return;
	case K23_ARG_TIMESPEC_OUT:
		k23_tr_put_timespec(t, v, true, false);
		return;
	case K23_ARG_TIMEVAL_OUT:
		k23_tr_put_timespec(t, v, true, true);
		return;
	case K23_ARG_CLOCKID:
		if (!k23_fmt_enum(f, (unsigned)v, k23_xlat_clockid))
			k23_fmt_dec(f, (int)v);
		return;
	case K23_ARG_RLIMIT:
		k23_tr_put_rlimit(t, v, false);
		return;
	case K23_ARG_RLIMIT_OUT:
		k23_tr_put_rlimit(t, v, true);
		return;
	case K23_ARG_ARGV:
		k23_tr_put_argv(t, v);
		return;
	case K23_ARG_ENVP:
		k23_tr_put_envp(t, v);
		return;
	case K23_ARG_UTSNAME_OUT:
		k23_tr_put_utsname(t, v);
		return;
	case K23_ARG_SYSINFO_OUT:
		k23_tr_put_sysinfo(t, v);
		return;
	case K23_ARG_DIRENTS_OUT:
		k23_tr_put_dirents(t, v);
		return;
	case K23_ARG_POLLFDS:
		k23_tr_put_pollfds(t, v, len, false);
		return;
	case K23_ARG_IOVEC_IN:
		k23_tr_put_iovec(t, v, len, (unsigned long)-1);
		return;
	case K23_ARG_IOVEC_OUT:
		if (t->failed)
			k23_fmt_addr(f, v);
		else
			k23_tr_put_iovec(t, v, len, (unsigned long)t->c->ret);
		return;
	case K23_ARG_SOCK_TYPE:
		put_sock_type(f, (unsigned)v);
		return;
	case K23_ARG_SOCK_PROTO:
		put_sock_proto(t, v);
		return;
	case K23_ARG_SOCKADDR:
		k23_tr_put_sockaddr(t, v, (unsigned)len);
		return;
	case K23_ARG_CPUSET_OUT:
		k23_tr_put_cpuset(t, v);
		return;
	case K23_ARG_RUSAGE_WHO:
		if (!k23_fmt_enum(f, (unsigned long)(long)(int)v, k23_xlat_rusage_who))
			k23_fmt_dec(f, (int)v);
		return;
	default:
		/* Flag words are at most 32 bits except clone's. */
		if (!put_named(f, d->arg[i], d->arg[i] == K23_ARG_CLONE_FLAGS ? v : (unsigned)v))
			k23_fmt_hex(f, v);
		return;
	}
}

static void put_args_generic(const struct tr *t, const struct k23_syscall_desc *d, int nargs)
{
	bool any = false;

	for (int i = 0; i < nargs; i++) {
		if (!shown(t, d, i))
			continue;
		if (any)
			k23_tr_sep(t);
		any = true;
		put_arg(t, d, i);
	}
}

/* ---- Calls whose arguments depend on each other ---- */

/* clone(flags, stack, parent_tid, child_tid, tls) on x86-64, as strace:
 * child_stack=, flags=CLONE_...|SIGCHLD, then only the pointers the flags use. */
static void dec_clone(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	unsigned long flags = k23_tr_arg(t, 0) & ~CSIGNAL_MASK, sig = k23_tr_arg(t, 0) & CSIGNAL_MASK;
	int tid;

	k23_fmt_str(f, "child_stack=");
	k23_fmt_addr(f, k23_tr_arg(t, 1));
	k23_fmt_str(f, ", flags=");
	if (flags) {
		k23_fmt_flags(f, flags, k23_xlat_clone_flags, NULL);
		if (sig)
			k23_fmt_char(f, '|');
	}
	if (sig || !flags)
		k23_tr_put_signame(f, (long)sig);
	if (flags & (0x100000 | 0x1000)) {	/* CLONE_PARENT_SETTID | CLONE_PIDFD */
		k23_fmt_str(f, ", parent_tid=");
		if (!t->failed && k23_tr_fetch(t, &tid, k23_tr_arg(t, 2), sizeof(tid))) {
			k23_fmt_char(f, '[');
			k23_fmt_dec(f, tid);
			k23_fmt_char(f, ']');
		} else {
			k23_fmt_addr(f, k23_tr_arg(t, 2));
		}
	}
	if (flags & 0x80000) {			/* CLONE_SETTLS */
		k23_fmt_str(f, ", tls=");
		k23_fmt_addr(f, k23_tr_arg(t, 4));
	}
	if (flags & (0x1000000 | 0x200000)) {	/* CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID */
		k23_fmt_str(f, ", child_tidptr=");
		k23_fmt_addr(f, k23_tr_arg(t, 3));
	}
}

static void put_field_addr(struct k23_fmt *f, const char *name, uint64_t v)
{
	k23_fmt_str(f, name);
	k23_fmt_addr(f, v);
}

/* clone3(&args, size): the struct, then what the kernel wrote back. */
static void dec_clone3(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	struct k_clone_args ca;
	unsigned long size = k23_tr_arg(t, 1);
	int v;

	/* clone_args v0 ends after tls (64 bytes); fields past it stay zero. */
	for (unsigned i = 0; i < sizeof(ca) / 8; i++)
		((uint64_t *)&ca)[i] = 0;
	if (size < 64 || !k23_tr_fetch(t, &ca, k23_tr_arg(t, 0), size < sizeof(ca) ? size : sizeof(ca))) {
		k23_fmt_addr(f, k23_tr_arg(t, 0));
	} else {
		k23_fmt_str(f, "{flags=");
		k23_fmt_flags(f, ca.flags, k23_xlat_clone_flags, NULL);
		if (ca.flags & 0x1000)
			put_field_addr(f, ", pidfd=", ca.pidfd);
		if (ca.flags & (0x1000000 | 0x200000))
			put_field_addr(f, ", child_tid=", ca.child_tid);
		if (ca.flags & 0x100000)
			put_field_addr(f, ", parent_tid=", ca.parent_tid);
		k23_fmt_str(f, ", exit_signal=");
		if (ca.exit_signal < 0x7fffffff)
			k23_tr_put_signame(f, (long)ca.exit_signal);
		else
			k23_fmt_udec(f, ca.exit_signal);
		put_field_addr(f, ", stack=", ca.stack);
		k23_fmt_str(f, ", stack_size=");
		k23_fmt_hex(f, ca.stack_size);
		if (ca.flags & 0x80000)
			put_field_addr(f, ", tls=", ca.tls);
		k23_fmt_char(f, '}');
		if (!t->failed && (ca.flags & (0x1000 | 0x100000))) {
			k23_fmt_str(f, " => {");
			if (ca.flags & 0x1000) {
				k23_fmt_str(f, "pidfd=");
				if (k23_tr_fetch(t, &v, ca.pidfd, sizeof(v))) {
					k23_fmt_char(f, '[');
					k23_fmt_dec(f, v);
					k23_fmt_char(f, ']');
				} else {
					k23_fmt_addr(f, ca.pidfd);
				}
			}
			if (ca.flags & 0x100000) {
				k23_fmt_str(f, ca.flags & 0x1000 ? ", parent_tid=" : "parent_tid=");
				if (k23_tr_fetch(t, &v, ca.parent_tid, sizeof(v))) {
					k23_fmt_char(f, '[');
					k23_fmt_dec(f, v);
					k23_fmt_char(f, ']');
				} else {
					k23_fmt_addr(f, ca.parent_tid);
				}
			}
			k23_fmt_char(f, '}');
		}
	}
	k23_tr_sep(t);
	k23_fmt_udec(f, size);
}

static void dec_futex(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	unsigned op = (unsigned)k23_tr_arg(t, 1), val3 = (unsigned)k23_tr_arg(t, 5);

	k23_fmt_addr(f, k23_tr_arg(t, 0));
	k23_tr_sep(t);
	k23_tr_put_xval(f, op, k23_xlat_futex_op, "FUTEX_???");
	switch (op & 127) {
	case 0:		/* FUTEX_WAIT: val, timeout */
		k23_tr_sep(t);
		k23_fmt_udec(f, (unsigned)k23_tr_arg(t, 2));
		k23_tr_sep(t);
		k23_tr_put_timespec(t, k23_tr_arg(t, 3), false, false);
		break;
	case 6:		/* FUTEX_LOCK_PI, FUTEX_LOCK_PI2: timeout */
	case 13:
		k23_tr_sep(t);
		k23_tr_put_timespec(t, k23_tr_arg(t, 3), false, false);
		break;
	case 9:		/* FUTEX_WAIT_BITSET: val, timeout, bitset */
		k23_tr_sep(t);
		k23_fmt_udec(f, (unsigned)k23_tr_arg(t, 2));
		k23_tr_sep(t);
		k23_tr_put_timespec(t, k23_tr_arg(t, 3), false, false);
		k23_tr_sep(t);
		if (val3 == 0xffffffffu)
			k23_fmt_str(f, "FUTEX_BITSET_MATCH_ANY");
		else
			k23_fmt_hex(f, val3);
		break;
	case 10:	/* FUTEX_WAKE_BITSET: val, bitset */
		k23_tr_sep(t);
		k23_fmt_udec(f, (unsigned)k23_tr_arg(t, 2));
		k23_tr_sep(t);
		if (val3 == 0xffffffffu)
			k23_fmt_str(f, "FUTEX_BITSET_MATCH_ANY");
		else
			k23_fmt_hex(f, val3);
		break;
	case 1:		/* FUTEX_WAKE, FUTEX_FD: val */
	case 2:
		k23_tr_sep(t);
		k23_fmt_udec(f, (unsigned)k23_tr_arg(t, 2));
		break;
	case 7:		/* FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI: nothing */
	case 8:
		break;
	case 3:		/* FUTEX_REQUEUE: val, val2, uaddr2 */
	case 4:		/* FUTEX_CMP_REQUEUE(_PI): ... and val3 */
	case 12:
	case 5:		/* FUTEX_WAKE_OP: ... and the encoded operation */
		k23_tr_sep(t);
		k23_fmt_udec(f, (unsigned)k23_tr_arg(t, 2));
		k23_tr_sep(t);
		k23_fmt_udec(f, (unsigned)k23_tr_arg(t, 3));
		k23_tr_sep(t);
		k23_fmt_addr(f, k23_tr_arg(t, 4));
		if ((op & 127) == 3)
			break;
		k23_tr_sep(t);
		if ((op & 127) != 5) {
			k23_fmt_udec(f, val3);
			break;
		}
		if ((val3 >> 28) & 8)
			k23_fmt_str(f, "FUTEX_OP_OPARG_SHIFT<<28|");
		k23_tr_put_xval(f, (val3 >> 28) & 7, k23_xlat_futex_wake_op, NULL);
		k23_fmt_str(f, "<<28|");
		k23_fmt_hex(f, (val3 >> 12) & 0xfff);
		k23_fmt_str(f, "<<12|");
		k23_tr_put_xval(f, (val3 >> 24) & 0xf, k23_xlat_futex_wake_cmp, NULL);
		k23_fmt_str(f, "<<24|");
		k23_fmt_hex(f, val3 & 0xfff);
		break;
	case 11:	/* FUTEX_WAIT_REQUEUE_PI: val, timeout, uaddr2 */
		k23_tr_sep(t);
		k23_fmt_udec(f, (unsigned)k23_tr_arg(t, 2));
		k23_tr_sep(t);
		k23_tr_put_timespec(t, k23_tr_arg(t, 3), false, false);
		k23_tr_sep(t);
		k23_fmt_addr(f, k23_tr_arg(t, 4));
		break;
	default:
		k23_tr_sep(t);
		k23_fmt_udec(f, (unsigned)k23_tr_arg(t, 2));
		k23_tr_sep(t);
		k23_fmt_addr(f, k23_tr_arg(t, 3));
		k23_tr_sep(t);
		k23_fmt_addr(f, k23_tr_arg(t, 4));
		k23_tr_sep(t);
		k23_fmt_hex(f, val3);
	}
}

static void put_flock(const struct tr *t, unsigned long addr, bool with_pid)
{
	static const struct k23_flag types[] = {
		{ 0, "F_RDLCK" }, { 1, "F_WRLCK" }, { 2, "F_UNLCK" }, { 0, NULL }
	};
	struct k23_fmt *f = t->f;
	struct k_flock fl;

	if ((with_pid && t->failed) || !k23_tr_fetch(t, &fl, addr, sizeof(fl))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_str(f, "{l_type=");
	k23_tr_put_xval(f, (unsigned short)fl.type, types, "F_???");
	k23_fmt_str(f, ", l_whence=");
	k23_tr_put_xval(f, (unsigned short)fl.whence, k23_xlat_whence, "SEEK_???");
	k23_fmt_str(f, ", l_start=");
	k23_fmt_dec(f, fl.start);
	k23_fmt_str(f, ", l_len=");
	k23_fmt_dec(f, fl.len);
	if (with_pid) {
		k23_fmt_str(f, ", l_pid=");
		k23_fmt_dec(f, fl.pid);
	}
	k23_fmt_char(f, '}');
}

static void dec_fcntl(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	unsigned cmd = (unsigned)k23_tr_arg(t, 1);
	unsigned long v = k23_tr_arg(t, 2);

	k23_tr_put_fd(t, (int)k23_tr_arg(t, 0));
	k23_tr_sep(t);
	k23_tr_put_xval(f, cmd, k23_xlat_fcntl_cmd, "F_???");
	switch (cmd) {
	case 1: case 3: case 9: case 11: case 1025: case 1032: case 1034:
		return;		/* F_GET*: no argument */
	case 0: case 8: case 1030: case 1031:	/* F_DUPFD, F_SETOWN, F_DUPFD_CLOEXEC, F_SETPIPE_SZ */
		k23_tr_sep(t);
		k23_fmt_dec(f, (int)v);
		return;
	case 2:		/* F_SETFD */
		k23_tr_sep(t);
		k23_fmt_flags(f, v, k23_xlat_fd_flags, NULL);
		return;
	case 4:		/* F_SETFL */
		k23_tr_sep(t);
		k23_tr_put_open_flags(f, v);
		return;
	case 10:	/* F_SETSIG */
		k23_tr_sep(t);
		k23_tr_put_signame(f, (int)v);
		return;
	case 1033:	/* F_ADD_SEALS */
		k23_tr_sep(t);
		k23_fmt_flags(f, v, k23_xlat_seals, NULL);
		return;
	case 6: case 7: case 37: case 38:	/* F_SETLK(W), F_OFD_SETLK(W) */
		k23_tr_sep(t);
		put_flock(t, v, false);
		return;
	case 5: case 36:			/* F_GETLK, F_OFD_GETLK */
		k23_tr_sep(t);
		put_flock(t, v, true);
		return;
	default:
		k23_tr_sep(t);
		k23_fmt_hex(f, v);
	}
}

static void dec_arch_prctl(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	unsigned code = (unsigned)k23_tr_arg(t, 0);
	unsigned long v;

	k23_tr_put_xval(f, code, k23_xlat_arch_prctl, "ARCH_???");
	if (code == 0x1011)		/* ARCH_GET_CPUID has no argument */
		return;
	k23_tr_sep(t);
	if (code == 0x1003 || code == 0x1004) {	/* ARCH_GET_FS/GS write a pointer */
		if (!t->failed && k23_tr_fetch_ulong(t, &v, k23_tr_arg(t, 1))) {
			k23_fmt_char(f, '[');
			k23_fmt_hex(f, v);
			k23_fmt_char(f, ']');
		} else {
			k23_fmt_addr(f, k23_tr_arg(t, 1));
		}
		return;
	}
	k23_fmt_hex(f, k23_tr_arg(t, 1));
}

/* The remaining prctl arguments from index `from` to 4, in hex. */
static void prctl_rest(const struct tr *t, int from)
{
	for (int i = from; i <= 4; i++) {
		k23_tr_sep(t);
		k23_fmt_hex(t->f, k23_tr_arg(t, i));
	}
}

static void dec_prctl(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	unsigned option = (unsigned)k23_tr_arg(t, 0);

	k23_tr_put_xval(f, option, k23_xlat_prctl, "PR_???");
	switch (option) {
	case 3: case 7: case 21:	/* PR_GET_DUMPABLE, PR_GET_KEEPCAPS, PR_GET_SECCOMP */
		return;
	case 15:			/* PR_SET_NAME */
		k23_tr_sep(t);
		k23_tr_put_cstr(t, k23_tr_arg(t, 1));
		return;
	case 16:			/* PR_GET_NAME */
		k23_tr_sep(t);
		if (t->failed)
			k23_fmt_addr(f, k23_tr_arg(t, 1));
		else
			k23_tr_put_cstr(t, k23_tr_arg(t, 1));
		return;
	case 1:				/* PR_SET_PDEATHSIG */
		k23_tr_sep(t);
		if (k23_tr_arg(t, 1) > 128)
			k23_fmt_udec(f, k23_tr_arg(t, 1));
		else
			k23_tr_put_signame(f, (long)k23_tr_arg(t, 1));
		return;
	case 8: case 36:		/* PR_SET_KEEPCAPS, PR_SET_CHILD_SUBREAPER */
		k23_tr_sep(t);
		k23_fmt_udec(f, k23_tr_arg(t, 1));
		return;
	case 38: case 41:		/* PR_SET_NO_NEW_PRIVS, PR_SET_THP_DISABLE */
		k23_tr_sep(t);
		k23_fmt_udec(f, k23_tr_arg(t, 1));
		prctl_rest(t, 2);
		return;
	case 59: {			/* PR_SET_SYSCALL_USER_DISPATCH */
		static const struct k23_flag sud[] = {
			{ 0, "PR_SYS_DISPATCH_OFF" }, { 1, "PR_SYS_DISPATCH_ON" }, { 0, NULL }
		};
		k23_tr_sep(t);
		k23_tr_put_xval(f, k23_tr_arg(t, 1), sud, "PR_SYS_DISPATCH_???");
		k23_tr_sep(t);
		k23_fmt_hex(f, k23_tr_arg(t, 2));
		k23_tr_sep(t);
		k23_fmt_hex(f, k23_tr_arg(t, 3));
		k23_tr_sep(t);
		k23_fmt_addr(f, k23_tr_arg(t, 4));
		return;
	}
	default:
		prctl_rest(t, 1);
	}
}

/* rt_sigreturn restores the mask stored in the signal frame at the program's
 * %rsp; that %rsp is only known on the SIGSYS path (c->uc). */
static void dec_rt_sigreturn(const struct tr *t)
{
	unsigned long rsp;
	uint64_t mask;

	if (!t->c->uc || !k23_tr_fetch_ulong(t, &rsp, (unsigned long)t->c->uc + UC_RSP_OFFSET) ||
	    !k23_tr_fetch(t, &mask, rsp + UC_SIGMASK_OFFSET, sizeof(mask)))
		return;
	k23_fmt_str(t->f, "{mask=");
	k23_tr_put_sigmask(t->f, mask);
	k23_fmt_char(t->f, '}');
}

void k23_tr_put_args(const struct tr *t, const struct k23_syscall_desc *d)
{
	const struct k23_call *c = t->c;

	if (!d) {
		/* Unknown to k23: all six registers, as strace prints unknown calls. */
		for (int i = 0; i < 6; i++) {
			if (i)
				k23_tr_sep(t);
			k23_fmt_hex(t->f, k23_tr_arg(t, i));
		}
		return;
	}
	switch (c->nr) {
	case __NR_clone: dec_clone(t); return;
	case __NR_clone3: dec_clone3(t); return;
	case __NR_futex: dec_futex(t); return;
	case __NR_fcntl: dec_fcntl(t); return;
	case __NR_arch_prctl: dec_arch_prctl(t); return;
	case __NR_prctl: dec_prctl(t); return;
	case __NR_rt_sigreturn: dec_rt_sigreturn(t); return;
	case __NR_mremap:
		/* The new address is an argument only with MREMAP_FIXED. */
		put_args_generic(t, d, k23_tr_arg(t, 3) & MREMAP_FIXED_BIT ? 5 : 4);
		return;
	default:
		put_args_generic(t, d, d->nargs);
	}
}
