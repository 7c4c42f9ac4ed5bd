/* ticket-close: close a ticket with its result and the customer's verdict. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ticketchange.h"

static const char usage[] =
	"usage: ticket-close --result TEXT [--satisfaction 1-5] [--feedback TEXT]\n"
	"                    [-C DIR] ID\n"
	"\n"
	"Close ticket ID with what was done and, when the customer gave them,\n"
	"their satisfaction (1 very unhappy .. 5 very happy) and feedback. A ticket\n"
	"not yet resolved is resolved now. Its agent or a supervisor closes it.\n"
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
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_AGENT, cli_print_line, NULL, &err) ||
	    ticket_begin(&s, id, &before, &after, &err))
		die_err(&err);
	if (ticket_may_work(&s, &before, &err)) {
		store_rollback(s.store);
		die_err(&err);
	}
	if (!strcmp(before.status, "closed")) {
		store_rollback(s.store);
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
	if (ticket_finish(&s, &before, &after, "close", NULL, &err))
		die_err(&err);
	ticket_release(&before);
	ticket_release(&after);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
