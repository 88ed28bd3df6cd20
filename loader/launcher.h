/* launcher.h - what the launcher (build/k23) tells the core (build/k23-core) it started.
 *
 * The launcher is a page of the core's own text, cut out of k23-core into a
 * file of its own at build time (scripts/mklauncher.c): the file users run
 * as `k23`. It maps the core from k23-core at the core's fixed address and
 * enters it, so that no mapping of the executed file is left and the kernel
 * lets the exe link move to the program without k23 replacing its own image
 * (loader/selfcopy.c). AT_BASE, which the kernel sets to 0 for a static
 * program, carries the descriptor of k23-core the launcher mapped, under a
 * tag no interpreter's load address can have (it is not a canonical user
 * address).
 */
#ifndef K23_LAUNCHER_H
#define K23_LAUNCHER_H

#define K23_LAUNCH_TAG 0x4b32334c00000000UL	/* "K23L" in the upper half */
#define K23_LAUNCH_TAG_MASK 0xffffffff00000000UL
#define K23_CORE_NAME "k23-core"

/* The launcher's first instruction (loader/arch/x86_64/launcher.c), at the
 * same address in every k23 image: a tracer recognises a tracee still in
 * the launcher by its bytes (online/ptrace/ptrace_tracer.c). */
extern const char k23_launcher_start[];
/* Its last byte (mklauncher cuts through the page holding it). */
extern const char k23_launcher_end[];

/* The launcher's own file as the kernel's exe link names it, when the
 * launcher looked k23-core up beside it; "" when the previous image passed
 * k23-core (loader/handover.c then has the path) or k23-core was executed. */
extern char k23_launched_self[4096];

/* Called first thing in main(): the descriptor of k23-core the launcher
 * opened (the core keeps it until k23_launched_release), or -1 when k23-core
 * was executed directly (then the exe link names the core's file and
 * selfcopy.c replaces its mappings, as before the launcher). */
int k23_launched_core_fd(void);
/* The core's file, as the launcher opened it: identity for re-executions
 * (online/process/reexec.c); closes the descriptor. */
void k23_launched_release(void);
/* Started by the launcher: the program break as the kernel set it, asked
 * before anything of k23 could move it (loader/mm_record.c); else 0. */
unsigned long k23_launched_brk(void);

#endif
