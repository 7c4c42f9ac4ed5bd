/*
 * period: the days a report covers, in the desk's zone (workflows.h:
 * the zone of the calendar "business", else of the first calendar, else
 * $TZ), and the days, ISO weeks and months within them.
 *
 * A period is whole days, from the midnight that starts its first day
 * to the one that ends its last, so a day of a daylight-saving change is
 * 23 or 25 hours long as it really is.
 */
#ifndef KEFU_PERIOD_H
#define KEFU_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "workflows.h"

enum period_unit { PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH };

struct period {
	int64_t from, until;	 /* the instants [from, until) */
	char first[11], last[11]; /* its first and last day, YYYY-MM-DD, both included */
	/* Within a report: the unit's name, 2026-03-02, 2026-W10 or 2026-03. */
	char key[11];
};

/*
 * The days first to last (YYYY-MM-DD, both included; last NULL: up to
 * the day of now). KF_EINVAL naming a date that is not one, or when
 * last comes before first.
 */
enum kf_status period_days(struct workflows *wf, const char *first, const char *last,
			   int64_t now, struct period *p, struct kf_err *err);

/*
 * A day, a week (Monday to Sunday, ISO 8601) or a month: the one holding
 * when (YYYY-MM-DD; a month YYYY-MM), or without when the last whole one
 * before the one holding now: yesterday, last week, last month.
 * KF_EINVAL for a date that is not one.
 */
enum kf_status period_of(struct workflows *wf, enum period_unit u, const char *when,
			 int64_t now, struct period *p, struct kf_err *err);

/*
 * The days, weeks or months that p covers, in order, each cut to p and
 * named in its key; *v allocated (free()), *n of them.
 */
void period_units(struct workflows *wf, const struct period *p, enum period_unit u,
		  struct period **v, size_t *n);

/* The key of the day, week or month instant t falls in (11 bytes). */
void period_key(struct workflows *wf, enum period_unit u, int64_t t, char key[11]);

#endif
