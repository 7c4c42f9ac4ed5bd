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

/*
 * Problems held back to be told in the order of the rows they are about
 * (a sheet checked column by column, then across its rows), each row's
 * in the order found. Owns its lines.
 */
struct held {
	struct held_line {
		long row;
		size_t n;
		char *line;
	} *v;
	size_t n, alloc;
};
#define HELD_INIT { NULL, 0, 0 }
void held_add(struct held *h, long row, const char *line);
/* Tell every line to fn, by row, and forget them. */
void held_tell(struct held *h, problem_fn fn, void *ctx);

#endif
