#include "calendar.h"

#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "sbuf.h"
#include "tzfile.h"
#include "yamldoc.h"

/* Years 1 to 9999, the instants ISO 8601 can write. */
#define DAY_MIN INT64_C(-719162) /* 0001-01-01 */
#define DAY_MAX INT64_C(2932896) /* 9999-12-31 */
#define T_MIN (DAY_MIN * 86400)
#define T_MAX ((DAY_MAX + 1) * 86400)

/* ---- Calendars ---- */

struct range {
	int open, close; /* seconds into the local day, [open, close) */
	int line;
};

struct hours {
	struct range *v;
	size_t n;
};

struct dates {
	int64_t from, to; /* days since 1970-01-01, both included */
	int line;
};

/*
 * One local date's schedule. The cache is direct-mapped by date: a walk
 * through consecutive days never evicts itself, and the memory stays
 * bounded however far the dates run.
 */
#define DAY_SLOTS 2048
struct day {
	int64_t date;	    /* INT64_MIN: an empty slot */
	int64_t start, end; /* the day's first instant, the next day's */
	struct span *v;	    /* the open spans in time order: inl or the heap */
	size_t n;
	struct span inl[4];
};

struct calendar {
	char *name, *zone_name;
	struct zone *zone;
	struct hours week[7];	  /* mon..sun */
	struct hours workday;	  /* a 调休 workday's: Monday's */
	struct dates *hol, *work; /* sorted, merged */
	size_t nhol, nwork;
	int64_t weekly;	  /* business seconds in an ordinary week */
	int64_t last_day; /* no hours after this date */
	struct day *days; /* the cache, made on first use */
	int64_t *years;	  /* business seconds in each year 1..9999, -1 until known */
};

static const char *const day_keys[7] = {"mon", "tue", "wed", "thu",
					"fri", "sat", "sun"};

static int in_dates(const struct dates *v, size_t n, int64_t day)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].from <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && v[lo - 1].to >= day;
}

static const struct hours *hours_on(const struct calendar *c, int64_t date)
{
	if (date < DAY_MIN || date > DAY_MAX || in_dates(c->hol, c->nhol, date))
		return NULL;
	if (in_dates(c->work, c->nwork, date))
		return &c->workday;
	return &c->week[(date % 7 + 7 + 3) % 7]; /* 1970-01-01 was a Thursday */
}

static const struct day *get_day(const struct calendar *c, int64_t date)
{
	struct day *d;
	if (!c->days) {
		/* The cache is not part of the calendar's value: filling it
		 * through a const pointer changes no answer. */
		struct calendar *mc = (struct calendar *)c;
		mc->days = xcalloc(DAY_SLOTS, sizeof(*mc->days));
		for (size_t i = 0; i < DAY_SLOTS; i++)
			mc->days[i].date = INT64_MIN;
	}
	d = &c->days[(uint64_t)date & (DAY_SLOTS - 1)];
	if (d->date == date)
		return d;
	if (d->v != d->inl)
		free(d->v);
	d->v = d->inl;
	d->n = 0;
	d->date = date;
	d->start = zone_local_to_utc(c->zone, date * 86400);
	d->end = zone_local_to_utc(c->zone, (date + 1) * 86400);
	const struct hours *h = hours_on(c, date);
	if (!h)
		return d;
	if (h->n > sizeof(d->inl) / sizeof(d->inl[0]))
		d->v = xmalloc(h->n * sizeof(*d->v));
	for (size_t i = 0; i < h->n; i++) {
		int64_t a = zone_local_to_utc(c->zone, date * 86400 + h->v[i].open);
		int64_t b = zone_local_to_utc(c->zone, date * 86400 + h->v[i].close);
		if (a >= b) /* wholly inside a spring-forward gap */
			continue;
		if (d->n && d->v[d->n - 1].end >= a) {
			if (b > d->v[d->n - 1].end)
				d->v[d->n - 1].end = b;
			continue;
		}
		d->v[d->n].start = a;
		d->v[d->n++].end = b;
	}
	return d;
}

static int64_t local_date(const struct calendar *c, int64_t t)
{
	return epoch_day(t + zone_offset(c->zone, t));
}

const struct calendar *calendars_find(const struct calendars *cals,
				      const char *name)
{
	for (size_t i = 0; i < cals->n; i++)
		if (!strcmp(cals->v[i]->name, name))
			return cals->v[i];
	return NULL;
}

