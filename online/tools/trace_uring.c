/* trace_uring.c - the trace tool's lines (and --json fields) for what an io_uring_enter submitted and what completed.
 *
 * After the line of io_uring_enter come one line per SQE the call consumed
 * and one per CQE that appeared since the ring was last looked at
 * (uring_ring.c says which those are):
 *
 *   [pid  42] io_uring_enter(3, 2, 2, 0x1, NULL, 0) = 2
 *   [pid  42]   sqe: IORING_OP_OPENAT fd=AT_FDCWD path="/etc/hostname" flags=O_RDONLY user_data=1
 *   [pid  42]   sqe: IORING_OP_READ fd=4 buf=0x7ffd1000 len=64 off=0 user_data=2
 *   [pid  42]   cqe: user_data=1 res=4
 *   [pid  42]   cqe: user_data=2 res=-9 EBADF (Bad file descriptor)
 *
 * Each line carries the thread's prefix, so -ff puts it in the thread's
 * file and lines of other threads in between do not orphan it. The lines
 * are written a few at a time, each write whole lines of at most 3 KiB
 * (below PIPE_BUF). With --json the same become the arrays "sqes" and "cqes"
 * of the call's object (docs/strace-compat.md, "JSON"): numbers as numbers,
 * everything else as the text line shows it.
 *
 * Values are decoded as the trace shows a call's arguments (paths, open
 * flags, socket addresses...; -s and -y apply), from the program's memory
 * read with process_vm_readv. Opcode numbers, structure layouts and flag
 * values are those of <linux/io_uring.h>; an opcode newer than it shows as
 * its number with its raw fields.
 */
#include <linux/io_uring.h>
#include "online/tools/trace.h"
#include "online/tools/uring_ring.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"

#define OP(x) [x] = #x
static const char *const op_names[IORING_OP_LAST] = {
	OP(IORING_OP_NOP), OP(IORING_OP_READV), OP(IORING_OP_WRITEV), OP(IORING_OP_FSYNC),
	OP(IORING_OP_READ_FIXED), OP(IORING_OP_WRITE_FIXED), OP(IORING_OP_POLL_ADD),
	OP(IORING_OP_POLL_REMOVE), OP(IORING_OP_SYNC_FILE_RANGE), OP(IORING_OP_SENDMSG),
	OP(IORING_OP_RECVMSG), OP(IORING_OP_TIMEOUT), OP(IORING_OP_TIMEOUT_REMOVE),
	OP(IORING_OP_ACCEPT), OP(IORING_OP_ASYNC_CANCEL), OP(IORING_OP_LINK_TIMEOUT),
	OP(IORING_OP_CONNECT), OP(IORING_OP_FALLOCATE), OP(IORING_OP_OPENAT), OP(IORING_OP_CLOSE),
	OP(IORING_OP_FILES_UPDATE), OP(IORING_OP_STATX), OP(IORING_OP_READ), OP(IORING_OP_WRITE),
	OP(IORING_OP_FADVISE), OP(IORING_OP_MADVISE), OP(IORING_OP_SEND), OP(IORING_OP_RECV),
	OP(IORING_OP_OPENAT2), OP(IORING_OP_EPOLL_CTL), OP(IORING_OP_SPLICE),
	OP(IORING_OP_PROVIDE_BUFFERS), OP(IORING_OP_REMOVE_BUFFERS), OP(IORING_OP_TEE),
	OP(IORING_OP_SHUTDOWN), OP(IORING_OP_RENAMEAT), OP(IORING_OP_UNLINKAT),
	OP(IORING_OP_MKDIRAT), OP(IORING_OP_SYMLINKAT), OP(IORING_OP_LINKAT),
	OP(IORING_OP_MSG_RING), OP(IORING_OP_FSETXATTR), OP(IORING_OP_SETXATTR),
	OP(IORING_OP_FGETXATTR), OP(IORING_OP_GETXATTR), OP(IORING_OP_SOCKET),
	OP(IORING_OP_URING_CMD), OP(IORING_OP_SEND_ZC), OP(IORING_OP_SENDMSG_ZC),
};

