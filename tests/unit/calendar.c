/*
 * Unit tests of business calendars and durations, from a case table: see
 * the top of tests/unit/calendar.cases for its format.
 */
#include "tap.h"

#include <stdint.h>
#include <time.h>

#include "calendar.h"
#include "isotime.h"
#include "sbuf.h"

static struct sbuf yaml = SBUF_INIT; /* the document the yaml lines build */
static struct calendars cals;

static const struct calendar *cal(const char *name, int lineno)
{
	const struct calendar *c = calendars_find(&cals, name);
	if (!c)
		tap_ok(0, "line %d: no calendar '%s' loaded", lineno, name);
	return c;
}

static int instant(const char *s, int64_t *t, int lineno)
{
	struct instant in;
	struct kf_err err;
	if (iso_parse(s, &in, &err) != KF_OK) {
		tap_ok(0, "line %d: bad instant '%s'", lineno, s);
		return 0;
	}
	*t = in.t;
	return 1;
}

/* "FROM/TO,FROM/TO..." into v (at most 16); -1 on a bad one. */
static int pauses(const char *s, struct span *v, int lineno)
{
	char buf[1024];
	int n = 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *save, *p = strtok_r(buf, ",", &save); p && n < 16;
	     p = strtok_r(NULL, ",", &save)) {
		char *slash = strchr(p, '/');
		if (!slash)
			return -1;
		*slash = '\0';
		if (!instant(p, &v[n].start, lineno) ||
		    !instant(slash + 1, &v[n].end, lineno))
			return -1;
		n++;
	}
	return n;
}

static void at_zone(const struct calendar *c, int64_t t, char out[32])
{
	struct instant in = {t, calendar_offset(c, t)};
	iso_format(&in, 0, out);
}

static void load(const char *want, int lineno)
{
	struct diags probs = DIAGS_INIT;
	struct sbuf got = SBUF_INIT;
	const char *dir = getenv("TZDIR");
	char what[64];

	calendars_release(&cals);
	if (calendars_parse(yaml.buf, yaml.len, &cals, &probs) == KF_OK)
		sbuf_addf(&got, "ok %zu", cals.n);
	for (size_t i = 0; i < probs.n; i++) {
		const char *m = probs.v[i].msg, *hit;
		if (i)
			sbuf_adds(&got, " | ");
		sbuf_addf(&got, "%d: %s%s", probs.v[i].line,
			  probs.v[i].key ? probs.v[i].key : "",
			  probs.v[i].key ? ": " : "");
		/* The table is written for the default database. */
		if (dir && *dir && (hit = strstr(m, dir))) {
			sbuf_add(&got, m, hit - m);
			sbuf_adds(&got, "/usr/share/zoneinfo");
			m = hit + strlen(dir);
		}
		sbuf_adds(&got, m);
	}
	snprintf(what, sizeof(what), "load (line %d)", lineno);
	tap_is(got.buf, want, what);
	diags_release(&probs);
	sbuf_release(&got);
	sbuf_reset(&yaml);
}

static void due(char **f, int n, int lineno)
{
	const struct calendar *c = cal(f[1], lineno);
	struct span p[16];
	int np = n > 5 ? pauses(f[5], p, lineno) : 0;
	int64_t from, dur, at;
	struct kf_err err;
	char what[256], got[64];

	if (!c || np < 0 || !instant(f[2], &from, lineno))
		return;
	snprintf(what, sizeof(what), "due %s %s + %s%s%s (line %d)", f[1], f[2],
		 f[3], np ? " paused " : "", np ? f[5] : "", lineno);
	if (duration_parse(f[3], &dur, &err) != KF_OK ||
	    calendar_due(c, from, dur, p, np, &at, &err) != KF_OK) {
		tap_is("error", f[4], what);
		return;
	}
	at_zone(c, at, got);
	tap_is(got, f[4], what);
	/* The inverse: from the start to the due time is the duration... */
	int64_t back = calendar_between(c, from, at, p, np);
	tap_ok(back == dur, "between %s %s and its due time is %s (line %d)",
	       f[1], f[2], f[3], lineno);
	/* ...and a second earlier is a second short: the earliest such instant.
	 */
	if (dur > 0)
		tap_ok(calendar_between(c, from, at - 1, p, np) == dur - 1,
		       "due %s %s + %s is the earliest instant (line %d)", f[1],
		       f[2], f[3], lineno);
}

static void between(char **f, int n, int lineno)
{
	const struct calendar *c = cal(f[1], lineno);
	struct span p[16];
	int np = n > 5 ? pauses(f[5], p, lineno) : 0;
	int64_t from, to;
	char what[256], got[40];

	if (!c || np < 0 || !instant(f[2], &from, lineno) ||
	    !instant(f[3], &to, lineno))
		return;
	snprintf(what, sizeof(what), "between %s %s %s%s%s (line %d)", f[1],
		 f[2], f[3], np ? " paused " : "", np ? f[5] : "", lineno);
	duration_format(calendar_between(c, from, to, p, np), got);
	tap_is(got, f[4], what);
}

/* The zone's offsets against the C library's, which reads the same file. */
static void libc(const struct calendar *c, long count, int lineno)
{
	const char *old = getenv("TZ");
	char *saved = old ? xstrdup(old) : NULL;
	int64_t lo = days_from_civil(1901, 1, 1) * 86400,
		hi = days_from_civil(2300, 1, 1) * 86400;
	int64_t step = (hi - lo) / count, bad = 0, t;
	setenv("TZ", calendar_zone(c), 1);
	tzset();
	for (long i = 0; i < count; i++) {
		/* An odd step so that instants fall at every time of day. */
		t = lo + i * step + (i * 7919) % 86400;
		time_t tt = (time_t)t;
		struct tm tm;
		localtime_r(&tt, &tm);
		if (tm.tm_gmtoff != calendar_offset(c, t) && !bad++)
			printf("# at %lld: libc %ld, calendar %d\n",
			       (long long)t, tm.tm_gmtoff,
			       calendar_offset(c, t));
	}
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	tap_ok(!bad,
	       "%s offsets agree with the C library at %ld instants, 1901-2300 "
	       "(line %d)",
	       calendar_zone(c), count, lineno);
}