const char *calendar_name(const struct calendar *c)
{
	return c->name;
}

const char *calendar_zone(const struct calendar *c)
{
	return c->zone_name;
}

int calendar_offset(const struct calendar *c, int64_t t)
{
	return zone_offset(c->zone, t);
}

int calendar_open_at(const struct calendar *c, int64_t t)
{
	if (t < T_MIN || t >= T_MAX)
		return 0;
	/* A fall-back across midnight repeats part of a date after the next
	 * one has begun: the instant may lie in the following day's span. */
	int64_t date = local_date(c, t);
	for (int64_t dd = date; dd <= date + 1; dd++) {
		const struct day *d = get_day(c, dd);
		for (size_t i = 0; i < d->n; i++)
			if (d->v[i].start <= t && t < d->v[i].end)
				return 1;
	}
	return 0;
}

/* Paused spans merged into disjoint ones, in time order. */
struct pause_iter {
	const struct span *p;
	size_t n, i;
	struct span cur; /* start == end == INT64_MAX when no more */
};

static void pause_next(struct pause_iter *it)
{
	while (it->i < it->n && it->p[it->i].end <= it->p[it->i].start)
		it->i++;
	if (it->i == it->n) {
		it->cur.start = it->cur.end = INT64_MAX;
		return;
	}
	it->cur = it->p[it->i++];
	while (it->i < it->n && it->p[it->i].start <= it->cur.end) {
		if (it->p[it->i].end > it->cur.end)
			it->cur.end = it->p[it->i].end;
		it->i++;
	}
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

/* Pauses sorted by start; a sorted copy in *copy when they were not. */
static const struct span *sorted_pauses(const struct span *p, size_t n,
					struct span **copy)
{
	*copy = NULL;
	for (size_t i = 1; i < n; i++) {
		if (p[i].start < p[i - 1].start) {
			*copy = xmalloc(n * sizeof(**copy));
			memcpy(*copy, p, n * sizeof(**copy));
			qsort(*copy, n, sizeof(**copy), span_cmp);
			return *copy;
		}
	}
	return p;
}

/* The first date on or after date that is a holiday or a workday, or INT64_MAX. */
static int64_t next_special(const struct dates *v, size_t n, int64_t date)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].to < date)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n)
		return INT64_MAX;
	return v[lo].from > date ? v[lo].from : date;
}

/*
 * How many whole weeks from date (whose first instant is start) are
 * ordinary, each worth c->weekly: no holiday or workday in them, one
 * offset throughout, and ending by until (an instant). 0 when none.
 */
static int64_t ordinary_weeks(const struct calendar *c, int64_t date, int64_t start,
			      int64_t until)
{
	int32_t off = zone_offset(c->zone, start);
	if (start != date * 86400 - off)
		return 0; /* the day starts in a gap: leave it to the day walk */
	if (until > T_MAX)
		until = T_MAX;
	int64_t days = epoch_day(until + off) - date;
	/*
	 * A day that ends at the change ends by the new offset (its closing
	 * local time is read after it): only days ending before it are alike.
	 */
	int64_t change = zone_next_change(c->zone, start);
	if (change <= T_MAX && epoch_day(change - 1 + off) - date < days)
		days = epoch_day(change - 1 + off) - date;
	int64_t special = next_special(c->hol, c->nhol, date);
	int64_t work = next_special(c->work, c->nwork, date);
	if (work < special)
		special = work;
	if (special != INT64_MAX && special - date < days)
		days = special - date;
	if (c->last_day + 1 - date < days)
		days = c->last_day + 1 - date;
	return days > 0 ? days / 7 : 0;
}

static int64_t walk(const struct calendar *c, int64_t from, int64_t to,
		    const struct span *pauses, size_t npauses, int64_t limit,
		    int64_t *at, int shortcuts);

