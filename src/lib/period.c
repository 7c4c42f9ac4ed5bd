#include "period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "sbuf.h"

/* Days are counted from 1970-01-01 in the desk's zone. */
static int64_t local_day(struct workflows *wf, int64_t t)
{
	return epoch_day(t + workflows_offset(wf, t));
}

static void day_name(int64_t d, char out[11])
{
	int y, m, dd;
	civil_from_days(d, &y, &m, &dd);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)dd % 100u);
}

/* The instant day d begins. */
static int64_t midnight(struct workflows *wf, int64_t d)
{
	char name[11];
	int64_t t;
	struct kf_err err;
	day_name(d, name);
	if (workflows_time(wf, name, &t, &err))
		t = d * 86400; /* out of years 1..9999: never for a date read below */
	return t;
}

static int number(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* YYYY-MM-DD, a real date of years 1 to 9999, into a day number. */
static int read_date(const char *s, int64_t *d)
{
	int y, m, dd;
	if (strlen(s) != 10 || !number(s, 4, &y) || s[4] != '-' || !number(s + 5, 2, &m) ||
	    s[7] != '-' || !number(s + 8, 2, &dd) || y < 1 || m < 1 || m > 12 || dd < 1 ||
	    dd > month_days(y, m))
		return 0;
	*d = days_from_civil(y, m, dd);
	return 1;
}

/* YYYY-MM into the day number of its first day. */
static int read_month(const char *s, int64_t *d)
{
	int y, m;
	if (strlen(s) != 7 || !number(s, 4, &y) || s[4] != '-' || !number(s + 5, 2, &m) ||
	    y < 1 || m < 1 || m > 12)
		return 0;
	*d = days_from_civil(y, m, 1);
	return 1;
}

/* Monday 0 .. Sunday 6; day 0, 1970-01-01, was a Thursday. */
static int64_t weekday(int64_t d)
{
	return ((d % 7) + 7 + 3) % 7;
}

static int64_t unit_start(enum period_unit u, int64_t d)
{
	int y, m, dd;
	switch (u) {
	case PERIOD_WEEK:
		return d - weekday(d);
	case PERIOD_MONTH:
		civil_from_days(d, &y, &m, &dd);
		return days_from_civil(y, m, 1);
	default:
		return d;
	}
}

/* The day after the unit holding d. */
static int64_t unit_end(enum period_unit u, int64_t d)
{
	int y, m, dd;
	switch (u) {
	case PERIOD_WEEK:
		return d - weekday(d) + 7;
	case PERIOD_MONTH:
		civil_from_days(d, &y, &m, &dd);
		return days_from_civil(y, m, 1) + month_days(y, m);
	default:
		return d + 1;
	}
}

static void unit_key(enum period_unit u, int64_t d, char key[11])
{
	int y, m, dd;
	if (u == PERIOD_WEEK) {
		/* ISO 8601: a week belongs to the year of its Thursday. */
		int64_t thursday = d - weekday(d) + 3;
		civil_from_days(thursday, &y, &m, &dd);
		long week = (long)((thursday - days_from_civil(y, 1, 1)) / 7 + 1);
		snprintf(key, 11, "%04u-W%02u", (unsigned)y % 10000u, (unsigned)week % 100u);
	} else if (u == PERIOD_MONTH) {
		civil_from_days(d, &y, &m, &dd);
		snprintf(key, 11, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
	} else {
		day_name(d, key);
	}
}

/* The days a to b, both included. */
static void make(struct workflows *wf, int64_t a, int64_t b, struct period *p)
{
	memset(p, 0, sizeof(*p));
	p->from = midnight(wf, a);
	p->until = midnight(wf, b + 1);
	day_name(a, p->first);
	day_name(b, p->last);
}

enum kf_status period_days(struct workflows *wf, const char *first, const char *last,
			   int64_t now, struct period *p, struct kf_err *err)
{
	int64_t a, b = local_day(wf, now);
	if (!read_date(first, &a))
		return kf_fail(err, KF_EINVAL, "'%s' is not a date (YYYY-MM-DD)", first);
	if (last && !read_date(last, &b))
		return kf_fail(err, KF_EINVAL, "'%s' is not a date (YYYY-MM-DD)", last);
	if (b < a) {
		char name[11];
		day_name(b, name);
		return kf_fail(err, KF_EINVAL, "the period ends (%s) before it begins (%s)", name,
			       first);
	}
	make(wf, a, b, p);
	return KF_OK;
}

enum kf_status period_of(struct workflows *wf, enum period_unit u, const char *when,
			 int64_t now, struct period *p, struct kf_err *err)
{
	int64_t d;
	if (when && u == PERIOD_MONTH) {
		if (!read_month(when, &d))
			return kf_fail(err, KF_EINVAL, "'%s' is not a month (YYYY-MM)", when);
	} else if (when) {
		if (!read_date(when, &d))
			return kf_fail(err, KF_EINVAL, "'%s' is not a date (YYYY-MM-DD)", when);
	} else {
		/* The last whole one: the day before the one holding now is in it. */
		d = unit_start(u, local_day(wf, now)) - 1;
	}
	make(wf, unit_start(u, d), unit_end(u, d) - 1, p);
	unit_key(u, d, p->key);
	return KF_OK;
}

void period_units(struct workflows *wf, const struct period *p, enum period_unit u,
		  struct period **v, size_t *n)
{
	int64_t a, b;
	size_t alloc = 0;
	*v = NULL;
	*n = 0;
	if (!read_date(p->first, &a) || !read_date(p->last, &b))
		return;
	for (int64_t d = a; d <= b; d = unit_end(u, d)) {
		int64_t end = unit_end(u, d) - 1;
		ALLOC_GROW(*v, *n + 1, alloc);
		make(wf, d, end < b ? end : b, &(*v)[*n]);
		unit_key(u, d, (*v)[(*n)++].key);
	}
}

void period_key(struct workflows *wf, enum period_unit u, int64_t t, char key[11])
{
	unit_key(u, local_day(wf, t), key);
}
