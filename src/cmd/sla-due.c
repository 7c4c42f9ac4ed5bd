/* sla-due: business-time arithmetic, as every SLA clock does it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"
#include "isotime.h"
#include "session.h"

static const char usage[] =
	"usage: sla-due [-c CALENDAR] [-u] [--pause FROM/TO]... [-C DIR] FROM DURATION\n"
	"       sla-due [-c CALENDAR] --between [--pause FROM/TO]... [-C DIR] FROM TO\n"
	"\n"
	"Print when DURATION of business time (90s, 5m, 2h, 1h30m, 3d) has passed\n"
	"since FROM on a calendar of workflows/calendars.yaml: the due instant,\n"
	"in the calendar's zone. With --between, print the business time between\n"
	"two instants. Times are ISO 8601 with an offset or Z; without one, in the\n"
	"calendar's zone. Paused spans count nothing. It is the arithmetic of\n"
	"every SLA clock, for scripts: on a calendar of whole working days\n"
	"(00:00-24:00 on working days), 3d is three working days, so the follow-up\n"
	"call after a close (回访) is due at sla-due -c workdays CLOSED 3d.\n"
	"\n"
	"  -c, --calendar NAME    the calendar (default: business, else the first)\n"
	"      --between          the business time from FROM to TO\n"
	"      --pause FROM/TO    a span that counts nothing (repeat for more)\n"
	"  -u, --utc              print the due instant in UTC\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when answered, 2 on error (a calendar without hours, a\n"
	"bad time or duration).\n";

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

int main(int argc, char **argv)
{
	enum { OPT_BETWEEN = CLI_OPT_FIRST_FREE, OPT_PAUSE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "between", no_argument, NULL, OPT_BETWEEN },
		{ "calendar", required_argument, NULL, 'c' },
		{ "pause", required_argument, NULL, OPT_PAUSE },
		{ "utc", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *calname = NULL;
	const char *pauses_arg[64];
	size_t npauses = 0;
	int between = 0, utc = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":c:C:hu", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_BETWEEN:
			between = 1;
			break;
		case 'c':
			calname = optarg;
			break;
		case OPT_PAUSE:
			if (npauses == 64)
				die_usage("at most 64 pauses");
			pauses_arg[npauses++] = optarg;
			break;
		case 'u':
			utc = 1;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (argc - optind != 2)
		die_usage(between ? "--between wants FROM and TO" : "wants FROM and DURATION");
	if (between && utc)
		die_usage("--utc prints a due instant; --between prints a duration");

	struct session s;
	if (session_open(&s, !cli_dir_given, SESSION_READ, 0, cli_print_line, NULL, &err))
		die_err(&err);
	const struct calendar *cal = calname ? calendars_find(&s.wf.calendars, calname) : s.wf.zone;
	if (!cal)
		die(calname ? "no calendar '%s' in workflows/calendars.yaml"
			    : "no calendars in workflows/calendars.yaml%s",
		    calname ? calname : "");

	struct span pauses[64];
	for (size_t i = 0; i < npauses; i++) {
		char *from = xstrdup(pauses_arg[i]);
		char *slash = strchr(from, '/');
		if (!slash)
			die_usage("a pause is FROM/TO, not '%s'", pauses_arg[i]);
		*slash = '\0';
		if (zone_time(cal, from, &pauses[i].start, &err) ||
		    zone_time(cal, slash + 1, &pauses[i].end, &err))
			die_err(&err);
		if (pauses[i].end < pauses[i].start)
			die("a pause ends before it starts: '%s'", pauses_arg[i]);
		free(from);
	}
	qsort(pauses, npauses, sizeof(pauses[0]), by_start);

	int64_t from, to, dur;
	if (zone_time(cal, argv[optind], &from, &err))
		die_err(&err);
	if (between) {
		if (zone_time(cal, argv[optind + 1], &to, &err))
			die_err(&err);
		char buf[40];
		duration_format(calendar_between(cal, from, to, pauses, npauses), buf);
		puts(buf);
	} else {
		if (duration_parse(argv[optind + 1], &dur, &err))
			die_err(&err);
		int64_t due;
		if (calendar_due(cal, from, dur, pauses, npauses, &due, &err))
			die_err(&err);
		struct instant in = { due, utc ? 0 : calendar_offset(cal, due) };
		char buf[32];
		iso_format(&in, utc, buf);
		puts(buf);
	}
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
