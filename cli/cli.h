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
struct k23_counts;
struct k23_stats;
int k23_supervise(int child, int out_fd, const struct k23_counts *counts,
		  const struct k23_stats *stats);

#endif
