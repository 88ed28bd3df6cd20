/* doctor.h - `k23 doctor`: report what this kernel and CPU let k23 do. */
#ifndef K23_CLI_DOCTOR_H
#define K23_CLI_DOCTOR_H

/* argv[0] is the subcommand's name ("doctor"); options start at argv[1]:
 * --json, --help. Returns the exit status: 0 if Syscall User Dispatch or
 * seccomp works, 1 if neither does, 2 on a usage error. */
int k23_doctor(int argc, char **argv);

#endif