#define FLAG(x) { x, #x }
static const struct k23_flag sqe_flags[] = {
	FLAG(IOSQE_FIXED_FILE), FLAG(IOSQE_IO_DRAIN), FLAG(IOSQE_IO_LINK), FLAG(IOSQE_IO_HARDLINK),
	FLAG(IOSQE_ASYNC), FLAG(IOSQE_BUFFER_SELECT), FLAG(IOSQE_CQE_SKIP_SUCCESS), { 0, NULL }
};
static const struct k23_flag cqe_flags[] = {
	FLAG(IORING_CQE_F_BUFFER), FLAG(IORING_CQE_F_MORE), FLAG(IORING_CQE_F_SOCK_NONEMPTY),
	FLAG(IORING_CQE_F_NOTIF), { 0, NULL }
};

/* ---- Fields: "key=value" on a line, "key":value in an object ---- */

struct out {
	struct k23_fmt *f;	/* the line or the object */
	bool json;
	bool fixed;		/* the SQE's fd is an index of registered files */
	int n;			/* fields written */
	struct tr vt;		/* what a value is formatted with (vt.f: f, or tmp) */
	struct k23_fmt tmpf;	/* --json: a value's text, before it is quoted */
	char tmp[K23_TRACE_LINE_MAX];
};

static void key(struct out *o, const char *k)
{
	if (o->json) {
		k23_fmt_str(o->f, o->n++ ? ",\"" : "\"");
		k23_fmt_str(o->f, k);
		k23_fmt_str(o->f, "\":");
	} else {
		k23_fmt_char(o->f, ' ');
		k23_fmt_str(o->f, k);
		k23_fmt_char(o->f, '=');
	}
}

/* Starts a value shown as text (a JSON string); end it with done(). */
static const struct tr *val(struct out *o, const char *k)
{
	key(o, k);
	if (o->json) {
		k23_fmt_init(&o->tmpf, o->tmp, sizeof(o->tmp));
		o->tmpf.strmax = o->f->strmax;
		o->vt.f = &o->tmpf;
	} else {
		o->vt.f = o->f;
	}
	return &o->vt;
}

static void done(struct out *o)
{
	if (o->json)
		k23_fmt_json_str(o->f, o->tmp, o->tmpf.len, true);
}

static void num(struct out *o, const char *k, long v)
{
	key(o, k);
	k23_fmt_dec(o->f, v);
}

static void unum(struct out *o, const char *k, unsigned long v)
{
	key(o, k);
	k23_fmt_udec(o->f, v);
}

static void text(struct out *o, const char *k, const char *s)
{
	val(o, k);
	k23_fmt_str(o->vt.f, s);
	done(o);
}

static void addr(struct out *o, const char *k, unsigned long a)
{
	val(o, k);
	k23_fmt_addr(o->vt.f, a);
	done(o);
}

static void flags(struct out *o, const char *k, unsigned long v, const struct k23_flag *t)
{
	val(o, k);
	k23_fmt_flags(o->vt.f, v, t, NULL);
	done(o);
}

static void path(struct out *o, const char *k, unsigned long a)
{
	k23_tr_put_path(val(o, k), a);
	done(o);
}

/* A descriptor: a number in JSON; with -y its path on the line. */
static void fd(struct out *o, const char *k, int v)
{
	if (o->json || (o->fixed && !k23_strcmp(k, "fd"))) {
		num(o, k, v);
		return;
	}
	k23_tr_put_fd(val(o, k), v);
}

static void mode(struct out *o, const char *k, unsigned long v)
{
	val(o, k);
	k23_fmt_oct(o->vt.f, v);
	done(o);
}

/* ---- One SQE ---- */

