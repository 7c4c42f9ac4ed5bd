#include "cli.h"
#include "version.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sbuf.h"

const char *cli_prog = "kefu";
int cli_dir_given;
static const char *cli_usage = "";

void cli_init(int argc, char **argv, const char *usage)
{
	(void)argc;
	/* Messages may carry Chinese; machine output never depends on it. */
	setlocale(LC_CTYPE, "");
	if (argv && argv[0]) {
		const char *slash = strrchr(argv[0], '/');
		cli_prog = slash ? slash + 1 : argv[0];
	}
	cli_usage = usage;
	opterr = 0;
}

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	/* One write, so concurrent commands do not interleave their lines. */
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "%s: %s", cli_prog, prefix);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	int m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		m = 0;
	size_t len = (size_t)n + (size_t)m;
	if (len > sizeof(buf) - 2)
		len = sizeof(buf) - 2;
	buf[len++] = '\n';
	fflush(stdout);
	fwrite(buf, 1, len, stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	exit(EXIT_ERROR);
}

void die_err(const struct kf_err *err)
{
	die("%s", err->msg[0] ? err->msg : kf_strerror(err->status));
}

int error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	return -1;
}

void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void inform(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

static void print_synopsis(FILE *fp)
{
	/* The synopsis is the usage text up to its first blank line. */
	const char *end = strstr(cli_usage, "\n\n");
	size_t n = end ? (size_t)(end - cli_usage) + 1 : strlen(cli_usage);
	fwrite(cli_usage, 1, n, fp);
}

void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	print_synopsis(stderr);
	fprintf(stderr, "Try '%s --help' for more information.\n", cli_prog);
	exit(EXIT_ERROR);
}

void cli_common(int c, const char *arg, char **argv)
{
	switch (c) {
	case 'h':
		fputs(cli_usage, stdout);
		exit(cli_exit(EXIT_FOUND));
	case CLI_OPT_VERSION:
		printf("%s (kefu) %s\n", cli_prog, KEFU_VERSION);
		exit(cli_exit(EXIT_FOUND));
	case 'C':
		if (chdir(arg) < 0)
			die("cannot change to '%s': %s", arg, strerror(errno));
		cli_dir_given = 1;
		return;
	case ':':
		die_usage("option '%s' needs a value", argv[optind - 1]);
	case '?':
		/*
		 * "-退款" is a word the user meant, not an option. getopt may
		 * stop inside it without moving optind, so look for it.
		 */
		for (int i = 1; i <= optind && argv[i] && strcmp(argv[i], "--"); i++) {
			if (argv[i][0] != '-')
				continue;
			for (const char *p = argv[i]; *p; p++)
				if ((unsigned char)*p >= 0x80)
					die_usage("unknown option '%s' (words starting with "
						  "'-' go after '--')",
						  argv[i]);
		}
		if (optopt > ' ' && optopt < 0x7f)
			die_usage("unknown option '-%c'", optopt);
		die_usage("unknown option '%s'", argv[optind - 1]);
	default:
		die_usage("unhandled option");
	}
}

long cli_number(const char *opt, const char *arg, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max)
		die_usage("option '%s' wants a number from %ld to %ld, not '%s'",
			  opt, min, max, arg);
	return v;
}

int cli_stdin_items(void)
{
	return !isatty(0);
}

char **cli_items(int argc, char **argv, const char *none, size_t *n)
{
	static struct sbuf in = SBUF_INIT;
	static char **items;
	size_t alloc = 0;
	*n = 0;
	if (optind < argc) {
		*n = (size_t)(argc - optind);
		return argv + optind;
	}
	if (!cli_stdin_items())
		die_usage("%s", none);
	if (sbuf_read_fd(&in, 0, 64 * 1024 * 1024) < 0)
		die("cannot read ids from stdin: %s", strerror(errno));
	for (char *line = strtok(in.buf, "\n"); line; line = strtok(NULL, "\n")) {
		line[strcspn(line, "\t\r")] = '\0';
		if (!*line)
			continue;
		ALLOC_GROW(items, *n + 1, alloc);
		items[(*n)++] = line;
	}
	return items;
}

int cli_exit(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* Say it once, and without stdio: stdout is the broken one. */
		fprintf(stderr, "%s: cannot write output: %s\n", cli_prog,
			strerror(errno ? errno : EIO));
		return EXIT_ERROR;
	}
	return status;
}

void cli_print_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

void cli_warn_line(void *ctx, const char *line)
{
	(void)ctx;
	warn("%s", line);
}
