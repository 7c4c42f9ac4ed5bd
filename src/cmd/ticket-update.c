/* ticket-update: work a ticket: status, reply, note, transfer, urge, flag. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "cli.h"
#include "ticketchange.h"
#include "sbuf.h"

static const char usage[] =
	"usage: ticket-update [--status S] [--reply TEXT] [--note TEXT]\n"
	"                     [--transfer DEPT|AGENT] [--type T] [--priority P]\n"
	"                     [--urge] [--flag REASON | --unflag] [-C DIR] ID\n"
	"\n"
	"Change ticket ID; every change is one event in its history, all of them\n"
	"in one transaction. The first reply to the customer stamps the first\n"
	"response and stops its clock; pending (waiting on the customer) pauses\n"
	"the SLA clocks until the ticket moves on. Its agent or a supervisor may\n"
	"change a ticket; only a supervisor transfers one (reassigns it); any\n"
	"agent may note or urge one; qa flags.\n"
	"\n"
	"  -s, --status S         open, pending or resolved (ticket-close closes)\n"
	"  -r, --reply TEXT       what was said to the customer\n"
	"  -n, --note TEXT        an internal note\n"
	"  -T, --transfer DEPT|AGENT  to a department (back to its queue) or an\n"
	"                         agent (by email)\n"
	"  -t, --type T           change the type (the SLA policy follows)\n"
	"  -p, --priority P       urgent, high, normal or low\n"
	"      --urge             the customer chased it (催单): it rises in ticket-list\n"
	"      --flag REASON      qa marks it for review\n"
	"      --unflag           qa takes the mark off\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when changed, 2 when refused or on error (nothing changed).\n";

/* Unless ok: undo, say why, stop. */
__attribute__((format(printf, 3, 4))) static void need(int ok, struct session *s,
							const char *fmt, ...)
{
	if (ok)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	store_rollback(s->store);
	die("%s", msg);
}

