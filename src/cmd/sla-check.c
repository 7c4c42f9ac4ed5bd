/* sla-check: every open ticket's SLA clocks, from cron; escalate breaches. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "cli.h"
#include "isotime.h"
#include "lifecycle.h"
#include "notify.h"
#include "output.h"
#include "sbuf.h"
#include "session.h"
#include "sla.h"
#include "ticket.h"

static const char usage[] =
	"usage: sla-check [--at TIME] [-s STATE]... [--escalate] [--json] [-C DIR]\n"
	"\n"
	"Check every open ticket's clocks against its SLA policy, in business\n"
	"time on the policy's calendar: response (until the first reply) and\n"
	"resolve (until resolved), paused while pending. Columns: id, clock,\n"
	"state (ok, soon: past workflows/sla.yaml's warn share, breached), due,\n"
	"left (business time; negative when overdue). Meant for cron.\n"
	"\n"
	"      --at TIME          check at TIME (ISO 8601) instead of now\n"
	"  -s, --state STATE      only clocks in STATE: ok, soon or breached (repeat)\n"
	"      --escalate         act on each breach once, however often run: an\n"
	"                         event, the priority raised a step, the department's\n"
	"                         supervisor assigned, workflows/hooks/escalated run\n"
	"                         (a supervisor's identity is needed)\n"
	"      --json             JSON Lines with the same keys\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when nothing is breached, 1 when a clock is breached, 2 on\n"
	"error.\n";

struct breach {
	char id[32];
	int bit;
	int64_t due;
};

/* Escalate one breach, unless someone did meanwhile. */
static enum kf_status escalate(struct session *s, const struct breach *b, int *done,
			       struct kf_err *err)
{
	struct ticket before, after;
	enum kf_status st;
	*done = 0;
	if ((st = ticket_begin(s, b->id, &before, &after, err)))
		return st;
	/* Replied to or resolved since the scan: that clock has stopped. */
	if (before.escalated & b->bit || !ticket_is_open(before.status) ||
	    (b->bit == ESCALATED_RESPONSE && before.first_response != TIME_NONE)) {
		deskdb_rollback(&s->db);
		goto out;
	}
	after.escalated |= b->bit;
	int r = priority_rank(after.priority);
	ticket_set(&after.priority, priority_name(r > 0 ? r - 1 : 0));
	const struct department *d =
		after.department ? routing_find(&s->wf.routing, after.department) : NULL;
	if (d && d->supervisor) {
		ticket_set(&after.assignee, d->supervisor);
		if (!strcmp(after.status, "new"))
			ticket_set(&after.status, "assigned");
	}
	char due[32] = "unknown";
	if (b->due != TIME_NONE) {
		struct instant in = { b->due, workflows_offset(&s->wf, b->due) };
		iso_format(&in, 0, due);
	}
	char *note = xasprintf("%s clock breached (due %s)",
			       b->bit == ESCALATED_RESPONSE ? "response" : "resolve", due);
	st = ticket_finish(s, &before, &after, "escalate", note, err);
	free(note);
	if (st)
		goto out;
	*done = 1;

	/* Tell whoever listens; a failing hook only warns. */
	char *json = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&json, &len);
	if (fp) {
		struct out o;
		out_init(&o, fp, OUT_JSON);
		out_begin(&o);
		out_str(&o, "event", "escalated");
		out_str(&o, "ticket", after.id);
		out_str(&o, "clock", b->bit == ESCALATED_RESPONSE ? "response" : "resolve");
		out_str(&o, "due", b->due != TIME_NONE ? due : NULL);
		out_str(&o, "priority", after.priority);
		out_str(&o, "department", after.department);
		out_str(&o, "supervisor", d ? d->supervisor : NULL);
		out_str(&o, "customer", after.customer);
		out_str(&o, "subject", after.subject);
		fputc('}', fp);
		fclose(fp);
		struct kf_err hook;
		if (notify_hook(s->desk.root, "escalated", json, &hook))
			warn("%s", hook.msg);
		free(json);
	}
out:
	ticket_release(&before);
	ticket_release(&after);
	return st;
}