static void put_open(struct out *o, const struct io_uring_sqe *s)
{
	fd(o, "fd", s->fd);
	path(o, "path", s->addr);
	val(o, "flags");
	k23_tr_put_open_flags(o->vt.f, s->open_flags);
	done(o);
	if (s->open_flags & (O_CREAT_BIT | O_TMPFILE_BIT))
		mode(o, "mode", s->len);
}

static void put_statx(struct out *o, const struct io_uring_sqe *s)
{
	unsigned long v = s->statx_flags;

	fd(o, "fd", s->fd);
	path(o, "path", s->addr);
	val(o, "flags");
	k23_tr_put_xval(o->vt.f, v & 0x6000, k23_xlat_statx_sync, NULL); /* AT_STATX_SYNC_TYPE */
	if (v & ~0x6000UL) {
		k23_fmt_char(o->vt.f, '|');
		k23_fmt_flags(o->vt.f, v & ~0x6000UL, k23_xlat_at_flags, NULL);
	}
	done(o);
	flags(o, "mask", s->len, k23_xlat_statx_mask);
	addr(o, "buf", s->off);
}

/* read, write, send, recv and their fixed-buffer forms. */
static void put_rw(struct out *o, const struct io_uring_sqe *s, bool out, bool sock)
{
	fd(o, "fd", s->fd);
	if (out) {
		k23_tr_put_buf(val(o, "buf"), s->addr, s->len, 0);
		done(o);
	} else {
		addr(o, "buf", s->addr);
	}
	unum(o, "len", s->len);
	if (sock) {
		flags(o, "flags", s->msg_flags, k23_xlat_msg_flags);
		return;
	}
	num(o, "off", (long)s->off);
	if (s->rw_flags)
		unum(o, "rw_flags", (unsigned)s->rw_flags);
	if (s->opcode == IORING_OP_READ_FIXED || s->opcode == IORING_OP_WRITE_FIXED)
		unum(o, "buf_index", s->buf_index);
}

static void put_two_paths(struct out *o, const struct io_uring_sqe *s, unsigned long fl)
{
	fd(o, "olddirfd", s->fd);
	path(o, "oldpath", s->addr);
	fd(o, "newdirfd", (int)s->len);
	path(o, "newpath", s->addr2);
	if (fl)
		unum(o, "flags", fl);
}

static void put_raw(struct out *o, const struct io_uring_sqe *s)
{
	fd(o, "fd", s->fd);
	num(o, "off", (long)s->off);
	addr(o, "addr", s->addr);
	unum(o, "len", s->len);
}

