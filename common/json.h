/* json.h - writing JSON strings for the --json outputs of k23's commands. */
#ifndef K23_JSON_H
#define K23_JSON_H

/* Writes s to stdout as a JSON string: quotes, backslashes and control
 * characters escaped; other bytes as they are. */
void k23_json_str(const char *s);

#endif
