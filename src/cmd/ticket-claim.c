/* ticket-claim: take a ticket; of several offered, the first claim wins. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "dispatch.h"
#include "lifecycle.h"

static const char usage[] =
	"usage: ticket-claim [-C DIR] ID\n"
	"\n"
	"Take ticket ID as its agent: from a department's queue, or offered to\n"
	"everyone by ringall, where the first claim wins and the others are told\n"
	"who has it. Claiming one's own ticket again changes nothing.\n"
	"\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when the ticket is yours, 2 when someone has it or on\n"
	"error.\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1)
		cli_common(c, optarg, argv);
	if (argc - optind != 1)
		die_usage("one ticket, please");
	const char *id = argv[optind];

	struct session s;
	struct ticket before, after;
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_AGENT, cli_print_line, NULL, &err) ||
	    ticket_begin(&s, id, &before, &after, &err))
		die_err(&err);
	const char *me = s.who.email;
	if (before.assignee && strcasecmp(before.assignee, me)) {
		deskdb_rollback(&s.db);
		die("%s is already claimed by %s", id, before.assignee);
	}
	if (!ticket_is_open(before.status)) {
		deskdb_rollback(&s.db);
		die("%s is %s: ticket-reopen it first", id, before.status);
	}
	const struct person *p = session_person(&s);
	if (!before.assignee && !(p->roles & ROLE_SUPERVISOR)) {
		/* Offered to some: theirs. Waiting in a department's queue: its agents'. */
		sqlite3_stmt *q;
		int offers = 0, mine = 0;
		if (deskdb_prepare(&s.db,
				   "SELECT count(*), sum(agent = ?2 COLLATE NOCASE) FROM offers"
				   " WHERE ticket = ?1",
				   &q, &err))
			die_err(&err);
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, me, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW) {
			offers = sqlite3_column_int(q, 0);
			mine = sqlite3_column_int(q, 1);
		}
		sqlite3_finalize(q);
		if (offers && !mine) {
			deskdb_rollback(&s.db);
			die("refused: %s is offered to other agents", id);
		}
		if (!offers && before.department && p->department &&
		    strcmp(before.department, p->department)) {
			deskdb_rollback(&s.db);
			die("refused: %s waits in the queue of %s, not %s", id, before.department,
			    p->department);
		}
	}
	if (before.assignee) {
		/* Already this agent's: a claim again records nothing. */
		deskdb_rollback(&s.db);
		puts(id);
	} else {
		ticket_set(&after.assignee, me);
		if (!strcmp(after.status, "new"))
			ticket_set(&after.status, "assigned");
		if (!after.department && p->department)
			ticket_set(&after.department, p->department);
		sqlite3_stmt *st;
		if (deskdb_prepare(&s.db, "DELETE FROM offers WHERE ticket = ?1", &st, &err))
			die_err(&err);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (deskdb_run(&s.db, st, &err) || agent_assigned(&s, me, &err))
			die_err(&err);
		/* Said before it is committed: a claim that cannot be said is not made. */
		if (puts(id) == EOF || fflush(stdout) == EOF) {
			kf_fail_errno(&err, "cannot write output");
			deskdb_rollback(&s.db);
			die_err(&err);
		}
		if (ticket_finish(&s, &before, &after, "claim", NULL, &err))
			die_err(&err);
	}
	ticket_release(&before);
	ticket_release(&after);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