static void put_fields(struct out *o, const struct io_uring_sqe *s)
{
	switch (s->opcode) {
	case IORING_OP_NOP:
		return;
	case IORING_OP_OPENAT:
		put_open(o, s);
		return;
	case IORING_OP_OPENAT2:
		fd(o, "fd", s->fd);
		path(o, "path", s->addr);
		addr(o, "how", s->addr2);
		unum(o, "size", s->len);
		return;
	case IORING_OP_STATX:
		put_statx(o, s);
		return;
	case IORING_OP_CLOSE:
		fd(o, "fd", s->fd);
		if (s->file_index)
			unum(o, "file_index", s->file_index - 1);
		return;
	case IORING_OP_READ: case IORING_OP_READ_FIXED:
		put_rw(o, s, false, false);
		return;
	case IORING_OP_WRITE: case IORING_OP_WRITE_FIXED:
		put_rw(o, s, true, false);
		return;
	case IORING_OP_RECV:
		put_rw(o, s, false, true);
		return;
	case IORING_OP_SEND: case IORING_OP_SEND_ZC:
		put_rw(o, s, true, true);
		return;
	case IORING_OP_READV: case IORING_OP_WRITEV:
		fd(o, "fd", s->fd);
		addr(o, "iov", s->addr);
		unum(o, "iovcnt", s->len);
		num(o, "off", (long)s->off);
		return;
	case IORING_OP_SENDMSG: case IORING_OP_RECVMSG: case IORING_OP_SENDMSG_ZC:
		fd(o, "fd", s->fd);
		addr(o, "msg", s->addr);
		flags(o, "flags", s->msg_flags, k23_xlat_msg_flags);
		return;
	case IORING_OP_FSYNC:
		fd(o, "fd", s->fd);
		if (s->fsync_flags & IORING_FSYNC_DATASYNC)
			text(o, "flags", "IORING_FSYNC_DATASYNC");
		return;
	case IORING_OP_UNLINKAT:
		fd(o, "fd", s->fd);
		path(o, "path", s->addr);
		flags(o, "flags", s->unlink_flags, k23_xlat_at_flags);
		return;
	case IORING_OP_MKDIRAT:
		fd(o, "fd", s->fd);
		path(o, "path", s->addr);
		mode(o, "mode", s->len);
		return;
	case IORING_OP_RENAMEAT:
		put_two_paths(o, s, s->rename_flags);
		return;
	case IORING_OP_LINKAT:
		put_two_paths(o, s, s->hardlink_flags);
		return;
	case IORING_OP_SYMLINKAT:
		path(o, "target", s->addr);
		fd(o, "newdirfd", s->fd);
		path(o, "linkpath", s->addr2);
		return;
	case IORING_OP_CONNECT:
		fd(o, "fd", s->fd);
		k23_tr_put_sockaddr(val(o, "addr"), s->addr, s->off);
		done(o);
		unum(o, "addrlen", s->off);
		return;
	case IORING_OP_ACCEPT:
		fd(o, "fd", s->fd);
		addr(o, "addr", s->addr);
		addr(o, "addrlen", s->addr2);
		return;
	case IORING_OP_SHUTDOWN:
		fd(o, "fd", s->fd);
		flags(o, "how", s->len, k23_xlat_shut);
		return;
	case IORING_OP_POLL_ADD:
		fd(o, "fd", s->fd);
		flags(o, "events", s->poll32_events, k23_xlat_poll_events);
		return;
	case IORING_OP_ASYNC_CANCEL: case IORING_OP_POLL_REMOVE: case IORING_OP_TIMEOUT_REMOVE:
		unum(o, "target", s->addr); /* the user_data of the request it acts on */
		return;
	case IORING_OP_FADVISE:
		fd(o, "fd", s->fd);
		num(o, "off", (long)s->off);
		unum(o, "len", s->len);
		flags(o, "advice", s->fadvise_advice, k23_xlat_fadvise);
		return;
	}
	put_raw(o, s);
}

static void put_sqe(struct out *o, const struct io_uring_sqe *s)
{
	if (s->opcode < IORING_OP_LAST && op_names[s->opcode]) {
		if (o->json) {
			text(o, "op", op_names[s->opcode]);
		} else {
			k23_fmt_char(o->f, ' ');
			k23_fmt_str(o->f, op_names[s->opcode]);
		}
	} else {
		num(o, "opcode", s->opcode);
	}
	o->fixed = s->flags & IOSQE_FIXED_FILE;
	if (s->flags)
		flags(o, "sqe_flags", s->flags, sqe_flags);
	put_fields(o, s);
	unum(o, "user_data", s->user_data);
}

/* ---- One CQE ---- */

static void put_cqe(struct out *o, const struct io_uring_cqe *q)
{
	const char *name = q->res < 0 ? k23_errno_name(-q->res) : 0;

	unum(o, "user_data", q->user_data);
	num(o, "res", q->res);
	if (name && o->json) {
		text(o, "errno", name);
	} else if (name) {
		const char *why = k23_errno_text(-q->res);

		k23_fmt_char(o->f, ' ');
		k23_fmt_str(o->f, name);
		if (why) {
			k23_fmt_str(o->f, " (");
			k23_fmt_str(o->f, why);
			k23_fmt_char(o->f, ')');
		}
	}
	if (q->flags)
		flags(o, "flags", q->flags, cqe_flags);
}

