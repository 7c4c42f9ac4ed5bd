/* ticket-list: tickets by status, department, agent, customer, time... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "isotime.h"
#include "output.h"
#include "sbuf.h"
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

struct binds {
	const char *text[32];
	int64_t num[32];
	int is_num[32];
	int n;
};

static int bind_text(struct binds *b, const char *s)
{
	b->text[b->n] = s;
	b->is_num[b->n] = 0;
	return ++b->n;
}

static int bind_num(struct binds *b, int64_t v)
{
	b->num[b->n] = v;
	b->is_num[b->n] = 1;
	return ++b->n;
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
	size_t nstatus = 0;
	const char *dept = NULL, *assignee = NULL, *type = NULL, *priority = NULL;
	const char *customer = NULL, *channel = NULL, *since = NULL, *until = NULL;
	int all = 0, overdue = 0, flagged = 0, json = 0, c;
	long limit = 0;
	struct kf_err err;

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
			channel = optarg;
			break;
		case 'u':
			customer = optarg;
			break;
		case 'd':
			dept = optarg;
			break;
		case OPT_FLAGGED:
			flagged = 1;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'n':
			limit = cli_number("-n", optarg, 1, 1000000000);
			break;
		case OPT_OVERDUE:
			overdue = 1;
			break;
		case 'p':
			priority = optarg;
			break;
		case OPT_SINCE:
			since = optarg;
			break;
		case 's':
			if (!ticket_status_valid(optarg))
				die_usage("unknown status '%s' (new assigned open pending resolved "
					  "closed)",
					  optarg);
			if (nstatus < 8)
				statuses[nstatus++] = optarg;
			break;
		case 't':
			type = optarg;
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
		char *email, *name;
		if (repo_identity(s.repo, &email, &name, &err))
			die_err(&err);
		s.who.email = email; /* released with the session */
		free(name);
		assignee = email;
	}

	struct sbuf sql = SBUF_INIT;
	struct binds b = { 0 };
	sbuf_adds(&sql, "SELECT " TICKET_COLUMNS " FROM tickets WHERE 1");
	if (nstatus) {
		sbuf_adds(&sql, " AND status IN (");
		for (size_t i = 0; i < nstatus; i++)
			sbuf_addf(&sql, "%s?%d", i ? ", " : "", bind_text(&b, statuses[i]));
		sbuf_addch(&sql, ')');
	} else if (!all) {
		sbuf_adds(&sql, " AND status NOT IN ('resolved', 'closed')");
	}
	if (dept)
		sbuf_addf(&sql, " AND department = ?%d", bind_text(&b, dept));
	if (assignee && !strcmp(assignee, "none"))
		sbuf_adds(&sql, " AND assignee IS NULL");
	else if (assignee)
		sbuf_addf(&sql, " AND assignee = ?%d COLLATE NOCASE", bind_text(&b, assignee));
	if (type)
		sbuf_addf(&sql, " AND type = ?%d", bind_text(&b, type));
	if (priority)
		sbuf_addf(&sql, " AND priority = ?%d", bind_text(&b, priority));
	if (customer)
		sbuf_addf(&sql, " AND customer = ?%d", bind_text(&b, customer));
	if (channel)
		sbuf_addf(&sql, " AND channel = ?%d", bind_text(&b, channel));
	int64_t t;
	if (since) {
		if (workflows_time(&s.wf, since, &t, &err))
			die_err(&err);
		sbuf_addf(&sql, " AND created >= ?%d", bind_num(&b, t));
	}
	if (until) {
		if (workflows_time(&s.wf, until, &t, &err))
			die_err(&err);
		sbuf_addf(&sql, " AND created < ?%d", bind_num(&b, t));
	}
	if (overdue) {
		/* A pending ticket's clocks stopped when it paused: judge it then. */
		int k = bind_num(&b, s.who.when.t);
		sbuf_addf(&sql,
			  " AND status NOT IN ('resolved', 'closed') AND"
			  " (SELECT coalesce(min(p.start), ?%d) FROM pauses p"
			  "  WHERE p.ticket = tickets.id AND p.end IS NULL) > min("
			  "  CASE WHEN first_response IS NULL THEN coalesce(response_due, ?%d)"
			  "  ELSE ?%d END, coalesce(resolve_due, ?%d))",
			  k, k, k, k);
	}
	if (flagged)
		sbuf_adds(&sql, " AND flagged IS NOT NULL");
	sbuf_adds(&sql, " ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1"
			" WHEN 'normal' THEN 2 ELSE 3 END, urged DESC, created, id");
	if (limit)
		sbuf_addf(&sql, " LIMIT %ld", limit);

	sqlite3_stmt *st;
	if (deskdb_prepare(&s.db, sql.buf, &st, &err))
		die_err(&err);
	for (int i = 0; i < b.n; i++) {
		if (b.is_num[i])
			sqlite3_bind_int64(st, i + 1, b.num[i]);
		else
			sqlite3_bind_text(st, i + 1, b.text[i], -1, SQLITE_STATIC);
	}
	struct out o;
	out_init(&o, stdout, json ? OUT_JSON : OUT_TSV);
	long shown = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ticket tk;
		ticket_read_row(st, &tk);
		out_begin(&o);
		if (json) {
			ticket_emit(&o, &tk, workflows_offset, &s.wf);
		} else {
			char created[32];
			struct instant in = { tk.created, workflows_offset(&s.wf, tk.created) };
			iso_format(&in, 0, created);
			out_str(&o, "id", tk.id);
			out_str(&o, "status", tk.status);
			out_str(&o, "priority", tk.priority);
			out_str(&o, "type", tk.type);
			out_str(&o, "department", tk.department);
			out_str(&o, "assignee", tk.assignee);
			out_str(&o, "customer", tk.customer);
			out_str(&o, "created", created);
			out_str(&o, "subject", tk.subject);
		}
		out_end(&o);
		ticket_release(&tk);
		shown++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		die_err((deskdb_fail(&s.db, &err), &err));
	sbuf_release(&sql);
	session_close(&s);
	return cli_exit(shown ? EXIT_FOUND : EXIT_NONE);
}
