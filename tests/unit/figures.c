/*
 * Unit tests of a report's building blocks: the figures (figures.c),
 * the targets (targets.c), the days of a period (period.c) and what a
 * ticket's history says (timeline.c). Driven by tests/unit/figures.cases.
 */
#include "tap.h"

#include <inttypes.h>

#include "figures.h"
#include "isotime.h"
#include "period.h"
#include "sbuf.h"
#include "targets.h"
#include "timeline.h"
#include "workflows.h"

static struct workflows wf;

static const char calendars_yaml[] = "calendars:\n"
				     "  business:\n"
				     "    zone: Asia/Shanghai\n"
				     "    weekdays: [\"09:00-18:00\"]\n"
				     "  newyork:\n"
				     "    zone: America/New_York\n"
				     "    weekdays: [\"09:00-17:00\"]\n";

static int64_t num(const char *s)
{
	return strcmp(s, "-") ? strtoll(s, NULL, 10) : FIGURE_NONE;
}

static void put(char *buf, size_t n, int64_t v)
{
	if (v == FIGURE_NONE)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%" PRId64, v);
}

/* pct P V,V,... WANT */
static void pct(char **f, int n, int lineno)
{
	struct samples s = { 0 };
	char got[32], what[64];
	if (n < 4) {
		tap_ok(0, "line %d: four fields", lineno);
		return;
	}
	for (char *v = strtok(f[2], ","); v; v = strtok(NULL, ","))
		if (strcmp(v, "-"))
			samples_add(&s, strtoll(v, NULL, 10));
	put(got, sizeof(got), figure_percentile(&s, atoi(f[1])));
	snprintf(what, sizeof(what), "line %d: p%s", lineno, f[1]);
	tap_is(got, f[3], what);
	samples_release(&s);
}

/* mean|share|score A N WANT; bucket SECS WANT */
static void arith(char **f, int n, int lineno)
{
	char got[32], what[64];
	int64_t v;
	if (!strcmp(f[0], "bucket") && n >= 3) {
		snprintf(got, sizeof(got), "%d", figure_bucket(num(f[1])));
		snprintf(what, sizeof(what), "line %d: bucket of %s", lineno, f[1]);
		tap_is(got, f[2], what);
		return;
	}
	if (n < 4) {
		tap_ok(0, "line %d: four fields", lineno);
		return;
	}
	v = !strcmp(f[0], "mean")    ? figure_mean(num(f[1]), num(f[2]))
	    : !strcmp(f[0], "share") ? figure_share(num(f[1]), num(f[2]))
				     : figure_score(num(f[1]), num(f[2]));
	put(got, sizeof(got), v);
	snprintf(what, sizeof(what), "line %d: %s of %s, %s", lineno, f[0], f[1], f[2]);
	tap_is(got, f[3], what);
}

/* targets YAML KEY DEPARTMENT WANT: the target that applies, or "error: ..." */
static void targets(char **f, int n, int lineno)
{
	struct targets t;
	struct diags probs = DIAGS_INIT;
	char got[256], what[64];
	if (n < 5) {
		tap_ok(0, "line %d: five fields", lineno);
		return;
	}
	snprintf(what, sizeof(what), "line %d: %s", lineno, f[2]);
	if (targets_parse(f[1], strlen(f[1]), &t, &probs)) {
		char *said = probs.n ? diag_format("targets.yaml", &probs.v[0]) : xstrdup("?");
		snprintf(got, sizeof(got), "error: %s", said);
		free(said);
		tap_ok(!strncmp(f[4], "error: ", 7) && strstr(got, f[4] + 7), "%s refused", what);
		if (strncmp(f[4], "error: ", 7) || !strstr(got, f[4] + 7))
			printf("#   got: %s\n", got);
		diags_release(&probs);
		return;
	}
	struct target_set set;
	targets_for(&t, strcmp(f[3], "-") ? f[3] : NULL, &set);
	int k = 0;
	while (k < TARGET_COUNT && strcmp(target_name(k), f[2]))
		k++;
	put(got, sizeof(got), k < TARGET_COUNT ? set.v[k] : FIGURE_NONE);
	tap_is(got, f[4], what);
	targets_release(&t);
}

/* met FIGURE VALUE TARGET WANT(1, 0 or -1) */
static void met(char **f, int n, int lineno)
{
	char got[8];
	if (n < 5) {
		tap_ok(0, "line %d: five fields", lineno);
		return;
	}
	int k = 0;
	while (k < TARGET_COUNT && strcmp(target_name(k), f[1]))
		k++;
	snprintf(got, sizeof(got), "%d", target_met(k, num(f[2]), num(f[3])));
	tap_is(got, f[4], f[1]);
}

/* period day|week|month|days WHEN|FIRST[..LAST] NOW WANT "FIRST LAST KEY" or error */
static void period(char **f, int n, int lineno)
{
	struct period p;
	struct kf_err err;
	struct instant now;
	char got[1100], what[64];
	if (n < 5 || iso_parse(f[3], &now, &err)) {
		tap_ok(0, "line %d: five fields and a time", lineno);
		return;
	}
	const char *when = strcmp(f[2], "-") ? f[2] : NULL;
	enum kf_status st;
	if (!strcmp(f[1], "days")) {
		char *dots = strstr(f[2], "..");
		if (dots)
			*dots = '\0';
		st = period_days(&wf, f[2], dots ? dots + 2 : NULL, now.t, &p, &err);
	} else {
		enum period_unit u = !strcmp(f[1], "day")    ? PERIOD_DAY
				     : !strcmp(f[1], "week") ? PERIOD_WEEK
							     : PERIOD_MONTH;
		st = period_of(&wf, u, when, now.t, &p, &err);
	}
	if (st)
		snprintf(got, sizeof(got), "error: %s", err.msg);
	else
		snprintf(got, sizeof(got), "%s %s %s %lld", p.first, p.last, p.key[0] ? p.key : "-",
			 (long long)(p.until - p.from) / 3600);
	snprintf(what, sizeof(what), "line %d: %s %s", lineno, f[1], f[2]);
	tap_is(got, f[4], what);
}

