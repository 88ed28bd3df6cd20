/* shebang.c - the kernel's #! parsing, step for step (fs/binfmt_script.c, load_script).
 *
 * The kernel reads the first 256 bytes (zero-padded when the file is
 * shorter) and:
 *   - ends the line at the first newline, found only before any NUL; with
 *     none, the line ends before the buffer's last byte, and the name must
 *     be followed by a blank or NUL inside the buffer, else ENOEXEC (a
 *     truncated interpreter path is never executed; arguments may be cut);
 *   - trims blanks (space, tab) at the end, skips them at the start;
 *   - the name runs to the first blank or NUL; if a blank ended it, the
 *     rest after further blanks is one argument, up to the first NUL
 *     (a NUL right there gives an empty argument).
 */
#include <asm/errno.h>
#include "rt/shebang.h"

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* First char in [first, last] that is not a blank, or 0. */
static char *non_blank(char *first, char *last)
{
	for (; first <= last; first++)
		if (!blank(*first))
			return first;
	return 0;
}

/* First blank or NUL in [first, last], or 0. */
static char *terminator(char *first, char *last)
{
	for (; first <= last; first++)
		if (blank(*first) || !*first)
			return first;
	return 0;
}

/* The kernel's strnchr: stops at a NUL. */
static char *newline(char *s, long count)
{
	for (; count-- && *s; s++)
		if (*s == '\n')
			return s;
	return 0;
}

int k23_shebang_parse(struct k23_shebang *sb, const char *head, long n)
{
	char *buf = sb->buf, *buf_end = buf + K23_SHEBANG_BUF - 1, *end, *name, *sep, *arg = 0;

	for (long i = 0; i < K23_SHEBANG_BUF + 1; i++)
		buf[i] = i < n && i < K23_SHEBANG_BUF ? head[i] : 0;
	sb->interp = sb->arg = 0;
	if (buf[0] != '#' || buf[1] != '!')
		return -ENOEXEC;
	end = newline(buf, K23_SHEBANG_BUF);
	if (!end) {
		end = non_blank(buf + 2, buf_end);
		if (!end || !terminator(end, buf_end))
			return -ENOEXEC;
		end = buf_end;
	}
	while (blank(end[-1]))
		end--;
	name = non_blank(buf + 2, end);
	if (!name || name == end)
		return -ENOEXEC;
	sep = terminator(name, end);
	if (sep && *sep)
		arg = non_blank(sep, end);
	*end = 0;
	if (arg)
		*sep = 0;
	sb->interp = name;
	sb->arg = arg;
	return 0;
}
