/* sla-check: every open ticket's SLA clocks, from cron; escalate breaches. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "isotime.h"
#include "output.h"
#include "session.h"
#include "slacheck.h"

static const char usage[] =
	"usage: sla-check [--at TIME] [-s STATE]... [--escalate] [--json] [-C DIR]\n"
	"\n"
	"Check every open ticket's clocks against its SLA policy, in business\n"
	"time on the policy's calendar: response (until the first reply) and\n"
	"resolve (until resolved), paused while pending. Columns: id, clock,\n"
	"state (ok, soon: past workflows/sla.yaml's warn share, paused: pending,\n"
	"breached), due, left (business time; negative when overdue). Meant for\n"
	"cron.\n"
	"\n"
	"      --at TIME          check at TIME (ISO 8601) instead of now\n"
	"  -s, --state STATE      only clocks in STATE: ok, soon, paused or breached\n"
	"                         (repeat)\n"
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

struct report {
	struct out o;
	const struct workflows *wf;
	int ok, soon, paused, breached; /* the states shown */
};

static enum kf_status print_clock(void *ctx, const struct ticket *t, const struct sla_clock *c,
				  struct kf_err *err)
{
	struct report *r = ctx;
	const char *state = c->state;
	(void)err;
	if (!((r->ok && !strcmp(state, "ok")) || (r->soon && !strcmp(state, "soon")) ||
	      (r->paused && !strcmp(state, "paused")) ||
	      (r->breached && !strcmp(state, "breached"))))
		return KF_OK;
	char due[32] = "", left[40];
	if (c->due != TIME_NONE) {
		struct instant in = { c->due, workflows_offset(r->wf, c->due) };
		iso_format(&in, 0, due);
	}
	duration_format(c->left, left);
	out_begin(&r->o);
	out_str(&r->o, "id", t->id);
	out_str(&r->o, "clock", c->clock);
	out_str(&r->o, "state", state);
	out_str(&r->o, "due", c->due != TIME_NONE ? due : NULL);
	out_str(&r->o, "left", left);
	out_end(&r->o);
	return KF_OK;
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
	struct report r = { .ok = 0 };
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
				r.ok = 1;
			else if (!strcmp(optarg, "soon"))
				r.soon = 1;
			else if (!strcmp(optarg, "paused"))
				r.paused = 1;
			else if (!strcmp(optarg, "breached"))
				r.breached = 1;
			else
				die_usage("a state is ok, soon, paused or breached, not '%s'",
					  optarg);
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (!r.ok && !r.soon && !r.paused && !r.breached)
		r.ok = r.soon = r.paused = r.breached = 1;

	struct session s;
	if (session_open(&s, !cli_dir_given, escalating ? SESSION_WRITE : SESSION_READ,
			 ROLE_SUPERVISOR, cli_print_line, NULL, &err))
		die_err(&err);
	s.warn = cli_warn_line;
	int64_t at = s.who.when.t;
	if (at_arg && workflows_time(&s.wf, at_arg, &at, &err))
		die_err(&err);
	if (escalating && at > s.who.when.t)
		die_usage("--escalate acts on breaches that have happened: --at %s is later than now",
			  at_arg);

	/* A clock that cannot be read stops the check before anything is acted on. */
	struct sla_report rep;
	r.wf = &s.wf;
	out_init(&r.o, stdout, json ? OUT_JSON : OUT_TSV);
	if (sla_check(&s, at, print_clock, &r, &rep, &err))
		die_err(&err);
	size_t ntodo = escalating ? rep.ntodo : 0;
	/* A report that cannot be written is not acted on. */
	if (ntodo && (fflush(stdout) == EOF || ferror(stdout)))
		die("cannot write output: %s", strerror(errno ? errno : EIO));
	/* Acted on after the scan, one transaction each, so a rerun finds them done. */
	size_t escalated = 0;
	for (size_t i = 0; i < ntodo; i++) {
		int done;
		if (ticket_escalate(&s, &rep.todo[i], &done, &err))
			die_err(&err);
		escalated += done;
	}
	if (escalated)
		inform("escalated %zu breach%s", escalated, escalated == 1 ? "" : "es");
	int breached = rep.breached != 0;
	sla_report_release(&rep);
	session_close(&s);
	return cli_exit(breached ? EXIT_NONE : EXIT_FOUND);
}