/* ---- The lines or the arrays ---- */

/* What the trace says instead of a ring's queues, or NULL. */
static const char *why_not(enum k23_ur_state st)
{
	switch (st) {
	case K23_UR_OK:
		return 0;
	case K23_UR_UNKNOWN:
		return "ring not set up under k23 in this process: SQEs and CQEs not shown";
	case K23_UR_REGISTERED:
		return "ring entered by an index k23 did not see this thread register: SQEs and CQEs not shown";
	case K23_UR_LAYOUT:
		return "ring set up with flags unknown to k23: SQEs and CQEs not shown";
	case K23_UR_UNREADABLE:
		break;
	}
	return "ring could not be read: SQEs and CQEs not shown";
}

#define SQPOLL_NOTE "IORING_SETUP_SQPOLL: the SQEs its kernel thread takes are not shown"

/* Where the lines go: whole lines, flushed before a next one might not fit. */
struct sink {
	const struct k23_call *c;
	const struct k23_topts *o;
	int tid;
	char *buf;
	size_t size, used;
	struct out *out;	/* text: its line is at buf + used */
	struct k23_fmt f;
};

static void line_begin(struct sink *k, const char *what)
{
	if (k->size - k->used < K23_TRACE_LINE_MAX) {
		k23_rt_output(k->buf, k->used);
		k->used = 0;
	}
	k23_fmt_init(&k->f, k->buf + k->used, K23_TRACE_LINE_MAX - 1);
	k->f.size -= 3; /* room for "..." */
	if (k->o && k->o->strmax)
		k->f.strmax = k->o->strmax < K23_STR_MAX ? k->o->strmax : K23_STR_MAX;
	k23_fmt_str(&k->f, "[pid ");
	for (int w = 10000; w > 1 && k->tid < w; w /= 10)
		k23_fmt_char(&k->f, ' ');
	k23_fmt_dec(&k->f, k->tid);
	k23_fmt_str(&k->f, "]   ");
	k23_fmt_str(&k->f, what);
	k->out->f = &k->f;
	k->out->n = 0;
}

static void line_end(struct sink *k)
{
	k->f.size += 3;
	if (k->f.truncated) {
		k->f.truncated = false;
		k23_fmt_str(&k->f, "...");
	}
	k->buf[k->used + k->f.len] = '\n';
	k->used += k->f.len + 1;
}

static void note_line(struct sink *k, const char *what)
{
	line_begin(k, "io_uring: ");
	k23_fmt_str(&k->f, what);
	line_end(k);
}

static void lines(struct sink *k, const struct k23_ur_view *v)
{
	const struct k23_call *c = k->c;
	uint32_t tail, from;
	struct io_uring_sqe s;
	struct io_uring_cqe q;

	if (v->p.flags & IORING_SETUP_SQPOLL)
		note_line(k, SQPOLL_NOTE);
	for (long i = 0; c->uring_sq_known && !k23_is_error(c->ret) && i < c->ret; i++) {
		if (!k23_ur_sqe(v, c->uring_sq_head + (uint32_t)i, &s))
			break;
		line_begin(k, "sqe:");
		put_sqe(k->out, &s);
		line_end(k);
	}
	if (!k23_ur_cq_tail(v, &tail))
		return;
	from = k23_ur_claim_cqes(v, tail);
	if (tail - from > v->p.cq_entries) {
		from = tail - v->p.cq_entries;
		note_line(k, "older CQEs were overwritten before k23 saw them");
	}
	for (; from != tail && k23_ur_cqe(v, from, &q); from++) {
		line_begin(k, "cqe:");
		put_cqe(k->out, &q);
		line_end(k);
	}
}

static void init_out(struct out *o, const struct k23_call *c, const struct k23_topts *opts,
		     bool json)
{
	o->json = json;
	o->n = 0;
	o->vt = (struct tr){
		.c = c,
		.self = k23_tid(),
		.o = opts,
	};
}

