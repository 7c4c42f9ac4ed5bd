/* ticket-update: work a ticket: status, reply, note, transfer, urge, flag, time worked. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "cli.h"
#include "followup.h"
#include "output.h"
#include "ticketchange.h"
#include "transfer.h"
#include "sbuf.h"

static const char usage[] =
	"usage: ticket-update [--status S] [--reply TEXT] [--note TEXT]\n"
	"                     [--transfer DEPT|AGENT] [--type T] [--priority P]\n"
	"                     [--urge] [--flag REASON | --unflag] [--worked DURATION]\n"
	"                     [--date NAME=TIME] [-C DIR] ID\n"
	"\n"
	"Change ticket ID; every change is one event in its history, all of them\n"
	"in one transaction. The first reply to the customer stamps the first\n"
	"response and stops its clock; pending (waiting on the customer) pauses\n"
	"the SLA clocks until the ticket moves on. Its agent or a supervisor may\n"
	"change a ticket; its agent may transfer it to another department or to\n"
	"a colleague of their own, a supervisor anywhere; any agent may note,\n"
	"urge, add time worked or record a date; qa flags.\n"
	"\n"
	"  -s, --status S         open, pending or resolved (ticket-close closes)\n"
	"  -r, --reply TEXT       what was said to the customer\n"
	"  -n, --note TEXT        an internal note; with --transfer, its reason\n"
	"  -T, --transfer DEPT|AGENT  to a department (its queue, then routed by its\n"
	"                         strategy: prints id, department, agent) or an\n"
	"                         agent (by email); needs --note\n"
	"  -t, --type T           change the type (the SLA policy follows)\n"
	"  -p, --priority P       urgent, high, normal or low\n"
	"      --urge             the customer chased it (催单): it rises in ticket-list\n"
	"      --flag REASON      qa marks it for review\n"
	"      --unflag           qa takes the mark off\n"
	"  -w, --worked DURATION  time spent handling it (1h30m), added to its worked\n"
	"      --date NAME=TIME   a date of the customer's, such as sale=2026-08-20:\n"
	"                         the follow-ups of workflows/followups.yaml on NAME\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when changed, 2 when refused or on error (nothing changed).\n";

static struct session s;

/* Unless ok: undo, say why, stop. */
__attribute__((format(printf, 2, 3))) static void need(int ok, const char *fmt, ...)
{
	if (ok)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ticket_rollback(&s);
	die("%s", msg);
}

static void check(enum kf_status st, struct kf_err *err)
{
	if (st) {
		ticket_rollback(&s);
		die_err(err);
	}
}

/* One more change, from cur to next, as what: cur becomes next, next empty. */
static enum kf_status step(struct ticket *cur, struct ticket *next, const char *what,
			   const char *note, struct kf_err *err)
{
	enum kf_status st = ticket_apply(&s, cur, next, what, note, err);
	ticket_release(cur);
	*cur = *next;
	ticket_init(next);
	return st;
}

