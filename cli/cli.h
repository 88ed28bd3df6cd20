/* cli.h - k23's subcommands. */
#ifndef K23_CLI_H
#define K23_CLI_H

int k23_cmd_run(int argc, char **argv);
int k23_cmd_handover(int fd, const char *execfn);
/* argv[0] is "prepare" or "sites"; argv[-1] must be writable (main's argv). */
int k23_cmd_offline(int argc, char **argv);

/* main()'s own arguments: the loader reuses the memory the kernel gave them. */
extern int k23_main_argc;
extern char **k23_main_argv, **k23_main_envp;
void k23_usage(int to_stderr);

/* supervise.c: the parent that outlives the interposed tree. */
struct k23_shared;
struct k23_supervision {
	int out_fd;			/* where the summary goes */
	const char *out_name;		/* -o FILE, or "stderr", for messages */
	const struct k23_shared *shared; /* the tree's counters, or NULL */
	int counts, stats;		/* print the count table, the --stats lines */
	int sort;			/* -S: enum k23_sort (strace_opts.h) */
	int json;			/* --json: the count table as one object per call */
	int timed;			/* the counts have times (-S time) */
	int splitter;			/* -ff: the process writing FILE.PID (split.c), or -1 */
};
int k23_supervise(int child, const struct k23_supervision *s);

/* split.c: -o FILE -ff. Starts the process that writes each line of the
 * pipe it returns (the write end) into FILE.PID, by the line's thread;
 * *pid is that process. The write end, or -1 after a message. */
int k23_split_start(const char *path, int *pid);

#endif