int main(int argc, char **argv)
{
	enum { OPT_URGE = CLI_OPT_FIRST_FREE, OPT_FLAG, OPT_UNFLAG };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "flag", required_argument, NULL, OPT_FLAG },
		{ "note", required_argument, NULL, 'n' },
		{ "priority", required_argument, NULL, 'p' },
		{ "reply", required_argument, NULL, 'r' },
		{ "status", required_argument, NULL, 's' },
		{ "transfer", required_argument, NULL, 'T' },
		{ "type", required_argument, NULL, 't' },
		{ "unflag", no_argument, NULL, OPT_UNFLAG },
		{ "urge", no_argument, NULL, OPT_URGE },
		{ NULL, 0, NULL, 0 },
	};
	const char *status = NULL, *reply = NULL, *note = NULL, *transfer = NULL;
	const char *type = NULL, *priority = NULL, *flag = NULL;
	int urge = 0, unflag = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hn:p:r:s:t:T:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FLAG:
			flag = optarg;
			break;
		case 'n':
			note = optarg;
			break;
		case 'p':
			priority = optarg;
			break;
		case 'r':
			reply = optarg;
			break;
		case 's':
			status = optarg;
			break;
		case 'T':
			transfer = optarg;
			break;
		case 't':
			type = optarg;
			break;
		case OPT_URGE:
			urge = 1;
			break;
		case OPT_UNFLAG:
			unflag = 1;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (argc - optind != 1)
		die_usage("one ticket, please");
	if (!status && !reply && !note && !transfer && !type && !priority && !urge && !flag &&
	    !unflag)
		die_usage("nothing to change");
	if (flag && unflag)
		die_usage("--flag and --unflag exclude each other");
	if (status && strcmp(status, "open") && strcmp(status, "pending") &&
	    strcmp(status, "resolved"))
		die_usage("--status takes open, pending or resolved, not '%s'%s", status,
			  !strcmp(status, "closed") ? " (ticket-close closes)" : "");
	if (priority && priority_rank(priority) < 0)
		die_usage("--priority takes urgent, high, normal or low, not '%s'", priority);
	if ((reply && !*reply) || (note && !*note) || (flag && !*flag))
		die_usage("a reply, note or flag needs some text");
	const char *id = argv[optind];

	/* Flagging alone is qa's; urging or noting alone any agent's. */
	int works = status || reply || transfer || type || priority;
	int flags = flag || unflag;
	enum role role = flags && !works && !urge && !note ? ROLE_QA : ROLE_AGENT;
	struct session s;
	struct ticket before, after;
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, role, cli_print_line, NULL, &err) ||
	    ticket_begin(&s, id, &before, &after, &err))
		die_err(&err);
	const struct person *me = session_person(&s);
	if (flags && !(me->roles & (ROLE_QA | ROLE_SUPERVISOR)))
		need(0, &s, "refused: '%s' is not qa in workflows/roles.yaml", s.who.email);
	if (transfer && !(me->roles & ROLE_SUPERVISOR))
		need(0, &s, "refused: '%s' is not a supervisor in workflows/roles.yaml: only a "
			    "supervisor transfers a ticket",
		     s.who.email);
	if (works && ticket_may_work(&s, &before, &err)) {
		store_rollback(s.store);
		die_err(&err);
	}
	if (works)
		need(ticket_is_open(before.status), &s, "%s is %s: ticket-reopen it first", id,
		     before.status);

	if (type) {
		need(classify_type_known(&s.wf.classify, type), &s, "unknown type '%s'%s", type,
		     " (workflows/classify.yaml lists the types)");
		ticket_set(&after.type, type);
	}
	if (priority)
		ticket_set(&after.priority, priority);
	if (transfer) {
		const struct person *to = strchr(transfer, '@') ? roles_find(&s.wf.roles, transfer)
								: NULL;
		if (to) {
			need(to->roles & ROLE_AGENT, &s, "'%s' is not an agent%s", transfer, "");
			ticket_set(&after.assignee, to->email);
			if (to->department)
				ticket_set(&after.department, to->department);
			if (!strcmp(after.status, "new"))
				ticket_set(&after.status, "assigned");
		} else {
			need(routing_find(&s.wf.routing, transfer) != NULL, &s,
			     "unknown department or agent '%s'%s", transfer,
			     " (routing.yaml and roles.yaml list them)");
			/* To the department's queue: ticket-route picks its agent. */
			ticket_set(&after.department, transfer);
			ticket_set(&after.assignee, NULL);
			ticket_set(&after.status, "new");
		}
	}
	if (status) {
		need(ticket_transition_ok(after.status, status) || !strcmp(after.status, status), &s,
		     "%s cannot go from %s to that status", id, after.status);
		need(strcmp(status, "resolved") || after.assignee != NULL, &s,
		     "%s has nobody on it%s", id, ": claim it before resolving it");
		ticket_set(&after.status, status);
		if (!strcmp(status, "resolved"))
			after.resolved = s.who.when.t;
	}
	if (reply) {
		if (after.first_response == TIME_NONE)
			after.first_response = s.who.when.t;
		if (!status && (!strcmp(after.status, "new") || !strcmp(after.status, "assigned")))
			ticket_set(&after.status, "open");
	}
	if (urge)
		after.urged++;
	if (flag)
		ticket_set(&after.flagged, flag);
	if (unflag)
		ticket_set(&after.flagged, NULL);

	/* One event per kind of change, so the history reads as it happened. */
	enum kf_status st = KF_OK;
	if (works || urge || flags)
		st = ticket_apply(&s, &before, &after,
				  reply ? "reply" : transfer ? "transfer" : urge ? "urge"
				  : flag ? "flag" : unflag ? "unflag" : status ? "status" : "update",
				  reply ? reply : flag ? flag : NULL, &err);
	if (!st && note)
		st = ticket_log(&s, id, "note", note, &err);
	if (store_end(s.store, st, &err))
		die_err(&err);
	ticket_release(&before);
	ticket_release(&after);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
