/* test_fmt.c - unit tests of the freestanding formatter (common/rt/fmt.c).
 *
 * The quoting expectations are strings `strace` 6.1 printed on this machine
 * for the same bytes (write(-1, buf, n) under strace -e trace=write), so the
 * formatter is held to strace's format, not to itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rt/fmt.h"

/* Format with a fresh buffer of `size` bytes and return it (static: tests
 * are single-threaded). */
static char out[256];

static struct k23_fmt fresh(size_t size)
{
	struct k23_fmt f;

	memset(out, 0x55, sizeof(out));
	k23_fmt_init(&f, out, size);
	return f;
}

static void test_numbers(void **state)
{
	(void)state;
	struct k23_fmt f = fresh(sizeof(out));

	k23_fmt_dec(&f, 0);
	k23_fmt_char(&f, ' ');
	k23_fmt_dec(&f, -42);
	k23_fmt_char(&f, ' ');
	k23_fmt_dec(&f, (long)(-9223372036854775807L - 1));
	k23_fmt_char(&f, ' ');
	k23_fmt_udec(&f, 18446744073709551615UL);
	k23_fmt_char(&f, ' ');
	k23_fmt_hex(&f, 0);
	k23_fmt_char(&f, ' ');
	k23_fmt_hex(&f, 0x7fd9a3b47740UL);
	k23_fmt_char(&f, ' ');
	k23_fmt_addr(&f, 0);
	k23_fmt_char(&f, ' ');
	k23_fmt_addr(&f, 0x1000);
	assert_string_equal(out, "0 -42 -9223372036854775808 18446744073709551615 0 0x7fd9a3b47740 NULL 0x1000");
	assert_false(k23_fmt_truncated(&f));
}

/* strace prints modes with %#03o: umask(000) = 022, mkdir(p, 0755). */
static void test_octal_modes(void **state)
{
	(void)state;
	struct k23_fmt f = fresh(sizeof(out));

	k23_fmt_oct(&f, 0);
	k23_fmt_char(&f, ' ');
	k23_fmt_oct(&f, 022);
	k23_fmt_char(&f, ' ');
	k23_fmt_oct(&f, 0755);
	k23_fmt_char(&f, ' ');
	k23_fmt_oct(&f, 04755);
	k23_fmt_char(&f, ' ');
	k23_fmt_oct(&f, 07);
	assert_string_equal(out, "000 022 0755 04755 007");
}

/* strace: write(-1, "\1\0012\t\r\177\377\"\\0\0\0\0\0\0", 15) for these bytes:
 * short octal unless an octal digit follows, named escapes for \t \r. */
static void test_quote_like_strace(void **state)
{
	(void)state;
	static const char bytes[15] = "\1\0012\t\r\x7f\xff\"\\0";
	struct k23_fmt f = fresh(sizeof(out));

	k23_fmt_buffer(&f, bytes, sizeof(bytes), 0);
	assert_string_equal(out, "\"\\1\\0012\\t\\r\\177\\377\\\"\\\\0\\0\\0\\0\\0\\0\"");
}

/* strace: read(3, "\177ELF\2\1\1\3\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\20t\2\0\0\0\0\0"..., 832):
 * 32 bytes then "...", and no look-ahead past the 32nd byte (its \0 stays short). */
static void test_buffer_cut_at_32(void **state)
{
	(void)state;
	static const unsigned char elf[40] = {
		0x7f, 'E', 'L', 'F', 2, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0,
		3, 0, '>', 0, 1, 0, 0, 0, 0x10, 't', 2, 0, 0, 0, 0, 0,
		'0', '1', 0, 0, 0, 0, 0, 0,
	};
	struct k23_fmt f = fresh(sizeof(out));

	k23_fmt_buffer(&f, elf, 832, 0);
	assert_string_equal(out, "\"\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0\\20t\\2\\0\\0\\0\\0\\0\"...");

	f = fresh(sizeof(out));
	k23_fmt_buffer(&f, "", 0, 0);
	assert_string_equal(out, "\"\"");

	f = fresh(sizeof(out));
	k23_fmt_buffer(&f, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 32, 0);
	assert_string_equal(out, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"");
	f = fresh(sizeof(out));
	k23_fmt_buffer(&f, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 100, 0);
	assert_string_equal(out, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"...");
}

/* strace: getrandom("\xba\xf7\x79\xd5\x23\xf0\xcc\xc3", 8, GRND_NONBLOCK). */
static void test_hex_quote(void **state)
{
	(void)state;
	static const unsigned char r[8] = { 0xba, 0xf7, 0x79, 0xd5, 0x23, 0xf0, 0xcc, 0xc3 };
	struct k23_fmt f = fresh(sizeof(out));

	k23_fmt_buffer(&f, r, sizeof(r), K23_QUOTE_HEX);
	assert_string_equal(out, "\"\\xba\\xf7\\x79\\xd5\\x23\\xf0\\xcc\\xc3\"");
}

