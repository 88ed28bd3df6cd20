/* main.c - the k23 command: subcommand dispatch and usage. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "doctor.h"
#include <limits.h>
#include "loader/handover.h"
#include "loader/launcher.h"

/* The Makefile passes VERSION's one line (the version's only source). */
#ifndef K23_VERSION
#error "K23_VERSION is set by the Makefile from the file VERSION"
#endif

void k23_usage(int to_stderr)
{
	fprintf(to_stderr ? stderr : stdout,
		"usage: k23 <command> [options]\n"
		"\n"
		"commands:\n"
		"  run [options] -- PROG [ARGS...]  run PROG with every system call interposed\n"
		"  prepare [--cache DIR] [--quiet] PROG\n"
		"                                   find and verify the syscall sites of PROG, its\n"
		"                                   interpreter and libraries; write sidecars\n"
		"  prepare [...] --record -- PROG [ARGS...]\n"
		"                                   also run PROG once and merge the sites it executed\n"
		"  sites [--cache DIR] [--json] FILE\n"
		"                                   what prepare found in FILE and how it is patched\n"
		"  cache [--cache DIR] list|verify|prune [--all]\n"
		"                                   the sidecar cache: its entries, whether they still\n"
		"                                   fit their objects, removing stale ones (--all: all)\n"
		"  policy check|explain FILE        check a policy file; explain what enforces each rule\n"
		"  policy learn [-o FILE] -- PROG [ARGS...]\n"
		"                                   write the smallest policy that allows what PROG did\n"
		"  doctor [--json]                  what this kernel and machine allow\n"
		"  help                             this text\n"
		"  --version                        k23's version\n"
		"\n"
		"k23 run options:\n"
		"  --tool count|trace    count: per-syscall calls and errors at exit (like strace -f -c)\n"
		"                        trace: one line per system call (like strace -f)\n"
		"                        record: each syscall site executed, once (\"site FILE OFFSET\")\n"
		"  -o FILE               write the tool's output to FILE instead of stderr\n"
		"  --catch-all=MODE      hybrid, sud, seccomp or both: how calls are caught (default: hybrid)\n"
		"  --patch=stub|page0    how prepared sites are patched (default: stub, a jump to a\n"
		"                        per-site stub; page0: call *%%rax into page 0, needs root)\n"
		"  --no-patch            patch nothing: every call is caught by the catch-all\n"
		"  --no-lazy             patch only sites a sidecar describes, never trapped ones\n"
		"  --stats               at exit, how calls came in and what was patched\n"
		"  --cache DIR           sidecar cache (default: see below)\n"
		"  --prepare=MODE        objects without sidecars: background (the default) prepares\n"
		"                        them after the start in a detached, idle k23 prepare, so the\n"
		"                        next run is patched; now: before the start; never: leave\n"
		"                        the cache alone (also $K23_PREPARE)\n"
		"  --policy FILE         confine the program (calls, paths, TCP ports): by the kernel,\n                        and by k23 in-process where the kernel cannot;\n"
		"                        see `k23 policy --help` and k23-policy(5)\n"
		"  --accept-weaker       run a policy with rules the kernel cannot enforce (listed)\n"
		"\n"
		"strace's options (docs/strace-compat.md; they select --tool trace, -c count):\n"
		"  -e trace=SET          calls to report: names, %%file %%network %%process %%signal\n"
		"                        %%ipc %%desc %%memory %%creds %%clock %%pure..., /regex, !SET\n"
		"  -e status=SET         successful, failed, unfinished (-z, -Z: the first two)\n"
		"  -e inject=SET:error=ERRNO|retval=N[:when=FIRST[..LAST][+STEP]]\n"
		"             [:delay_enter=D][:delay_exit=D]   change calls in-process (-e fault=)\n"
		"  -T -t -tt -ttt -y -s N  times, descriptor paths, string length, as strace\n"
		"  -c [-S calls|time|errors|name|nothing]    count, sorted\n"
		"  -o FILE -ff           one file per thread, FILE.TID\n"
		"  --json                one JSON object per call (or per counted call with -c)\n"
		"\n"
		"Sidecars live in $K23_CACHE, else $XDG_CACHE_HOME/k23, else ~/.cache/k23.\n"
		"Exit status of `k23 run` is the program's; 127 if PROG is not found, 126 if it\n"
		"cannot be executed, 2 on a usage error.\n");
}

int main(int argc, char **argv, char **envp)
{
	k23_launched_core_fd(); /* what the launcher passed, before anything uses AT_BASE */
	k23_main_argc = argc;
	k23_main_argv = argv;
	k23_main_envp = envp;

	char execfn[PATH_MAX];
	int fd, r = k23_handover_read(&fd, execfn, sizeof(execfn));

	if (r > 0)
		return k23_cmd_handover(fd, execfn);
	if (r < 0)
		return 127;
	if (argc < 2) {
		fprintf(stderr, "k23: missing command\n");
		k23_usage(1);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return k23_cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "prepare") || !strcmp(argv[1], "sites") || !strcmp(argv[1], "policy") ||
	    !strcmp(argv[1], "cache"))
		return k23_cmd_offline(argc - 1, argv + 1);
	if (!strcmp(argv[1], "doctor"))
		return k23_doctor(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version")) {
		printf("k23 %s\n", K23_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		k23_usage(0);
		return 0;
	}
	fprintf(stderr, "k23: unknown %s '%s'\n", argv[1][0] == '-' ? "option" : "command",
		argv[1]);
	k23_usage(1);
	return 2;
}