/* Business seconds in local year y, all of it, computed once. */
static int64_t year_total(const struct calendar *c, int64_t y)
{
	struct calendar *mc = (struct calendar *)c; /* a cache, as days is */
	if (!mc->years) {
		mc->years = xmalloc(10000 * sizeof(*mc->years));
		for (size_t i = 0; i < 10000; i++)
			mc->years[i] = -1;
	}
	if (mc->years[y] < 0) {
		int64_t a = zone_local_to_utc(c->zone, days_from_civil((int)y, 1, 1) * 86400);
		int64_t b = zone_local_to_utc(c->zone, days_from_civil((int)y + 1, 1, 1) * 86400);
		mc->years[y] = walk(c, a, b, NULL, 0, -1, NULL, 1);
	}
	return mc->years[y];
}

/*
 * Count the business time in [from, to) outside the pauses, in time
 * order. With limit > 0, stop where limit seconds have been counted and
 * set *at to that instant (it is then the return value). from and to lie
 * within years 1..9999.
 *
 * Day by day, but far instants must not take millions of days: with
 * shortcuts, a run of ordinary weeks (no holiday, workday, pause or
 * change of offset) counts c->weekly each, and a whole local year that
 * no pause touches counts its total, computed once (shortcuts 2; a
 * year's own total is computed with weeks only, shortcuts 1). Days not
 * skipped are walked as before, so the answer is the same.
 */
static int64_t walk(const struct calendar *c, int64_t from, int64_t to,
		    const struct span *pauses, size_t npauses, int64_t limit,
		    int64_t *at, int shortcuts)
{
	struct span *copy;
	struct pause_iter it = {
	    sorted_pauses(pauses, npauses, &copy), npauses, 0, {0, 0}};
	int64_t sum = 0;

	pause_next(&it);
	for (int64_t date = local_date(c, from); date <= c->last_day; date++) {
		const struct day *d = get_day(c, date);
		if (d->start >= to)
			break;
		while (it.cur.end <= d->start)
			pause_next(&it);
		/* Paused all day: go straight to the day the pause ends (a
		 * ticket pending for years must not walk every day). */
		if (it.cur.start <= d->start && it.cur.end >= d->end) {
			if (it.cur.end >= to)
				break;
			int64_t last = local_date(c, it.cur.end) - 1;
			if (last > date)
				date = last;
			continue;
		}
		if (shortcuts && c->weekly && d->start >= from && it.cur.start > d->start) {
			int64_t until = it.cur.start < to ? it.cur.start : to;
			int64_t weeks = ordinary_weeks(c, date, d->start, until);
			if (limit > 0 && weeks > (limit - sum - 1) / c->weekly)
				weeks = (limit - sum - 1) / c->weekly;
			if (shortcuts > 1) {
				int y, m, dd;
				civil_from_days(date, &y, &m, &dd);
				int64_t year_end = days_from_civil(y + 1, 1, 1);
				if (m == 1 && dd == 1 && date + 7 * weeks < year_end) {
					/* A whole year that no pause touches. */
					int64_t b = zone_local_to_utc(c->zone, year_end * 86400);
					if (b <= to && it.cur.start >= b) {
						int64_t total = year_total(c, y);
						if (limit <= 0 || sum + total < limit) {
							sum += total;
							date = year_end - 1;
							continue;
						}
					}
				}
				/* A short run stops at Jan 1, where whole years may follow. */
				if (date + 7 * weeks > year_end && 7 * weeks < 366)
					weeks = (year_end - date) / 7;
			}
			if (weeks > 0) {
				sum += weeks * c->weekly;
				date += 7 * weeks - 1;
				continue;
			}
		}
		for (size_t i = 0; i < d->n; i++) {
			int64_t x = d->v[i].start > from ? d->v[i].start : from;
			int64_t b = d->v[i].end < to ? d->v[i].end : to;
			while (x < b) {
				while (it.cur.end <= x)
					pause_next(&it);
				if (it.cur.start <=
				    x) { /* paused: skip to its end */
					x = it.cur.end;
					continue;
				}
				int64_t y = it.cur.start < b ? it.cur.start : b;
				if (limit > 0 && y - x >= limit - sum) {
					*at = x + (limit - sum);
					free(copy);
					return limit;
				}
				sum += y - x;
				x = y;
			}
		}
	}
	free(copy);
	return sum;
}

static int64_t between(const struct calendar *c, int64_t from, int64_t to,
		       const struct span *pauses, size_t npauses, int shortcuts)
{
	if (from < T_MIN)
		from = T_MIN;
	if (to > T_MAX)
		to = T_MAX;
	if (to <= from)
		return 0;
	return walk(c, from, to, pauses, npauses, -1, NULL, shortcuts);
}

