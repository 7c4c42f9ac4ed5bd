/* ticket-reopen: back to work on a resolved or closed ticket. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ticketchange.h"

static const char usage[] =
	"usage: ticket-reopen [--note TEXT] [-C DIR] ID\n"
	"\n"
	"Reopen a resolved or closed ticket: it is open again with its agent, its\n"
	"resolve clock starts afresh by its SLA policy, and its result and\n"
	"satisfaction are kept in its history.\n"
	"\n"
	"  -n, --note TEXT        why\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when reopened, 2 when it is not resolved or closed, or on\n"
	"error.\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *note = NULL;
	int c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hn:", longopts, NULL)) != -1) {
		if (c == 'n')
			note = optarg;
		else
			cli_common(c, optarg, argv);
	}
	if (argc - optind != 1)
		die_usage("one ticket, please");
	const char *id = argv[optind];

	struct session s;
	struct ticket before, after;
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_AGENT, cli_print_line, NULL, &err))
		die_err(&err);
	s.warn = cli_warn_line;
	if (ticket_begin(&s, id, &before, &after, &err))
		die_err(&err);
	if (ticket_is_open(before.status)) {
		ticket_rollback(&s);
		die("%s is %s, not resolved or closed", id, before.status);
	}
	ticket_reopen_fields(&after);
	if (ticket_finish(&s, &before, &after, "reopen", note, &err))
		die_err(&err);
	ticket_release(&before);
	ticket_release(&after);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
