/* shebang.h - reading a #! line exactly as the kernel does (fs/binfmt_script.c). */
#ifndef K23_RT_SHEBANG_H
#define K23_RT_SHEBANG_H

#define K23_SHEBANG_BUF 256	/* the kernel's BINPRM_BUF_SIZE: all of the line it reads */

struct k23_shebang {
	char buf[K23_SHEBANG_BUF + 1];
	const char *interp;	/* into buf, NUL-terminated */
	const char *arg;	/* the optional argument, or NULL */
};

/* head holds the first n bytes of a file that starts with "#!" (n may be
 * more than the kernel reads; the rest is ignored). Fills sb as the kernel
 * would split the line and returns 0, or -ENOEXEC where the kernel refuses:
 * no interpreter name, or a name that may be cut off (no newline, and no
 * blank after the name, within the buffer). */
int k23_shebang_parse(struct k23_shebang *sb, const char *head, long n);

#endif