static enum kf_status due(const struct calendar *c, int64_t from, int64_t dur,
			  const struct span *pauses, size_t npauses, int64_t *at,
			  int shortcuts, struct kf_err *err)
{
	if (dur < 0)
		return kf_fail(err, KF_EINVAL,
			       "due time: negative duration %lld s",
			       (long long)dur);
	if (from < T_MIN || from >= T_MAX)
		return kf_fail(
		    err, KF_EINVAL,
		    "due time: start %lld is outside years 1 to 9999",
		    (long long)from);
	if (!c->weekly && !c->nwork)
		return kf_fail(err, KF_EINVAL,
			       "due time in calendar '%s': it has no hours",
			       c->name);
	if (!dur) {
		*at = from;
		return KF_OK;
	}
	if (walk(c, from, T_MAX, pauses, npauses, dur, at, shortcuts) < dur)
		return kf_fail(err, KF_EINVAL,
			       "due time in calendar '%s': not enough hours "
			       "before year 10000",
			       c->name);
	return KF_OK;
}

int64_t calendar_between(const struct calendar *c, int64_t from, int64_t to,
			 const struct span *pauses, size_t npauses)
{
	return between(c, from, to, pauses, npauses, 2);
}

enum kf_status calendar_due(const struct calendar *c, int64_t from, int64_t dur,
			    const struct span *pauses, size_t npauses,
			    int64_t *at, struct kf_err *err)
{
	return due(c, from, dur, pauses, npauses, at, 2, err);
}

int64_t calendar_between_daily(const struct calendar *c, int64_t from, int64_t to,
			       const struct span *pauses, size_t npauses)
{
	return between(c, from, to, pauses, npauses, 0);
}

enum kf_status calendar_due_daily(const struct calendar *c, int64_t from, int64_t dur,
				  const struct span *pauses, size_t npauses, int64_t *at,
				  struct kf_err *err)
{
	return due(c, from, dur, pauses, npauses, at, 0, err);
}

/* ---- Reading calendars.yaml ---- */

static int read_hhmm(const char *s, int *secs)
{
	for (int i = 0; i < 5; i++)
		if (i == 2 ? s[i] != ':' : (s[i] < '0' || s[i] > '9'))
			return 0;
	int h = (s[0] - '0') * 10 + s[1] - '0',
	    m = (s[3] - '0') * 10 + s[4] - '0';
	if (h > 24 || m > 59 || (h == 24 && m))
		return 0;
	*secs = h * 3600 + m * 60;
	return 1;
}

static int range_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return (x->open > y->open) - (x->open < y->open);
}

static void fmt_hhmm(int secs, char out[8])
{
	snprintf(out, 8, "%02u:%02u", (unsigned)secs / 3600 % 100,
		 (unsigned)secs / 60 % 60);
}