int main(int argc, char **argv)
{
	enum { OPT_AT = CLI_OPT_FIRST_FREE, OPT_ESCALATE, OPT_JSON };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "at", required_argument, NULL, OPT_AT },
		{ "escalate", no_argument, NULL, OPT_ESCALATE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *at_arg = NULL;
	int escalating = 0, json = 0, c;
	int want_ok = 0, want_soon = 0, want_breached = 0;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hs:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_AT:
			at_arg = optarg;
			break;
		case OPT_ESCALATE:
			escalating = 1;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 's':
			if (!strcmp(optarg, "ok"))
				want_ok = 1;
			else if (!strcmp(optarg, "soon"))
				want_soon = 1;
			else if (!strcmp(optarg, "breached"))
				want_breached = 1;
			else
				die_usage("a state is ok, soon or breached, not '%s'", optarg);
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (!want_ok && !want_soon && !want_breached)
		want_ok = want_soon = want_breached = 1;

	struct session s;
	if (session_open(&s, !cli_dir_given, escalating ? SESSION_WRITE : SESSION_READ,
			 ROLE_SUPERVISOR, cli_print_line, NULL, &err))
		die_err(&err);
	int64_t at = s.who.when.t;
	if (at_arg && workflows_time(&s.wf, at_arg, &at, &err))
		die_err(&err);
	if (escalating && at > s.who.when.t)
		die_usage("--escalate acts on breaches that have happened: --at %s is later than now",
			  at_arg);

	/* Every pause of every open ticket, in ticket order, beside the tickets. */
	static const char open_only[] = " t.status NOT IN ('resolved', 'closed')"
					" AND t.sla_policy IS NOT NULL";
	sqlite3_stmt *pq, *tq;
	char *sql = xasprintf("SELECT p.ticket, p.start, p.end FROM pauses p"
			      " JOIN tickets t ON t.id = p.ticket WHERE%s"
			      " ORDER BY p.ticket, p.start",
			      open_only);
	if (deskdb_prepare(&s.db, sql, &pq, &err))
		die_err(&err);
	free(sql);
	struct pause {
		char *ticket;
		struct span span;
	} *pauses = NULL;
	size_t npauses = 0, palloc = 0;
	while (sqlite3_step(pq) == SQLITE_ROW) {
		ALLOC_GROW(pauses, npauses + 1, palloc);
		pauses[npauses].ticket = xstrdup((const char *)sqlite3_column_text(pq, 0));
		pauses[npauses].span.start = sqlite3_column_int64(pq, 1);
		pauses[npauses].span.end = sqlite3_column_type(pq, 2) == SQLITE_NULL
						   ? TIME_NONE
						   : sqlite3_column_int64(pq, 2);
		npauses++;
	}
	sqlite3_finalize(pq);
	sql = xasprintf("SELECT " TICKET_COLUMNS " FROM tickets t WHERE%s ORDER BY t.id",
			open_only);
	if (deskdb_prepare(&s.db, sql, &tq, &err))
		die_err(&err);
	free(sql);

	struct out o;
	out_init(&o, stdout, json ? OUT_JSON : OUT_TSV);
	struct breach *todo = NULL;
	size_t ntodo = 0, talloc = 0, breached = 0, p = 0;
	struct span *spans = NULL;
	size_t salloc = 0;
	int rc;
	while ((rc = sqlite3_step(tq)) == SQLITE_ROW) {
		struct ticket t;
		ticket_read_row(tq, &t);
		while (p < npauses && strcmp(pauses[p].ticket, t.id) < 0)
			p++;
		size_t n = 0;
		while (p + n < npauses && !strcmp(pauses[p + n].ticket, t.id)) {
			ALLOC_GROW(spans, n + 1, salloc);
			spans[n] = pauses[p + n].span;
			n++;
		}
		struct sla_clock clocks[2];
		size_t k = sla_clocks(&s.wf.sla, &s.wf.calendars, &t, spans, n, at, clocks);
		for (size_t i = 0; i < k; i++) {
			const char *state = clocks[i].state;
			int is_breached = !strcmp(state, "breached");
			breached += is_breached;
			if (is_breached && escalating) {
				int bit = !strcmp(clocks[i].clock, "response") ? ESCALATED_RESPONSE
									       : ESCALATED_RESOLVE;
				if (!(t.escalated & bit)) {
					ALLOC_GROW(todo, ntodo + 1, talloc);
					snprintf(todo[ntodo].id, sizeof(todo[ntodo].id), "%s", t.id);
					todo[ntodo].bit = bit;
					todo[ntodo].due = clocks[i].due;
					ntodo++;
				}
			}
			if (!((want_ok && !strcmp(state, "ok")) ||
			      (want_soon && !strcmp(state, "soon")) || (want_breached && is_breached)))
				continue;
			char due[32] = "", left[40];
			if (clocks[i].due != TIME_NONE) {
				struct instant in = { clocks[i].due,
						      workflows_offset(&s.wf, clocks[i].due) };
				iso_format(&in, 0, due);
			}
			duration_format(clocks[i].left, left);
			out_begin(&o);
			out_str(&o, "id", t.id);
			out_str(&o, "clock", clocks[i].clock);
			out_str(&o, "state", state);
			out_str(&o, "due", clocks[i].due != TIME_NONE ? due : NULL);
			out_str(&o, "left", left);
			out_end(&o);
		}
		ticket_release(&t);
	}
	sqlite3_finalize(tq);
	if (rc != SQLITE_DONE)
		die_err((deskdb_fail(&s.db, &err), &err));

	/* A report that cannot be written is not acted on. */
	if (ntodo && (fflush(stdout) == EOF || ferror(stdout)))
		die("cannot write output: %s", strerror(errno ? errno : EIO));
	/* Acted on after the scan, one transaction each, so a rerun finds them done. */
	size_t escalated = 0;
	for (size_t i = 0; i < ntodo; i++) {
		int done;
		if (escalate(&s, &todo[i], &done, &err))
			die_err(&err);
		escalated += done;
	}
	if (escalated)
		warn("escalated %zu breach%s", escalated, escalated == 1 ? "" : "es");
	for (size_t i = 0; i < npauses; i++)
		free(pauses[i].ticket);
	free(pauses);
	free(spans);
	free(todo);
	session_close(&s);
	return cli_exit(breached ? EXIT_NONE : EXIT_FOUND);
}