/*
 * cross CAL FROM TO N [PAUSES]: N intervals inside [FROM, TO], drawn by a
 * fixed generator, and the due time of each one's business time from its
 * start, computed with and without the shortcuts: they must agree.
 */
static void cross(char **f, int n, int lineno)
{
	const struct calendar *c = cal(f[1], lineno);
	struct span p[16];
	int np = n > 5 ? pauses(f[5], p, lineno) : 0;
	int64_t from, to;
	long count = atol(f[4]), bad = 0;
	uint64_t r = 0x9E3779B97F4A7C15u ^ (uint64_t)lineno;
	struct kf_err err;

	if (!c || np < 0 || !instant(f[2], &from, lineno) || !instant(f[3], &to, lineno))
		return;
	for (long i = 0; i < count; i++) {
		/* Half of them run from the first hundredth of the span to TO. */
		r = r * 6364136223846793005u + 1442695040888963407u;
		int64_t a = from + (int64_t)((r >> 11) % (uint64_t)((to - from) / (i % 2 ? 100 : 1)));
		r = r * 6364136223846793005u + 1442695040888963407u;
		int64_t b = i % 2 ? to : a + (int64_t)((r >> 11) % (uint64_t)(to - a + 1));
		int64_t fast = calendar_between(c, a, b, p, np);
		int64_t slow = calendar_between_daily(c, a, b, p, np);
		int64_t due_fast = 0, due_slow = 0;
		enum kf_status sf = calendar_due(c, a, slow, p, np, &due_fast, &err);
		enum kf_status ss = calendar_due_daily(c, a, slow, p, np, &due_slow, &err);
		if ((fast != slow || sf != ss || due_fast != due_slow) && !bad++)
			printf("# from %lld to %lld: between %lld, daily %lld; due %lld, daily %lld\n",
			       (long long)a, (long long)b, (long long)fast, (long long)slow,
			       (long long)due_fast, (long long)due_slow);
	}
	tap_ok(!bad, "%s: %ld intervals %s..%s%s%s agree with the daily walk (line %d)", f[1],
	       count, f[2], f[3], np ? " paused " : "", np ? f[5] : "", lineno);
}

static void run(char **f, int n, int lineno)
{
	char what[256], got[64];
	int64_t t;
	struct kf_err err;

	if (!strcmp(f[0], "yaml") && n == 2) {
		sbuf_addf(&yaml, "%s\n", f[1]);
	} else if (!strcmp(f[0], "load") && n == 2) {
		load(f[1], lineno);
	} else if (!strcmp(f[0], "due") && (n == 5 || n == 6)) {
		due(f, n, lineno);
	} else if (!strcmp(f[0], "between") && (n == 5 || n == 6)) {
		between(f, n, lineno);
	} else if (!strcmp(f[0], "open") && n == 4) {
		const struct calendar *c = cal(f[1], lineno);
		if (!c || !instant(f[2], &t, lineno))
			return;
		snprintf(what, sizeof(what), "open %s %s (line %d)", f[1], f[2],
			 lineno);
		tap_is(calendar_open_at(c, t) ? "yes" : "no", f[3], what);
	} else if (!strcmp(f[0], "offset") && n == 4) {
		const struct calendar *c = cal(f[1], lineno);
		if (!c || !instant(f[2], &t, lineno))
			return;
		at_zone(c, t, got);
		snprintf(what, sizeof(what), "offset %s %s (line %d)", f[1],
			 f[2], lineno);
		tap_is(got + 19, f[3], what);
	} else if (!strcmp(f[0], "dparse") && n == 3) {
		snprintf(what, sizeof(what), "duration_parse '%s' (line %d)",
			 f[1], lineno);
		if (duration_parse(f[1], &t, &err) != KF_OK)
			snprintf(got, sizeof(got), "error");
		else
			snprintf(got, sizeof(got), "%lld", (long long)t);
		tap_is(got, f[2], what);
	} else if (!strcmp(f[0], "dformat") && n == 3) {
		char out[40];
		int64_t secs = strtoll(f[1], NULL, 10), back;
		snprintf(what, sizeof(what), "duration_format %s (line %d)",
			 f[1], lineno);
		duration_format(secs, out);
		tap_is(out, f[2], what);
		if (secs >= 0 && secs <= DURATION_MAX)
			tap_ok(duration_parse(out, &back, &err) == KF_OK &&
				   back == secs,
			       "duration '%s' reads back as %s (line %d)", out,
			       f[1], lineno);
	} else if (!strcmp(f[0], "libc") && n == 3) {
		const struct calendar *c = cal(f[1], lineno);
		if (c)
			libc(c, atol(f[2]), lineno);
	} else if (!strcmp(f[0], "cross") && (n == 5 || n == 6)) {
		cross(f, n, lineno);
	} else {
		tap_ok(0, "line %d: bad case", lineno);
	}
}

int main(int argc, char **argv)
{
	/* Instants written without an offset are read in this zone. */
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	if (argc != 2 || tap_cases(argv[1], run) < 0)
		return 1;
	calendars_release(&cals);
	sbuf_release(&yaml);
	return tap_done();
}
