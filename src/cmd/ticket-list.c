/* ticket-list: tickets by status, department, agent, customer, time... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "isotime.h"
#include "output.h"
#include "session.h"
#include "ticket.h"

static const char usage[] =
	"usage: ticket-list [-a] [-s STATUS]... [-d DEPT] [-A AGENT] [-t TYPE]\n"
	"                   [-p PRIORITY] [-u CUSTOMER] [-c CHANNEL] [--since TIME]\n"
	"                   [--until TIME] [--overdue] [--flagged] [-n N] [--json]\n"
	"                   [-C DIR]\n"
	"\n"
	"List tickets, open ones by default (not resolved or closed), most\n"
	"pressing first: by priority, then how often the customer chased, then\n"
	"age. Columns: id, status, priority, type, department, assignee,\n"
	"customer, created, subject.\n"
	"\n"
	"  -a, --all              every status\n"
	"  -s, --status S         this status (repeat for more)\n"
	"  -d, --department D     of department D\n"
	"  -A, --assignee A       assigned to A (an email, or 'me', or 'none')\n"
	"  -t, --type T           of type T\n"
	"  -p, --priority P       of priority P\n"
	"  -u, --customer ID      of customer ID\n"
	"  -c, --channel C        come by channel C\n"
	"      --since TIME       created at or after TIME (ISO 8601; a date is its\n"
	"                         midnight in the desk's zone)\n"
	"      --until TIME       created before TIME\n"
	"      --overdue          open and past a due time (sla-check says exactly)\n"
	"      --flagged          flagged by qa\n"
	"  -n, --limit N          at most N tickets\n"
	"      --json             JSON Lines with every field\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when some are listed, 1 when none, 2 on error.\n";

struct listing {
	struct out o;
	const struct workflows *wf;
	int json;
	long shown;
};

static enum kf_status show(void *ctx, const struct ticket *t, struct kf_err *err)
{
	struct listing *l = ctx;
	(void)err;
	out_begin(&l->o);
	if (l->json) {
		ticket_emit(&l->o, t, workflows_offset, l->wf);
	} else {
		char created[32];
		struct instant in = { t->created, workflows_offset(l->wf, t->created) };
		iso_format(&in, 0, created);
		out_str(&l->o, "id", t->id);
		out_str(&l->o, "status", t->status);
		out_str(&l->o, "priority", t->priority);
		out_str(&l->o, "type", t->type);
		out_str(&l->o, "department", t->department);
		out_str(&l->o, "assignee", t->assignee);
		out_str(&l->o, "customer", t->customer);
		out_str(&l->o, "created", created);
		out_str(&l->o, "subject", t->subject);
	}
	out_end(&l->o);
	l->shown++;
	return KF_OK;
}

int main(int argc, char **argv)
{
	enum { OPT_SINCE = CLI_OPT_FIRST_FREE, OPT_UNTIL, OPT_OVERDUE, OPT_FLAGGED, OPT_JSON };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "all", no_argument, NULL, 'a' },
		{ "assignee", required_argument, NULL, 'A' },
		{ "channel", required_argument, NULL, 'c' },
		{ "customer", required_argument, NULL, 'u' },
		{ "department", required_argument, NULL, 'd' },
		{ "flagged", no_argument, NULL, OPT_FLAGGED },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "limit", required_argument, NULL, 'n' },
		{ "overdue", no_argument, NULL, OPT_OVERDUE },
		{ "priority", required_argument, NULL, 'p' },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "status", required_argument, NULL, 's' },
		{ "type", required_argument, NULL, 't' },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ NULL, 0, NULL, 0 },
	};
	const char *statuses[8];
	const char *assignee = NULL, *since = NULL, *until = NULL;
	int all = 0, overdue = 0, json = 0, c;
	struct ticket_filter f;
	struct kf_err err;

	ticket_filter_init(&f);
	f.order = TICKET_BY_URGENCY;
	f.statuses = statuses;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":aA:c:C:d:hn:p:s:t:u:", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = 1;
			break;
		case 'A':
			assignee = optarg;
			break;
		case 'c':
			f.channel = optarg;
			break;
		case 'u':
			f.customer = optarg;
			break;
		case 'd':
			f.department = optarg;
			break;
		case OPT_FLAGGED:
			f.flagged = 1;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'n':
			f.limit = cli_number("-n", optarg, 1, 1000000000);
			break;
		case OPT_OVERDUE:
			overdue = 1;
			break;
		case 'p':
			f.priority = optarg;
			break;
		case OPT_SINCE:
			since = optarg;
			break;
		case 's':
			if (!ticket_status_valid(optarg))
				die_usage("unknown status '%s' (new assigned open pending resolved "
					  "closed)",
					  optarg);
			if (f.nstatuses < 8)
				statuses[f.nstatuses++] = optarg;
			break;
		case 't':
			f.type = optarg;
			break;
		case OPT_UNTIL:
			until = optarg;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);

	struct session s;
	if (session_open(&s, !cli_dir_given, SESSION_READ, 0, cli_print_line, NULL, &err))
		die_err(&err);
	if (assignee && !strcmp(assignee, "me")) {
		if (session_identify(&s, &err))
			die_err(&err);
		assignee = s.who.email;
	}

	if (!f.nstatuses && !all)
		f.open = 1;
	if (assignee && !strcmp(assignee, "none"))
		f.assigned = ASSIGNED_NOBODY;
	else
		f.assignee = assignee;
	if ((since && workflows_time(&s.wf, since, &f.since, &err)) ||
	    (until && workflows_time(&s.wf, until, &f.until, &err)))
		die_err(&err);
	if (overdue)
		f.overdue_at = s.who.when.t;

	struct listing l = { .wf = &s.wf, .json = json };
	out_init(&l.o, stdout, json ? OUT_JSON : OUT_TSV);
	if (store_tickets_each(s.store, &f, show, &l, &err))
		die_err(&err);
	session_close(&s);
	return cli_exit(l.shown ? EXIT_FOUND : EXIT_NONE);
}