/* The hours under key: 1 given, 0 absent; problems reported. */
static int read_hours(const struct ynode *m, const char *key, struct hours *h,
		      struct diags *probs)
{
	const struct ynode *v = ynode_get(m, key);
	h->v = NULL;
	h->n = 0;
	if (!v)
		return 0;
	if (ynode_is_null(v))
		return 1;
	if (v->kind != YN_SEQ) {
		diag_add(probs, v->line, key,
			 "expected a list of ranges such as [\"09:00-18:00\"], "
			 "not %s",
			 ynode_kind_name(v));
		return 1;
	}
	h->v = xcalloc(v->n + 1, sizeof(*h->v));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->kids[i];
		const char *s = it->str;
		struct range r = {0, 0, it->line};
		if (it->kind != YN_SCALAR || ynode_is_null(it)) {
			diag_add(
			    probs, it->line, key,
			    "item %zu: expected a range HH:MM-HH:MM, not %s",
			    i + 1,
			    ynode_is_null(it) ? "an empty value"
					      : ynode_kind_name(it));
			continue;
		}
		if (strlen(s) != 11 || s[5] != '-') {
			diag_add(probs, it->line, key,
				 "'%.40s' is not a range HH:MM-HH:MM", s);
			continue;
		}
		if (!read_hhmm(s, &r.open) || r.open == 86400) {
			diag_add(probs, it->line, key,
				 "'%.40s': the opening '%.5s' is not a time "
				 "from 00:00 to 23:59",
				 s, s);
			continue;
		}
		if (!read_hhmm(s + 6, &r.close)) {
			diag_add(probs, it->line, key,
				 "'%.40s': the closing '%.5s' is not a time "
				 "from 00:00 to 24:00",
				 s, s + 6);
			continue;
		}
		if (r.open >= r.close) {
			diag_add(probs, it->line, key,
				 "'%.40s': the opening must come before the "
				 "closing (24:00 closes "
				 "at midnight)",
				 s);
			continue;
		}
		h->v[h->n++] = r;
	}
	qsort(h->v, h->n, sizeof(*h->v), range_cmp);
	size_t k = 0;
	for (size_t i = 0; i < h->n; i++) {
		if (k && h->v[i].open < h->v[k - 1].close) {
			char a[8], b[8], c[8], d[8];
			fmt_hhmm(h->v[k - 1].open, a);
			fmt_hhmm(h->v[k - 1].close, b);
			fmt_hhmm(h->v[i].open, c);
			fmt_hhmm(h->v[i].close, d);
			diag_add(probs, h->v[i].line, key,
				 "ranges %s-%s and %s-%s overlap", a, b, c, d);
			continue;
		}
		if (k &&
		    h->v[i].open == h->v[k - 1].close) /* touching: one range */
			h->v[k - 1].close = h->v[i].close;
		else
			h->v[k++] = h->v[i];
	}
	h->n = k;
	return 1;
}

static int read_date(const char *s, size_t len, int64_t *days)
{
	int v[3] = {0, 0, 0};
	static const size_t w[3] = {4, 2, 2};
	size_t pos = 0;
	for (int f = 0; f < 3; f++) {
		if (f && (pos >= len || s[pos++] != '-'))
			return 0;
		for (size_t i = 0; i < w[f]; i++, pos++) {
			if (pos >= len || s[pos] < '0' || s[pos] > '9')
				return 0;
			v[f] = v[f] * 10 + s[pos] - '0';
		}
	}
	if (pos != len || v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > month_days(v[0], v[1]))
		return 0;
	*days = days_from_civil(v[0], v[1], v[2]);
	return 1;
}

static int dates_cmp(const void *a, const void *b)
{
	const struct dates *x = a, *y = b;
	return (x->from > y->from) - (x->from < y->from);
}

/* Dates and FROM..TO ranges under key, sorted (not merged). */
static struct dates *read_dates(const struct ynode *m, const char *key,
				size_t *n, struct diags *probs)
{
	const struct ynode *v = ynode_get(m, key);
	*n = 0;
	if (!v || ynode_is_null(v))
		return NULL;
	if (v->kind != YN_SEQ) {
		diag_add(probs, v->line, key,
			 "expected a list of dates such as [2026-01-01, "
			 "2026-02-15..2026-02-23], "
			 "not %s",
			 ynode_kind_name(v));
		return NULL;
	}
	struct dates *out = xcalloc(v->n + 1, sizeof(*out));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->kids[i];
		if (it->kind != YN_SCALAR || ynode_is_null(it)) {
			diag_add(probs, it->line, key,
				 "item %zu: expected a date, not %s", i + 1,
				 ynode_is_null(it) ? "an empty value"
						   : ynode_kind_name(it));
			continue;
		}
		const char *dots = strstr(it->str, "..");
		struct dates d = {0, 0, it->line};
		int ok = dots ? read_date(it->str, dots - it->str, &d.from) &&
				    read_date(dots + 2, strlen(dots + 2), &d.to)
			      : read_date(it->str, strlen(it->str), &d.from);
		if (!dots)
			d.to = d.from;
		if (!ok) {
			diag_add(probs, it->line, key,
				 "'%.40s' is not a date YYYY-MM-DD or a range "
				 "FROM..TO",
				 it->str);
			continue;
		}
		if (d.to < d.from) {
			diag_add(probs, it->line, key,
				 "'%.40s' ends before it begins", it->str);
			continue;
		}
		out[(*n)++] = d;
	}
	qsort(out, *n, sizeof(*out), dates_cmp);
	return out;
}

static void merge_dates(struct dates *v, size_t *n)
{
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		if (k && v[i].from <= v[k - 1].to + 1) {
			if (v[i].to > v[k - 1].to)
				v[k - 1].to = v[i].to;
		} else {
			v[k++] = v[i];
		}
	}
	*n = k;
}

