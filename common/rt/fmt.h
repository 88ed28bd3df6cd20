/* fmt.h - a tiny freestanding formatter into a caller's fixed buffer.
 *
 * The runtime may not call snprintf (libc), so the tracer and the log lines
 * build text with these appenders. A struct k23_fmt never writes past its
 * buffer: what does not fit is dropped and `truncated` is set, and the text
 * stays NUL-terminated. No state outside the struct: reentrant and
 * async-signal-safe.
 *
 * String quoting follows strace's string_quote() exactly, so traces compare
 * byte for byte with `strace -f`.
 */
#ifndef K23_FMT_H
#define K23_FMT_H

#include <stdbool.h>
#include <stddef.h>

struct k23_fmt {
	char *buf;
	size_t size;		/* capacity, including the terminating NUL */
	size_t len;		/* bytes stored, always < size (when size > 0) */
	bool truncated;		/* an append did not fit */
	size_t strmax;		/* strace's -s: bytes of strings and buffers shown
				 * (K23_FMT_STRLEN after k23_fmt_init) */
};

/* strace's default -s: strings and buffers show at most this many bytes. */
#define K23_FMT_STRLEN 32

/* Styles of k23_fmt_quote(). */
#define K23_QUOTE_NUL 0x1	/* the data is a C string: stop at the first NUL */
#define K23_QUOTE_HEX 0x2	/* every byte as \xNN (strace does so for random bytes) */

/* One named value of a flags word or an enumeration; tables end with name == NULL. */
struct k23_flag {
	unsigned long val;
	const char *name;
};

void k23_fmt_init(struct k23_fmt *f, char *buf, size_t size);
static inline bool k23_fmt_truncated(const struct k23_fmt *f) { return f->truncated; }

void k23_fmt_char(struct k23_fmt *f, char c);
void k23_fmt_mem(struct k23_fmt *f, const char *s, size_t n);
void k23_fmt_str(struct k23_fmt *f, const char *s);	/* NULL appends "(null)" */
void k23_fmt_dec(struct k23_fmt *f, long v);
void k23_fmt_udec(struct k23_fmt *f, unsigned long v);
void k23_fmt_hex(struct k23_fmt *f, unsigned long v);	/* 0x1f, and 0 as "0" (%#lx) */
void k23_fmt_oct(struct k23_fmt *f, unsigned long v);	/* 0644, 022, 000 (%#03lo) */
void k23_fmt_addr(struct k23_fmt *f, unsigned long v);	/* NULL or 0x7ffd... */
void k23_fmt_pad(struct k23_fmt *f, size_t column);	/* spaces until len == column */

/* A JSON string of at most n bytes of s, ending at a NUL: '"' and '\\'
 * escaped, control bytes as \u00XX; with ascii, bytes from 0x7f as well
 * (for text that may be cut inside a UTF-8 sequence), else passed as they
 * are. */
void k23_fmt_json_str(struct k23_fmt *f, const char *s, size_t n, bool ascii);

/* Quote n bytes of s in double quotes, C-escaped as strace does. Returns true
 * when K23_QUOTE_NUL is set and a NUL ended the string within the n bytes. */
bool k23_fmt_quote(struct k23_fmt *f, const void *s, size_t n, unsigned style);

/* A buffer of len bytes of which s holds the first min(len, f->strmax):
 * "abc" and, when len exceeds f->strmax, "abc"... (strace's printstrn). */
void k23_fmt_buffer(struct k23_fmt *f, const void *s, size_t len, unsigned style);

/* A C string of which s holds the first n bytes read from memory: quoted up
 * to its NUL, or to f->strmax bytes followed by ... when no NUL is among
 * the first f->strmax + 1 bytes (strace's printstr). */
void k23_fmt_cstring(struct k23_fmt *f, const char *s, size_t n);

/* Flags word: NAME|NAME|0x40 in table order; v == 0 prints zero_name, or "0"
 * when zero_name is NULL. */
void k23_fmt_flags(struct k23_fmt *f, unsigned long v, const struct k23_flag *t,
		   const char *zero_name);
/* The name of v in t; returns false and appends nothing when v has none. */
bool k23_fmt_enum(struct k23_fmt *f, unsigned long v, const struct k23_flag *t);

#endif
