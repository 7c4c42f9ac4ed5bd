/* ticket-export: the desk's tickets, and all it holds, out as JSON Lines or CSV. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "deskdump.h"
#include "isotime.h"
#include "session.h"
#include "ticketsheet.h"

static const char usage[] =
	"usage: ticket-export [--json | --csv [--bom]] [--from D] [--to D] [--unmask]\n"
	"                     [-C DIR]\n"
	"\n"
	"Write the desk's tickets out. JSON Lines (the default) is the desk's dump:\n"
	"one ticket a line with its events, pauses, offers, e-mails, uses and\n"
	"follow-up calls, then the desk's own records, everything ticket-import\n"
	"needs to restore it. CSV is for spreadsheets: a header, one row a\n"
	"ticket. Customers' phone numbers and e-mail addresses are masked\n"
	"(138****0001, w***@example.cn) unless a supervisor asks for --unmask.\n"
	"\n"
	"      --json         JSON Lines, the dump (the default)\n"
	"      --csv          CSV (RFC 4180), SPEC's ticket fields\n"
	"      --bom          with --csv: UTF-8's byte-order mark first, for Excel\n"
	"      --from D       tickets created at or after D (a date or a time)\n"
	"      --to D         tickets created on or before the day D, or before\n"
	"                     the time D; a range leaves the desk's own records out\n"
	"      --unmask       contacts as they are (supervisors only): for backups\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help         show this help\n"
	"      --version      show the version\n"
	"\n"
	"Exit status: 0 when written (no ticket is no error), 2 on error.\n";

/* The end of the range: a day includes itself, a time does not. */
static void range_end(struct session *s, const char *to, int64_t *until, struct kf_err *err)
{
	if (workflows_time(&s->wf, to, until, err))
		die("bad --to '%s': %s", to, err->msg);
	if (strlen(to) == 10) {
		char next[40];
		struct instant in = { *until + 36 * 3600, 0 };
		in.off = workflows_offset(&s->wf, in.t);
		iso_date(&in, next);
		if (workflows_time(&s->wf, next, until, err))
			die("bad --to '%s': %s", to, err->msg);
	}
}

int main(int argc, char **argv)
{
	enum { OPT_BOM = CLI_OPT_FIRST_FREE, OPT_CSV, OPT_FROM, OPT_JSON, OPT_TO, OPT_UNMASK };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "bom", no_argument, NULL, OPT_BOM },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "to", required_argument, NULL, OPT_TO },
		{ "unmask", no_argument, NULL, OPT_UNMASK },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *to = NULL;
	int csv = 0, json = 0, bom = 0, c;
	struct dump_options o = { .since = TIME_NONE, .until = TIME_NONE };
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_BOM:
			bom = 1;
			break;
		case OPT_CSV:
			csv = 1;
			break;
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case OPT_TO:
			to = optarg;
			break;
		case OPT_UNMASK:
			o.unmask = 1;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (csv && json)
		die_usage("--csv and --json exclude each other");
	if (bom && !csv)
		die_usage("--bom goes with --csv");

	struct session s;
	if (session_open(&s, !cli_dir_given, SESSION_READ, 0, cli_print_line, NULL, &err))
		die_err(&err);
	if (o.unmask && session_require(&s, ROLE_SUPERVISOR, &err))
		die("--unmask: %s", err.msg);
	if (from && workflows_time(&s.wf, from, &o.since, &err))
		die("bad --from '%s': %s", from, err.msg);
	if (to)
		range_end(&s, to, &o.until, &err);
	long n;
	enum kf_status st = csv ? sheet_write(&s, stdout, &o, bom, &n, &err)
				: dump_write(&s, stdout, &o, &n, &err);
	if (st)
		die_err(&err);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