static void fmt_date(int64_t days, char out[16])
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

static void hours_copy(struct hours *dst, const struct hours *src)
{
	dst->n = src->n;
	dst->v = xmalloc((src->n + 1) * sizeof(*dst->v));
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
}

static void calendar_free(struct calendar *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->zone_name);
	zone_free(c->zone);
	for (int i = 0; i < 7; i++)
		free(c->week[i].v);
	free(c->workday.v);
	free(c->hol);
	free(c->work);
	if (c->days)
		for (size_t i = 0; i < DAY_SLOTS; i++)
			if (c->days[i].v != c->days[i].inl)
				free(c->days[i].v);
	free(c->days);
	free(c->years);
	free(c);
}

static struct calendar *read_calendar(const struct ynode *key,
				      const struct ynode *val,
				      struct diags *probs)
{
	static const char *const keys[] = {
	    "zone", "weekdays", "daily", "mon",	     "tue",	 "wed", "thu",
	    "fri",  "sat",	"sun",	 "holidays", "workdays", NULL,
	};
	size_t before = probs->n;
	const struct ynode *m = yexpect_map(val, "a calendar", probs);
	if (!m)
		return NULL;
	struct calendar *c = xcalloc(1, sizeof(*c));
	c->name = xstrdup(key->str);
	ycheck_keys(m, keys, "a calendar", probs);

	const char *zone = yget_str(m, "zone", 1, probs);
	if (zone) {
		struct kf_err why;
		c->zone_name = xstrdup(zone);
		if (zone_load(zone, &c->zone, &why))
			diag_add(probs, ynode_get(m, "zone")->line, "zone", "%s", why.msg);
	}

	struct hours wk, daily, own[7];
	size_t hours_probs = probs->n;
	int has_wk = read_hours(m, "weekdays", &wk, probs);
	int has_daily = read_hours(m, "daily", &daily, probs);
	if (has_wk && has_daily)
		diag_add(probs, ynode_get(m, "daily")->line, "daily",
			 "weekdays and daily cannot both be given: use one, "
			 "and day keys such "
			 "as sat for the exceptions");
	const struct hours *shorthand = has_wk ? &wk : &daily;
	for (int i = 0; i < 7; i++) {
		if (read_hours(m, day_keys[i], &own[i], probs))
			hours_copy(&c->week[i], &own[i]);
		else if (has_daily || (has_wk && i < 5))
			hours_copy(&c->week[i], shorthand);
		else
			c->week[i].v = xcalloc(1, sizeof(*c->week[i].v));
		for (size_t j = 0; j < c->week[i].n; j++)
			c->weekly +=
			    c->week[i].v[j].close - c->week[i].v[j].open;
	}
	int bad_hours = probs->n > hours_probs;
	/* A 调休 workday works Monday's hours, or the shorthand's when Monday
	 * is closed. */
	if (own[0].n || !shorthand->n)
		hours_copy(&c->workday, &own[0]);
	else
		hours_copy(&c->workday, shorthand);

	c->hol = read_dates(m, "holidays", &c->nhol, probs);
	merge_dates(c->hol, &c->nhol);
	c->work = read_dates(m, "workdays", &c->nwork, probs);
	for (size_t i = 0; i < c->nwork; i++) {
		char a[16];
		fmt_date(c->work[i].from, a);
		if (!c->workday.n) {
			diag_add(probs, c->work[i].line, "workdays",
				 "workday %s has no hours to work: give mon or "
				 "weekdays hours",
				 a);
			continue;
		}
		for (int64_t d = c->work[i].from; d <= c->work[i].to; d++) {
			if (in_dates(c->hol, c->nhol, d)) {
				fmt_date(d, a);
				diag_add(probs, c->work[i].line, "workdays",
					 "%s is both a holiday and a workday",
					 a);
				break;
			}
		}
	}
	merge_dates(c->work, &c->nwork);
	/* Open on workdays alone, a calendar runs out of hours after the last.
	 */
	c->last_day = c->weekly	 ? DAY_MAX
		      : c->nwork ? c->work[c->nwork - 1].to
				 : DAY_MIN - 1;
	/* Hours left out for their errors would only repeat those. */
	if (!c->weekly && !c->nwork && !bad_hours)
		diag_add(probs, key->line, c->name,
			 "calendar '%s' has no hours on any day", c->name);