/*
 * timeline STATUS EVENTS AT WANT: events "AT what field before after"
 * separated by ";" ("-" for none), instants as seconds from creation at
 * 0; WANT is "res=R reopen=N open@AT=0|1 spans=S-E,... rated=AT:N esc=N urge=N".
 */
static void timeline(char **f, int n, int lineno)
{
	struct ticket t;
	struct ticket_event ev[32];
	size_t nev = 0;
	char what[64];
	if (n < 5) {
		tap_ok(0, "line %d: five fields", lineno);
		return;
	}
	ticket_init(&t);
	t.created = 0;
	t.updated = 7200;
	ticket_set(&t.status, f[1]);
	for (char *e = strtok(f[2], ";"); e && nev < 32; e = strtok(NULL, ";")) {
		char at[32], w[32], fi[32], b[32], a[32];
		if (sscanf(e, "%31s %31s %31s %31s %31s", at, w, fi, b, a) != 5)
			continue;
		struct ticket_event *x = &ev[nev++];
		memset(x, 0, sizeof(*x));
		x->at = strtoll(at, NULL, 10);
		x->what = xstrdup(w);
		x->field = strcmp(fi, "-") ? xstrdup(fi) : NULL;
		x->before = strcmp(b, "-") ? xstrdup(b) : NULL;
		x->after = strcmp(a, "-") ? xstrdup(a) : NULL;
	}
	struct ticket_history h = { &t, ev, nev, NULL, 0 };
	struct timeline tl = TIMELINE_INIT;
	timeline_read(&tl, &h);
	int64_t at = strtoll(f[3], NULL, 10);
	struct sbuf sb = SBUF_INIT;
	char res[32];
	put(res, sizeof(res), tl.first_resolution == TIME_NONE ? FIGURE_NONE : tl.first_resolution);
	sbuf_addf(&sb, "res=%s reopen=%zu open@%lld=%d spans=", res, tl.nreopenings,
		  (long long)at, timeline_open_at(&tl, at));
	int64_t s, e;
	for (size_t i = 0; timeline_open_span(&tl, i, &s, &e); i++) {
		char end[32];
		put(end, sizeof(end), e == TIME_NONE ? FIGURE_NONE : e);
		sbuf_addf(&sb, "%s%lld-%s", i ? "," : "", (long long)s, end);
	}
	sbuf_adds(&sb, " rated=");
	for (size_t i = 0; i < tl.nrat; i++)
		sbuf_addf(&sb, "%s%lld:%lld", i ? "," : "", (long long)tl.ratings[i].at,
			  (long long)tl.ratings[i].n);
	int64_t urged = 0;
	for (size_t i = 0; i < tl.nurge; i++)
		urged += tl.urges[i].n;
	sbuf_addf(&sb, " esc=%zu urge=%lld", tl.nesc, (long long)urged);
	snprintf(what, sizeof(what), "line %d: timeline", lineno);
	tap_is(sb.buf, f[4], what);
	sbuf_release(&sb);
	timeline_release(&tl);
	for (size_t i = 0; i < nev; i++) {
		free(ev[i].what);
		free(ev[i].field);
		free(ev[i].before);
		free(ev[i].after);
	}
	ticket_release(&t);
}

static void run(char **f, int n, int lineno)
{
	if (!strcmp(f[0], "pct"))
		pct(f, n, lineno);
	else if (!strcmp(f[0], "mean") || !strcmp(f[0], "share") || !strcmp(f[0], "score") ||
		 !strcmp(f[0], "bucket"))
		arith(f, n, lineno);
	else if (!strcmp(f[0], "targets"))
		targets(f, n, lineno);
	else if (!strcmp(f[0], "met"))
		met(f, n, lineno);
	else if (!strcmp(f[0], "period"))
		period(f, n, lineno);
	else if (!strcmp(f[0], "timeline"))
		timeline(f, n, lineno);
	else if (!strcmp(f[0], "zone") && n >= 2) {
		/* the desk's zone from here on: that of calendar f[1] */
		wf.zone = calendars_find(&wf.calendars, f[1]);
		for (size_t i = 0; i < sizeof(wf.cache) / sizeof(wf.cache[0]); i++)
			wf.cache[i].bucket = INT64_MIN;
		tap_ok(wf.zone != NULL, "line %d: the desk's zone is %s's", lineno, f[1]);
	}
	else
		tap_ok(0, "line %d: unknown kind of case '%s'", lineno, f[0]);
}

int main(int argc, char **argv)
{
	struct diags probs = DIAGS_INIT;
	if (argc != 2) {
		fprintf(stderr, "usage: figures CASES\n");
		return 2;
	}
	memset(&wf, 0, sizeof(wf));
	for (size_t i = 0; i < sizeof(wf.cache) / sizeof(wf.cache[0]); i++)
		wf.cache[i].bucket = INT64_MIN;
	if (calendars_parse(calendars_yaml, strlen(calendars_yaml), &wf.calendars, &probs)) {
		printf("Bail out! the test's calendar\n");
		return 1;
	}
	wf.zone = wf.calendars.v[0];
	if (tap_cases(argv[1], run) < 0)
		return 1;
	calendars_release(&wf.calendars);
	return tap_done();
}
