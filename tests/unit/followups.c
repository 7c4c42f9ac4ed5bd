/*
 * Unit tests of the follow-up rules (followups.c): which tickets a match
 * fits, when a call is due on a calendar or in plain time, what a rule
 * written wrong is told, and a call's state on a day (followup.c).
 * Driven by tests/unit/followups.cases.
 */
#include "tap.h"

#include "followup.h"
#include "followups.h"
#include "isotime.h"
#include "sbuf.h"
#include "ticket.h"

static struct calendars cals;

static const char calendars_yaml[] =
	"calendars:\n"
	"  workdays:\n"
	"    zone: Asia/Shanghai\n"
	"    weekdays: [\"00:00-24:00\"]\n"
	"    holidays: [2026-02-15..2026-02-23]\n"
	"    workdays: [2026-02-14, 2026-02-28]\n";

/* A rule from one follow-up written as YAML flow; problems into probs. */
static enum kf_status rule(const char *flow, struct followups *fu, struct diags *probs)
{
	char *doc = xasprintf("followups:\n  - %s\n", flow);
	enum kf_status st = followups_parse(doc, strlen(doc), fu, probs);
	free(doc);
	return st;
}

static int64_t instant(const char *s)
{
	struct instant in;
	struct kf_err err;
	return iso_parse(s, &in, &err) ? TIME_NONE : in.t;
}

/* A ticket from "key=value;key=value". */
static void ticket_from(struct ticket *t, char *spec)
{
	ticket_init(t);
	for (char *kv = strtok(spec, ";"); kv; kv = strtok(NULL, ";")) {
		char *eq = strchr(kv, '=');
		if (!eq)
			continue;
		*eq++ = '\0';
		if (!strcmp(kv, "type"))
			ticket_set(&t->type, eq);
		else if (!strcmp(kv, "priority"))
			ticket_set(&t->priority, eq);
		else if (!strcmp(kv, "channel"))
			ticket_set(&t->channel, eq);
		else if (!strcmp(kv, "department"))
			ticket_set(&t->department, eq);
		else if (!strcmp(kv, "tags"))
			ticket_set(&t->tags, eq);
		else if (!strcmp(kv, "satisfaction"))
			t->satisfaction = atoi(eq);
	}
}

static void fit(char **f, int n, int lineno)
{
	struct followups fu;
	struct diags probs = DIAGS_INIT;
	char *flow = xasprintf("{name: a, on: closed, after: 1d, match: %s}", f[1]);
	if (n < 4 || rule(flow, &fu, &probs)) {
		tap_ok(0, "line %d: the rule %s is read", lineno, flow);
		diags_release(&probs);
		free(flow);
		return;
	}
	struct ticket t;
	ticket_from(&t, f[2]);
	int fits = followup_rule_fits(&fu.v[0], &t);
	tap_ok(fits == !strcmp(f[3], "yes"), "line %d: %s %s %s", lineno, f[1],
	       fits ? "fits" : "does not fit", f[2]);
	ticket_release(&t);
	followups_release(&fu);
	free(flow);
}

static void due(char **f, int n, int lineno)
{
	struct followups fu;
	struct diags probs = DIAGS_INIT;
	char *flow = strcmp(f[2], "-")
			     ? xasprintf("{name: a, on: closed, after: %s, calendar: %s}", f[1], f[2])
			     : xasprintf("{name: a, on: closed, after: %s}", f[1]);
	int64_t d = TIME_NONE;
	struct kf_err err;
	if (n < 5 || rule(flow, &fu, &probs)) {
		tap_ok(0, "line %d: the rule %s is read", lineno, flow);
		diags_release(&probs);
		free(flow);
		return;
	}
	enum kf_status st = followup_rule_due(&fu.v[0], &cals, instant(f[3]), &d, &err);
	struct instant in = { d, 8 * 3600 };
	char got[32] = "error";
	if (!st)
		iso_format(&in, 0, got);
	tap_is(got, f[4], f[3]);
	followups_release(&fu);
	free(flow);
}

static void bad(char **f, int n, int lineno)
{
	struct followups fu;
	struct diags probs = DIAGS_INIT;
	enum kf_status st = n < 3 ? KF_OK : rule(f[1], &fu, &probs);
	char *said = probs.n ? diag_format("followups.yaml", &probs.v[0]) : xstrdup("nothing");
	tap_ok(st == KF_EINVAL && strstr(said, f[2]), "line %d: %s is refused: %s", lineno, f[1],
	       said);
	if (!st)
		followups_release(&fu);
	free(said);
	diags_release(&probs);
}

static void state(char **f, int n, int lineno)
{
	struct followup fo = { .id = 1 };
	int64_t start = instant("2026-03-10T00:00:00+08:00");
	int64_t end = instant("2026-03-11T00:00:00+08:00");
	if (n < 5) {
		tap_ok(0, "line %d: five fields", lineno);
		return;
	}
	fo.due = instant(f[1]);
	fo.done = strcmp(f[2], "-") ? instant(f[2]) : TIME_NONE;
	fo.outcome = strcmp(f[3], "-") ? f[3] : NULL;
	tap_is(followup_state(&fo, start, end), f[4], f[1]);
}

static void run(char **f, int n, int lineno)
{
	if (!strcmp(f[0], "fit"))
		fit(f, n, lineno);
	else if (!strcmp(f[0], "due"))
		due(f, n, lineno);
	else if (!strcmp(f[0], "bad"))
		bad(f, n, lineno);
	else if (!strcmp(f[0], "state"))
		state(f, n, lineno);
	else
		tap_ok(0, "line %d: unknown kind of case '%s'", lineno, f[0]);
}

int main(int argc, char **argv)
{
	struct diags probs = DIAGS_INIT;
	if (argc != 2) {
		fprintf(stderr, "usage: followups CASES\n");
		return 2;
	}
	if (calendars_parse(calendars_yaml, strlen(calendars_yaml), &cals, &probs)) {
		printf("Bail out! the test's calendar\n");
		return 1;
	}
	/* A date's name, as ticket-update --date takes it. */
	tap_ok(followup_date_name_valid("sale") && followup_date_name_valid("last-service2"),
	       "sale and last-service2 are names of dates");
	tap_ok(!followup_date_name_valid("closed") && !followup_date_name_valid("Sale") &&
		       !followup_date_name_valid("") && !followup_date_name_valid("2sale"),
	       "closed, Sale, nothing and 2sale are not");
	if (tap_cases(argv[1], run) < 0)
		return 1;
	calendars_release(&cals);
	return tap_done();
}