	free(wk.v);
	free(daily.v);
	for (int i = 0; i < 7; i++)
		free(own[i].v);
	if (probs->n > before) {
		calendar_free(c);
		return NULL;
	}
	return c;
}

enum kf_status calendars_parse(const char *buf, size_t len,
			       struct calendars *cals, struct diags *probs)
{
	static const char *const keys[] = {"calendars", NULL};
	struct ydoc doc;
	char msg[512];
	int line;
	size_t before = probs->n;

	cals->v = NULL;
	cals->n = 0;
	if (ydoc_parse(buf, len, &doc, &line, msg, sizeof(msg))) {
		diag_add(probs, line, NULL, "%s", msg);
		return KF_EINVAL;
	}
	const struct ynode *root =
	    yexpect_map(doc.root, "calendars.yaml", probs);
	const struct ynode *all = root ? ynode_get(root, "calendars") : NULL;
	if (root) {
		ycheck_keys(root, keys, NULL, probs);
		if (!all || ynode_is_null(all)) {
			diag_add(probs, root->line, "calendars",
				 "required key is missing");
			all = NULL;
		} else if (all->kind != YN_MAP) {
			diag_add(
			    probs, all->line, "calendars",
			    "expected a mapping of calendars by name, not %s",
			    ynode_kind_name(all));
			all = NULL;
		}
	}
	if (all) {
		cals->v = xcalloc(all->n + 1, sizeof(*cals->v));
		for (size_t i = 0; i < all->n; i++) {
			struct calendar *c = read_calendar(
			    all->kids[2 * i], all->kids[2 * i + 1], probs);
			if (c)
				cals->v[cals->n++] = c;
		}
	}
	ydoc_release(&doc);
	if (probs->n > before) {
		calendars_release(cals);
		return KF_EINVAL;
	}
	return KF_OK;
}

void calendars_release(struct calendars *cals)
{
	for (size_t i = 0; i < cals->n; i++)
		calendar_free(cals->v[i]);
	free(cals->v);
	cals->v = NULL;
	cals->n = 0;
}

/* ---- Durations ---- */

enum kf_status duration_parse(const char *s, int64_t *secs, struct kf_err *err)
{
	static const char units[] = "dhms";
	static const int64_t mult[] = {86400, 3600, 60, 1};
	int64_t total = 0;
	int next = 0; /* units come largest first, each once */
	const char *p = s;

	if (!*p)
		goto bad;
	while (*p) {
		int64_t v = 0;
		if (*p < '0' || *p > '9')
			goto bad;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (*p++ - '0');
			if (v > DURATION_MAX)
				goto big;
		}
		const char *u = *p ? strchr(units, *p) : NULL;
		if (!u || u - units < next)
			goto bad;
		next = (int)(u - units) + 1;
		if (v > (DURATION_MAX - total) / mult[u - units])
			goto big;
		total += v * mult[u - units];
		p++;
	}
	*secs = total;
	return KF_OK;
bad:
	return kf_fail(err, KF_EINVAL,
		       "bad duration '%.40s': expected numbers with units d h "
		       "m s, largest "
		       "first, as in 90s, 1h30m or 3d",
		       s);
big:
	return kf_fail(err, KF_EINVAL,
		       "bad duration '%.40s': longer than %lld seconds", s,
		       (long long)DURATION_MAX);
}

void duration_format(int64_t secs, char out[40])
{
	/*
	 * Hours at most: in business time a "day" of 24 hours is three
	 * working days or more, so "2d" would mislead where "48h" does not.
	 */
	static const char units[] = "hms";
	static const uint64_t mult[] = {3600, 60, 1};
	uint64_t m = secs < 0 ? -(uint64_t)secs : (uint64_t)secs;
	size_t len = 0;

	if (!m) {
		strcpy(out, "0s");
		return;
	}
	if (secs < 0)
		out[len++] = '-';
	for (int i = 0; i < 3; i++) {
		uint64_t q = m / mult[i];
		m %= mult[i];
		if (q)
			len += snprintf(out + len, 40 - len, "%llu%c",
					(unsigned long long)q, units[i]);
	}
	out[len] = '\0';
}