void k23_tr_uring_lines(const struct k23_call *c, const struct k23_topts *o, int tid, char *buf,
			size_t size, size_t used)
{
	struct out out;
	struct sink k = { .c = c, .o = o, .tid = tid, .buf = buf, .size = size, .used = used,
			  .out = &out };
	struct k23_ur_view v;
	enum k23_ur_state st = k23_ur_open(c, &v);

	init_out(&out, c, o, false);
	if (st == K23_UR_OK)
		lines(&k, &v);
	else if (!k23_is_error(c->ret))
		note_line(&k, why_not(st));
	k23_ur_close(&v);
	k23_rt_output(buf, k.used);
}

/* ---- --json ---- */

/* Appends one element to an array; false (the object unchanged) when it
 * does not fit. */
static bool element(struct out *o, bool first, const void *e, bool sqe)
{
	struct k23_fmt *f = o->f;
	size_t at = f->len;

	if (!first)
		k23_fmt_char(f, ',');
	k23_fmt_char(f, '{');
	o->n = 0;
	if (sqe)
		put_sqe(o, e);
	else
		put_cqe(o, e);
	k23_fmt_char(f, '}');
	if (!f->truncated)
		return true;
	f->len = at;
	f->buf[at] = '\0';
	f->truncated = false;
	return false;
}

/* "sqes":[...]; false if some did not fit. */
static bool json_sqes(struct out *o, const struct k23_call *c, const struct k23_ur_view *v)
{
	struct io_uring_sqe s;
	bool whole = true;
	long i = 0;

	k23_fmt_str(o->f, ",\"sqes\":[");
	for (; c->uring_sq_known && !k23_is_error(c->ret) && i < c->ret; i++)
		if (!k23_ur_sqe(v, c->uring_sq_head + (uint32_t)i, &s) ||
		    !(whole = element(o, i == 0, &s, true)))
			break;
	k23_fmt_char(o->f, ']');
	return whole;
}

static bool json_cqes(struct out *o, const struct k23_ur_view *v, const char **note)
{
	struct io_uring_cqe q;
	uint32_t tail, from;
	bool whole = true, first = true;

	k23_fmt_str(o->f, ",\"cqes\":[");
	if (k23_ur_cq_tail(v, &tail)) {
		from = k23_ur_claim_cqes(v, tail);
		if (tail - from > v->p.cq_entries) {
			from = tail - v->p.cq_entries;
			*note = "older CQEs were overwritten before k23 saw them";
		}
		for (; from != tail && k23_ur_cqe(v, from, &q); from++, first = false)
			if (!(whole = element(o, first, &q, false)))
				break;
	}
	k23_fmt_char(o->f, ']');
	return whole;
}

void k23_tr_uring_json(const struct k23_call *c, const struct k23_topts *o, struct k23_fmt *f)
{
	/* room kept for what follows the arrays: the note, the closing brace */
	const size_t reserve = 192;
	struct out out;
	struct k23_ur_view v;
	enum k23_ur_state st = k23_ur_open(c, &v);
	const char *note = why_not(st);
	size_t size = f->size;
	bool whole = true;

	init_out(&out, c, o, true);
	out.f = f;
	if (st == K23_UR_OK && size > f->len + reserve) {
		f->size = size - reserve;
		whole = json_sqes(&out, c, &v);
		whole = json_cqes(&out, &v, &note) && whole;
		f->size = size;
		if (v.p.flags & IORING_SETUP_SQPOLL)
			note = SQPOLL_NOTE;
	}
	k23_ur_close(&v);
	if (!whole)
		k23_fmt_str(f, ",\"io_uring_truncated\":true");
	if (note && !(st != K23_UR_OK && k23_is_error(c->ret))) {
		k23_fmt_str(f, ",\"io_uring\":");
		k23_fmt_json_str(f, note, k23_strlen(note), true);
	}
}