int main(int argc, char **argv)
{
	enum { OPT_URGE = CLI_OPT_FIRST_FREE, OPT_FLAG, OPT_UNFLAG, OPT_DATE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "date", required_argument, NULL, OPT_DATE },
		{ "flag", required_argument, NULL, OPT_FLAG },
		{ "note", required_argument, NULL, 'n' },
		{ "priority", required_argument, NULL, 'p' },
		{ "reply", required_argument, NULL, 'r' },
		{ "status", required_argument, NULL, 's' },
		{ "transfer", required_argument, NULL, 'T' },
		{ "type", required_argument, NULL, 't' },
		{ "unflag", no_argument, NULL, OPT_UNFLAG },
		{ "urge", no_argument, NULL, OPT_URGE },
		{ "worked", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	const char *status = NULL, *reply = NULL, *note = NULL, *transfer = NULL;
	const char *type = NULL, *priority = NULL, *flag = NULL, *worked = NULL, *date = NULL;
	int urge = 0, unflag = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hn:p:r:s:t:T:w:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DATE:
			date = optarg;
			break;
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
		case 'w':
			worked = optarg;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (argc - optind != 1)
		die_usage("one ticket, please");
	if (!status && !reply && !note && !transfer && !type && !priority && !urge && !flag &&
	    !unflag && !worked && !date)
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
	if (transfer && !note)
		die_usage("a transfer needs its reason: --note TEXT");
	int64_t work = 0;
	if (worked && (duration_parse(worked, &work, &err) || work <= 0))
		die_usage("--worked takes a duration such as 25m or 1h30m, not '%s'", worked);
	char *date_name = NULL;
	const char *date_time = NULL;
	if (date) {
		const char *eq = strchr(date, '=');
		if (!eq || eq == date || !eq[1])
			die_usage("--date takes NAME=TIME, such as sale=2026-08-20, not '%s'", date);
		date_name = xstrndup(date, (size_t)(eq - date));
		date_time = eq + 1;
	}
	const char *id = argv[optind];

	/* Flagging alone is qa's; urging, noting, time and dates any agent's. */
	int works = status || reply || type || priority;
	int flags = flag || unflag;
	enum role role = flags && !works && !transfer && !urge && !note && !worked && !date
				 ? ROLE_QA
				 : ROLE_AGENT;
	struct ticket cur, next;
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, role, cli_print_line, NULL, &err))
		die_err(&err);
	s.warn = cli_warn_line;
	int64_t when = 0;
	if (date_time && workflows_time(&s.wf, date_time, &when, &err))
		die_usage("--date: %s", err.msg);
	if (ticket_begin(&s, id, &cur, &next, &err))
		die_err(&err);
	const struct person *me = session_person(&s);
	if (flags && !(me->roles & (ROLE_QA | ROLE_SUPERVISOR)))
		need(0, "refused: '%s' is not qa in workflows/roles.yaml", s.who.email);
	if (works)
		check(ticket_may_work(&s, &cur, &err), &err);
	if (works || transfer)
		need(ticket_is_open(cur.status), "%s is %s: ticket-reopen it first", id, cur.status);
	if (transfer)
		check(ticket_may_transfer(&s, &cur, transfer, &err), &err);

	if (type) {
		need(classify_type_known(&s.wf.classify, type), "unknown type '%s'%s", type,
		     " (workflows/classify.yaml lists the types)");
		ticket_set(&next.type, type);
	}
	if (priority)
		ticket_set(&next.priority, priority);
	if (status) {
		need(ticket_transition_ok(next.status, status) || !strcmp(next.status, status),
		     "%s cannot go from %s to that status", id, next.status);
		need(strcmp(status, "resolved") || next.assignee != NULL, "%s has nobody on it%s", id,
		     ": claim it before resolving it");
		ticket_set(&next.status, status);
		if (!strcmp(status, "resolved"))
			next.resolved = s.who.when.t;
	}
	if (reply) {
		if (next.first_response == TIME_NONE)
			next.first_response = s.who.when.t;
		if (!status && (!strcmp(next.status, "new") || !strcmp(next.status, "assigned")))
			ticket_set(&next.status, "open");
	}
	if (urge)
		next.urged++;
	if (flag)
		ticket_set(&next.flagged, flag);
	if (unflag)
		ticket_set(&next.flagged, NULL);

	/* One event per kind of change, so the history reads as it happened. */
	enum kf_status st = KF_OK;
	if (works || urge || flags)
		st = step(&cur, &next,
			  reply ? "reply" : urge ? "urge" : flag ? "flag" : unflag ? "unflag"
			  : status ? "status" : "update",
			  reply ? reply : flag ? flag : NULL, &err);
	struct assignment to = { NULL, NULL, NULL, 0, 0 };
	if (!st && transfer) {
		ticket_release(&next);
		ticket_copy(&next, &cur);
		st = ticket_transfer(&s, &cur, &next, transfer, note, &to, &err);
		ticket_release(&cur);
		cur = next;
		ticket_init(&next);
	}
	if (!st && worked) {
		ticket_release(&next);
		ticket_copy(&next, &cur);
		next.worked += work;
		st = step(&cur, &next, "worked", NULL, &err);
	}
	if (!st && date)
		st = followup_on_date(&s, &cur, date_name, when, NULL, &err);
	if (!st && note && !transfer)
		st = ticket_log(&s, id, "note", note, &err);
	/* Where a transfer went, said before it is committed, as ticket-route says it. */
	if (!st && transfer) {
		struct out o;
		out_init(&o, stdout, OUT_TSV);
		out_begin(&o);
		out_str(&o, "id", id);
		out_str(&o, "department", to.department);
		out_str(&o, "agent", to.agent);
		out_end(&o);
		if (fflush(stdout) == EOF || ferror(stdout))
			st = kf_fail(&err, KF_EIO, "cannot write output: %s",
				     strerror(errno ? errno : EIO));
	}
	if (ticket_end(&s, st, &err))
		die_err(&err);
	assignment_release(&to);
	free(date_name);
	ticket_release(&cur);
	ticket_release(&next);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
