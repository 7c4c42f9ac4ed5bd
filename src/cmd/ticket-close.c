/* ticket-close: close a ticket with its result and the customer's verdict. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "escalate.h"
#include "ticketchange.h"

static const char usage[] =
	"usage: ticket-close --result TEXT [--satisfaction 1-5] [--feedback TEXT]\n"
	"                    [-C DIR] ID\n"
	"\n"
	"Close ticket ID with what was done and, when the customer gave them,\n"
	"their satisfaction (1 very unhappy .. 5 very happy) and feedback. A ticket\n"
	"not yet resolved is resolved now. Its agent or a supervisor closes it.\n"
	"A satisfaction of 1 or 2 escalates it, once: open again, with the\n"
	"department's supervisor. The follow-up calls of followups.yaml are made.\n"
	"\n"
	"  -r, --result TEXT        what was done (required)\n"
	"  -s, --satisfaction N     the customer's score, 1 to 5\n"
	"  -f, --feedback TEXT      the customer's words\n"
	"  -C, --directory DIR      use the desk at or above DIR\n"
	"  -h, --help               show this help\n"
	"      --version            show the version\n"
	"\n"
	"Exit status: 0 when closed, 2 when refused or on error.\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "feedback", required_argument, NULL, 'f' },
		{ "result", required_argument, NULL, 'r' },
		{ "satisfaction", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *result = NULL, *feedback = NULL;
	long satisfaction = 0;
	int c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:f:hr:s:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			feedback = optarg;
			break;
		case 'r':
			result = optarg;
			break;
		case 's':
			satisfaction = cli_number("--satisfaction", optarg, 1, 5);
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (argc - optind != 1)
		die_usage("one ticket, please");
	if (!result || !*result)
		die_usage("a ticket closes with its result: --result TEXT");
	const char *id = argv[optind];

	struct session s;
	struct ticket before, after;
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_AGENT, cli_print_line, NULL, &err))
		die_err(&err);
	s.warn = cli_warn_line;
	if (ticket_begin(&s, id, &before, &after, &err))
		die_err(&err);
	if (ticket_may_work(&s, &before, &err)) {
		ticket_rollback(&s);
		die_err(&err);
	}
	if (!strcmp(before.status, "closed")) {
		ticket_rollback(&s);
		die("%s is already closed", id);
	}
	int64_t now = s.who.when.t;
	if (after.resolved == TIME_NONE)
		after.resolved = now;
	after.closed = now;
	ticket_set(&after.status, "closed");
	ticket_set(&after.result, result);
	if (satisfaction)
		after.satisfaction = satisfaction;
	if (feedback)
		ticket_set(&after.feedback, feedback);
	if (!after.assignee)
		ticket_set(&after.assignee, s.who.email);
	/* An unsatisfied customer: the supervisor's, in the same transaction. */
	int escalated = 0;
	enum kf_status st = ticket_apply(&s, &before, &after, "close", NULL, &err);
	if (!st && satisfaction)
		st = ticket_escalate_customer(&s, &after, 0, &escalated, &err);
	if (ticket_end(&s, st, &err))
		die_err(&err);
	if (escalated)
		inform("%s: the customer is unsatisfied: escalated%s%s, open again", id,
		       after.assignee ? " to " : "", after.assignee ? after.assignee : "");
	ticket_release(&before);
	ticket_release(&after);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
