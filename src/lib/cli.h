/*
 * cli: what every command's main() shares. This file, and only this one,
 * prints and exits on behalf of the library's callers.
 *
 * Message shape: "PROG: what failed 'object': reason" on stderr.
 * Exit codes: 0 done or found, 1 nothing found or a failed check,
 * 2 usage, bad input or any error.
 */
#ifndef KEFU_CLI_H
#define KEFU_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "status.h"

enum { EXIT_FOUND = 0, EXIT_NONE = 1, EXIT_ERROR = 2 };

/* Long-option values above the char range, shared by all commands. */
enum { CLI_OPT_VERSION = 0x100, CLI_OPT_FIRST_FREE };

#define CLI_COMMON_LONGOPTS                                                    \
	{ "help", no_argument, NULL, 'h' },                                    \
	{ "version", no_argument, NULL, CLI_OPT_VERSION },                     \
	{ "directory", required_argument, NULL, 'C' }

extern const char *cli_prog;
/* Set when -C was given: the desk is found from there, not $KEFU_DIR. */
extern int cli_dir_given;

void cli_init(int argc, char **argv, const char *usage);
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die_err(const struct kf_err *err);
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* What was done, for a person reading stderr: "PROG: message", no "warning:". */
void inform(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Handle an option every command takes (-h, --version, -C) or a getopt
 * error ('?' or ':'); anything else is a usage error.
 */
void cli_common(int c, const char *arg, char **argv);

/* A problem callback for the library: print line and a newline on stderr. */
void cli_print_line(void *ctx, const char *line);
/* A warning callback for the library (a hook that failed): warn("%s", line). */
void cli_warn_line(void *ctx, const char *line);

/* A number argument: whole string, within [min, max], else die_usage. */
long cli_number(const char *opt, const char *arg, long min, long max);

/* With no arguments left and stdin not a terminal: read one item a line. */
int cli_stdin_items(void);

/*
 * The items to work on (ids): the arguments from optind on; without any
 * and with stdin not a terminal, stdin's lines, each up to its first tab
 * (so a TSV record gives its first column), blank ones skipped; else
 * die_usage(none). The array and its strings live until exit.
 */
char **cli_items(int argc, char **argv, const char *none, size_t *n);

/*
 * Flush stdout and check it; a write error (a full disk, a closed pipe
 * that is not SIGPIPE) becomes exit 2. Returns the status to exit with.
 */
int cli_exit(int status);

#endif
