/* ticket-followup: the follow-up calls (回访) to make, and how each went. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "followup.h"
#include "isotime.h"
#include "output.h"
#include "session.h"

static const char usage[] =
	"usage: ticket-followup [--due] [--at TIME] [--notify] [--json] [-C DIR] [ID]...\n"
	"       ticket-followup --done [--note TEXT] [--satisfaction 1-5] [--unresolved]\n"
	"                       [--name NAME] [-C DIR] ID\n"
	"       ticket-followup --reschedule TIME [--note TEXT] [--name NAME] [-C DIR] ID\n"
	"\n"
	"List the follow-up calls workflows/followups.yaml made, most overdue\n"
	"first: id, name, state (due today; overdue: an earlier day's; scheduled:\n"
	"a later day's; once recorded: done, unresolved, cancelled), due,\n"
	"assignee, customer, purpose.\n"
	"Without ID, every call still to make; with IDs, all of those tickets'.\n"
	"With --done, record how the next call of ticket ID went: a satisfaction\n"
	"given then is the ticket's, and one of 1 or 2, or --unresolved, escalates\n"
	"the ticket to its department's supervisor, once.\n"
	"\n"
	"      --due              only the calls to make today: due and overdue\n"
	"      --at TIME          as on the day of TIME (ISO 8601) instead of now\n"
	"      --notify           run workflows/hooks/followup-due once for each call\n"
	"                         to make today (for cron)\n"
	"      --json             JSON Lines, with more keys\n"
	"  -d, --done             record the call made\n"
	"  -n, --note TEXT        what the customer said; why it was moved\n"
	"  -s, --satisfaction N   the customer's score, 1 to 5\n"
	"  -u, --unresolved       the customer's problem is not solved\n"
	"      --name NAME        the call of that rule, when a ticket has several\n"
	"  -r, --reschedule TIME  move the call to TIME\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: listing, 0, or 1 when a call listed is overdue; recording\n"
	"or moving, 0 when done; 2 on error.\n";

struct report {
	struct out o;
	struct workflows *wf;
};

static void put_time(struct report *r, const char *key, int64_t t)
{
	char buf[32];
	if (t == TIME_NONE) {
		out_str(&r->o, key, NULL);
		return;
	}
	struct instant in = { t, workflows_offset(r->wf, t) };
	iso_format(&in, 0, buf);
	out_str(&r->o, key, buf);
}

static enum kf_status print_call(void *ctx, const struct followup *f, const struct ticket *t,
				 const char *state, struct kf_err *err)
{
	struct report *r = ctx;
	int json = r->o.fmt == OUT_JSON;
	(void)err;
	out_begin(&r->o);
	out_str(&r->o, "id", f->ticket);
	out_str(&r->o, "name", f->name);
	out_str(&r->o, "state", state);
	put_time(r, "due", f->due);
	out_str(&r->o, "assignee", t->assignee);
	out_str(&r->o, "customer", t->customer);
	if (json)
		out_str(&r->o, "department", t->department);
	out_str(&r->o, "purpose", f->purpose);
	if (json) {
		out_str(&r->o, "event", f->event);
		put_time(r, "scheduled", f->scheduled);
		put_time(r, "notified", f->notified);
		put_time(r, "done", f->done);
		out_str(&r->o, "who", f->who);
		out_str(&r->o, "note", f->note);
		if (f->satisfaction)
			out_int(&r->o, "satisfaction", f->satisfaction);
		else
			out_str(&r->o, "satisfaction", NULL);
	}
	out_end(&r->o);
	return KF_OK;
}

int main(int argc, char **argv)
{
	enum { OPT_AT = CLI_OPT_FIRST_FREE, OPT_DUE, OPT_JSON, OPT_NAME, OPT_NOTIFY };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "at", required_argument, NULL, OPT_AT },
		{ "done", no_argument, NULL, 'd' },
		{ "due", no_argument, NULL, OPT_DUE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "note", required_argument, NULL, 'n' },
		{ "notify", no_argument, NULL, OPT_NOTIFY },
		{ "reschedule", required_argument, NULL, 'r' },
		{ "satisfaction", required_argument, NULL, 's' },
		{ "unresolved", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *at_arg = NULL, *reschedule = NULL;
	int due_only = 0, json = 0, notify = 0, done = 0, c;
	struct followup_outcome o = { NULL, NULL, 0, 0 };
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:dhn:r:s:u", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_AT:
			at_arg = optarg;
			break;
		case 'd':
			done = 1;
			break;
		case OPT_DUE:
			due_only = 1;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case OPT_NAME:
			o.name = optarg;
			break;
		case 'n':
			o.note = optarg;
			break;
		case OPT_NOTIFY:
			notify = 1;
			break;
		case 'r':
			reschedule = optarg;
			break;
		case 's':
			o.satisfaction = cli_number("--satisfaction", optarg, 1, 5);
			break;
		case 'u':
			o.unresolved = 1;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	int acting = done || reschedule;
	if (done && reschedule)
		die_usage("--done and --reschedule exclude each other");
	if (acting && (due_only || at_arg || notify || json))
		die_usage("--due, --at, --notify and --json list; --done and --reschedule act");
	if (!acting && (o.note || o.satisfaction || o.unresolved || o.name))
		die_usage("--note, --satisfaction, --unresolved and --name go with --done or "
			  "--reschedule");
	if (reschedule && (o.satisfaction || o.unresolved))
		die_usage("a satisfaction or an unresolved problem is recorded with --done");
	if (acting && argc - optind != 1)
		die_usage("one ticket, please");
	if (notify && optind < argc)
		die_usage("--notify tells of every ticket's calls: no ids");
	if (o.note && !*o.note)
		die_usage("a note needs some text");

	struct session s;
	if (session_open(&s, !cli_dir_given, acting || notify ? SESSION_WRITE : SESSION_READ,
			 ROLE_AGENT, cli_print_line, NULL, &err))
		die_err(&err);
	s.warn = cli_warn_line;
	int64_t at = s.who.when.t;
	if (at_arg && workflows_time(&s.wf, at_arg, &at, &err))
		die_err(&err);
	if (notify && at > s.who.when.t)
		die_usage("--notify tells of calls whose day has come: --at %s is later than now",
			  at_arg);

	if (done) {
		int escalated;
		if (followup_record(&s, argv[optind], &o, &escalated, &err))
			die_err(&err);
		struct ticket t;
		if (escalated && !store_ticket_get(s.store, argv[optind], &t, &err)) {
			inform("%s: %s: escalated%s%s", argv[optind],
			       o.unresolved ? "the problem is unresolved" : "the customer is unsatisfied",
			       t.assignee ? " to " : "", t.assignee ? t.assignee : "");
			ticket_release(&t);
		}
	} else if (reschedule) {
		int64_t when;
		if (workflows_time(&s.wf, reschedule, &when, &err))
			die_err(&err);
		if (followup_reschedule(&s, argv[optind], o.name, when, o.note, &err))
			die_err(&err);
	}
	if (acting) {
		session_close(&s);
		return cli_exit(EXIT_FOUND);
	}

	/* A list that cannot be written is not acted on. */
	struct report r = { .wf = &s.wf };
	size_t overdue = 0, n = 0;
	out_init(&r.o, stdout, json ? OUT_JSON : OUT_TSV);
	if (optind == argc && followup_list(&s, NULL, due_only, at, print_call, &r, &overdue, &err))
		die_err(&err);
	for (int i = optind; i < argc; i++) {
		if (followup_list(&s, argv[i], due_only, at, print_call, &r, &n, &err))
			die_err(&err);
		overdue += n;
	}
	if (notify) {
		size_t told;
		if (fflush(stdout) == EOF || ferror(stdout))
			die("cannot write output: %s", strerror(errno ? errno : EIO));
		if (followup_notify(&s, at, &told, &err))
			die_err(&err);
		if (told)
			inform("told of %zu follow-up%s", told, told == 1 ? "" : "s");
	}
	session_close(&s);
	return cli_exit(overdue ? EXIT_NONE : EXIT_FOUND);
}
