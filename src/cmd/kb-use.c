/* kb-use: record that an agent used a script, for ranking and reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "entry.h"
#include "index.h"
#include "indexopen.h"
#include "kbuse.h"
#include "sync.h"

static const char usage[] =
	"usage: kb-use [--ticket ID] [--note TEXT] [-C DIR] ENTRY\n"
	"\n"
	"Record that ENTRY's script was used, by whom and when, on which ticket\n"
	"and with what adjustment (the seeds' usage log). Each use counts in\n"
	"kb-search's ranking; on a ticket it is also an event in its history.\n"
	"\n"
	"  -t, --ticket ID        the ticket it was used on\n"
	"  -n, --note TEXT        how the script was adjusted, e.g. 补充安抚话术\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when recorded, 2 when the entry or ticket is unknown or\n"
	"on error.\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "note", required_argument, NULL, 'n' },
		{ "ticket", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ticket = NULL, *note = NULL;
	int c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hn:t:", longopts, NULL)) != -1) {
		if (c == 'n')
			note = optarg;
		else if (c == 't')
			ticket = optarg;
		else
			cli_common(c, optarg, argv);
	}
	if (argc - optind != 1)
		die_usage("one entry, please");
	const char *id = argv[optind];
	if (!entry_id_valid(id))
		die("not an entry id '%s'", id);

	struct session s;
	struct kbindex ix;
	struct kb_row row;
	struct kf_err behind;
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_AGENT, cli_print_line, NULL, &err) ||
	    kb_index_open_current(&s.desk, &ix, &behind, cli_print_line, NULL, &err))
		die_err(&err);
	if (behind.status)
		warn("%s", behind.msg);
	if (kbindex_get(&ix, id, &row, &err))
		die_err(&err);
	kb_row_release(&row);
	kbindex_close(&ix);

	if (kb_use_record(&s, id, ticket, note, &err))
		die_err(&err);
	if (kb_sync_uses(&s.desk, s.store, id, &err))
		warn("recorded, but the search's copy of the count is not: %s", err.msg);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
