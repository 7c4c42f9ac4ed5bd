/*
 * problems: what the library finds wrong without failing, told to the
 * caller. Two shapes:
 *  - a list (struct diags) of the problems found in one input, each with
 *    a line and the key it concerns, so that all of them can be reported
 *    at once as "FILE:LINE: key: problem";
 *  - a callback (problem_fn) told each problem as one line when it is
 *    found, for the command to print (cli_print_line()) or ignore.
 *
 * Ownership: the list owns its strings; diags_release() frees them all.
 */
#ifndef KEFU_PROBLEMS_H
#define KEFU_PROBLEMS_H

#include <stddef.h>

struct diag {
	int line;  /* 1-based; 0 when the problem is the whole file */
	char *key; /* NULL when no key is concerned */
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n, alloc;
};

#define DIAGS_INIT { NULL, 0, 0 }

void diag_add(struct diags *d, int line, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diags_release(struct diags *d);
/* Format one problem as "FILE:LINE: key: problem" (no newline). */
char *diag_format(const char *file, const struct diag *dg);

/* Told of one problem, a line without its newline; ctx is the caller's. */
typedef void (*problem_fn)(void *ctx, const char *line);

#endif
