/* fmt.c - bounded, freestanding text formatting (see fmt.h). */
#include "rt/fmt.h"

void k23_fmt_init(struct k23_fmt *f, char *buf, size_t size)
{
	f->buf = buf;
	f->size = size;
	f->len = 0;
	f->truncated = false;
	f->strmax = K23_FMT_STRLEN;
	if (size)
		buf[0] = '\0';
}

void k23_fmt_char(struct k23_fmt *f, char c)
{
	/* The last byte of the buffer is reserved for the NUL. */
	if (f->len + 1 >= f->size) {
		f->truncated = true;
		return;
	}
	f->buf[f->len++] = c;
	f->buf[f->len] = '\0';
}

void k23_fmt_mem(struct k23_fmt *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		k23_fmt_char(f, s[i]);
}

void k23_fmt_json_str(struct k23_fmt *f, const char *s, size_t n, bool ascii)
{
	static const char hex[] = "0123456789abcdef";

	k23_fmt_char(f, '"');
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\') {
			k23_fmt_char(f, '\\');
			k23_fmt_char(f, (char)ch);
		} else if (ch < 0x20 || (ascii && ch >= 0x7f)) {
			k23_fmt_str(f, "\\u00");
			k23_fmt_char(f, hex[ch >> 4]);
			k23_fmt_char(f, hex[ch & 15]);
		} else {
			k23_fmt_char(f, (char)ch);
		}
	}
	k23_fmt_char(f, '"');
}

void k23_fmt_str(struct k23_fmt *f, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		k23_fmt_char(f, *s++);
}

/* Digits of v in base (<= 16), most significant first, at least min_digits. */
static void put_base(struct k23_fmt *f, unsigned long v, unsigned base, int min_digits)
{
	char tmp[64];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < min_digits && n < (int)sizeof(tmp))
		tmp[n++] = '0';
	while (n)
		k23_fmt_char(f, tmp[--n]);
}

void k23_fmt_udec(struct k23_fmt *f, unsigned long v)
{
	put_base(f, v, 10, 1);
}

void k23_fmt_dec(struct k23_fmt *f, long v)
{
	if (v < 0) {
		k23_fmt_char(f, '-');
		/* -(LONG_MIN) overflows; negate in unsigned arithmetic. */
		put_base(f, -(unsigned long)v, 10, 1);
	} else {
		put_base(f, (unsigned long)v, 10, 1);
	}
}

void k23_fmt_hex(struct k23_fmt *f, unsigned long v)
{
	if (v)
		k23_fmt_mem(f, "0x", 2);
	put_base(f, v, 16, 1);
}

void k23_fmt_oct(struct k23_fmt *f, unsigned long v)
{
	/* strace prints modes with %#03o: a leading 0, then at least two digits. */
	k23_fmt_char(f, '0');
	put_base(f, v, 8, 2);
}

void k23_fmt_addr(struct k23_fmt *f, unsigned long v)
{
	if (v)
		k23_fmt_hex(f, v);
	else
		k23_fmt_str(f, "NULL");
}

void k23_fmt_pad(struct k23_fmt *f, size_t column)
{
	while (f->len < column && !f->truncated)
		k23_fmt_char(f, ' ');
}

/* One non-printable byte as strace's \ooo: the short form \0, \12, \177
 * unless the next byte is an octal digit, which would be read as part of it. */
static void put_octal_escape(struct k23_fmt *f, unsigned char c, bool next_is_octal)
{
	k23_fmt_char(f, '\\');
	if (next_is_octal) {
		put_base(f, c, 8, 3);
		return;
	}
	put_base(f, c, 8, 1);
}

bool k23_fmt_quote(struct k23_fmt *f, const void *s, size_t n, unsigned style)
{
	const unsigned char *p = s;
	bool nul = false;

	k23_fmt_char(f, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if ((style & K23_QUOTE_NUL) && c == '\0') {
			nul = true;
			break;
		}
		if (style & K23_QUOTE_HEX) {
			k23_fmt_mem(f, "\\x", 2);
			put_base(f, c, 16, 2);
			continue;
		}
		switch (c) {
		case '"': case '\\':
			k23_fmt_char(f, '\\');
			k23_fmt_char(f, (char)c);
			break;
		case '\f': k23_fmt_mem(f, "\\f", 2); break;
		case '\n': k23_fmt_mem(f, "\\n", 2); break;
		case '\r': k23_fmt_mem(f, "\\r", 2); break;
		case '\t': k23_fmt_mem(f, "\\t", 2); break;
		case '\v': k23_fmt_mem(f, "\\v", 2); break;
		default:
			if (c >= ' ' && c < 0x7f)
				k23_fmt_char(f, (char)c);
			else
				put_octal_escape(f, c, i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '7');
		}
	}
	k23_fmt_char(f, '"');
	return nul;
}

void k23_fmt_buffer(struct k23_fmt *f, const void *s, size_t len, unsigned style)
{
	size_t n = len < f->strmax ? len : f->strmax;

	k23_fmt_quote(f, s, n, style & ~K23_QUOTE_NUL);
	if (len > f->strmax)
		k23_fmt_mem(f, "...", 3);
}

void k23_fmt_cstring(struct k23_fmt *f, const char *s, size_t n)
{
	size_t shown = n < f->strmax ? n : f->strmax;

	if (k23_fmt_quote(f, s, shown, K23_QUOTE_NUL))
		return;
	/* No NUL among the shown bytes: the string is complete only when the
	 * very next byte is its NUL (strace looks one byte ahead). */
	if (n > shown && s[shown] == '\0')
		return;
	k23_fmt_mem(f, "...", 3);
}

void k23_fmt_flags(struct k23_fmt *f, unsigned long v, const struct k23_flag *t,
		   const char *zero_name)
{
	bool any = false;

	if (v == 0) {
		k23_fmt_str(f, zero_name ? zero_name : "0");
		return;
	}
	for (; t->name && v; t++) {
		if (t->val == 0 || (v & t->val) != t->val)
			continue;
		if (any)
			k23_fmt_char(f, '|');
		k23_fmt_str(f, t->name);
		v &= ~t->val;
		any = true;
	}
	if (v) {
		if (any)
			k23_fmt_char(f, '|');
		k23_fmt_hex(f, v);
	}
}

bool k23_fmt_enum(struct k23_fmt *f, unsigned long v, const struct k23_flag *t)
{
	for (; t->name; t++) {
		if (t->val == v) {
			k23_fmt_str(f, t->name);
			return true;
		}
	}
	return false;
}