/* strace: execve(..., ["sh", "-c", "cat /nonexistent; ls /tmp >/dev/"...], ...):
 * C strings stop at their NUL, longer ones show 32 bytes and "...", and a
 * string of exactly 32 bytes has no "..." (strace looks one byte ahead). */
static void test_cstring(void **state)
{
	(void)state;
	static const char longer[] = "cat /nonexistent; ls /tmp >/dev/null; echo hi | cat";
	static const char exact[] = "0123456789abcdef0123456789abcdef";
	struct k23_fmt f = fresh(sizeof(out));

	k23_fmt_cstring(&f, "-c", 3);
	assert_string_equal(out, "\"-c\"");

	f = fresh(sizeof(out));
	k23_fmt_cstring(&f, longer, 33);
	assert_string_equal(out, "\"cat /nonexistent; ls /tmp >/dev/\"...");

	f = fresh(sizeof(out));
	k23_fmt_cstring(&f, exact, 33);
	assert_string_equal(out, "\"0123456789abcdef0123456789abcdef\"");

	/* Unterminated and unreadable after 5 bytes: marked as cut. */
	f = fresh(sizeof(out));
	k23_fmt_cstring(&f, "abcde", 5);
	assert_string_equal(out, "\"abcde\"...");
}

static const struct k23_flag open_flags[] = {
	{ 0100, "O_CREAT" }, { 01000, "O_TRUNC" }, { 02000000, "O_CLOEXEC" }, { 0, NULL }
};

/* strace: O_WRONLY|O_CREAT|O_TRUNC, PROT_NONE, unknown bits as |0x... */
static void test_flags(void **state)
{
	(void)state;
	struct k23_fmt f = fresh(sizeof(out));

	k23_fmt_flags(&f, 01100, open_flags, NULL);
	k23_fmt_char(&f, ' ');
	k23_fmt_flags(&f, 0, open_flags, "PROT_NONE");
	k23_fmt_char(&f, ' ');
	k23_fmt_flags(&f, 0, open_flags, NULL);
	k23_fmt_char(&f, ' ');
	k23_fmt_flags(&f, 02000000 | 0x40000000, open_flags, NULL);
	k23_fmt_char(&f, ' ');
	k23_fmt_flags(&f, 0x8, open_flags, NULL);
	assert_string_equal(out, "O_CREAT|O_TRUNC PROT_NONE 0 O_CLOEXEC|0x40000000 0x8");

	f = fresh(sizeof(out));
	assert_true(k23_fmt_enum(&f, 0100, open_flags));
	assert_false(k23_fmt_enum(&f, 7, open_flags));
	assert_string_equal(out, "O_CREAT");
}

/* strace (no -f): "exit_group(1)                           = ?": the result at column 40. */
static void test_pad(void **state)
{
	(void)state;
	struct k23_fmt f = fresh(sizeof(out));

	k23_fmt_str(&f, "exit_group(1) ");
	k23_fmt_pad(&f, 40);
	k23_fmt_str(&f, "= ?");
	assert_string_equal(out, "exit_group(1)                           = ?");
	k23_fmt_pad(&f, 10);	/* already past: nothing */
	assert_int_equal(strlen(out), 43);
}

/* Never a byte past the buffer, always NUL-terminated, truncation reported. */
static void test_truncation(void **state)
{
	(void)state;
	struct k23_fmt f = fresh(8);

	k23_fmt_str(&f, "abcdefghijkl");
	assert_true(k23_fmt_truncated(&f));
	assert_string_equal(out, "abcdefg");
	assert_int_equal(f.len, 7);
	assert_int_equal((unsigned char)out[8], 0x55);

	f = fresh(8);
	k23_fmt_buffer(&f, "\1\2\3\4", 4, 0);	/* "\1\2\3\4" is 10 bytes */
	assert_true(k23_fmt_truncated(&f));
	assert_int_equal(strlen(out), 7);
	assert_int_equal((unsigned char)out[8], 0x55);

	f = fresh(1);
	k23_fmt_dec(&f, 12345);
	assert_true(k23_fmt_truncated(&f));
	assert_string_equal(out, "");

	f = fresh(0);
	k23_fmt_char(&f, 'x');
	assert_true(k23_fmt_truncated(&f));
	assert_int_equal((unsigned char)out[0], 0x55);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_octal_modes),
		cmocka_unit_test(test_quote_like_strace),
		cmocka_unit_test(test_buffer_cut_at_32),
		cmocka_unit_test(test_hex_quote),
		cmocka_unit_test(test_cstring),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_pad),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
