/*
 * report: a period's figures (ticket-report), made in one read of the
 * tickets that may have done anything in it (store_histories_each) and
 * defined once, here; ticket-report(1) writes the same definitions for
 * people.
 *
 * Each thing counted has an instant, and counts in the period when the
 * instant falls in it: a ticket opened (its creation), resolved (the
 * first time it stopped being open), answered (its first reply), a
 * clock decided (met when it stopped, missed when it came due), a
 * rating, a reopening, an escalation, a chase, a script used on it.
 * Backlog is the tickets open at the end of the period (of the group's
 * day, week or month in a time view).
 *
 * Views: the figures grouped one way (report_by). In a view by a
 * ticket's field, a ticket belongs to the group its field held at the
 * end of the period, so every count of the groups adds up to the
 * whole's; in a view by day, week or month, each thing counts in the
 * unit its instant falls in, every unit of the period shown.
 *
 * Times are business seconds on the calendar of the ticket's SLA policy,
 * its paused spans left out; a ticket without a policy (or whose
 * calendar is gone) is timed in plain seconds, pauses left out too.
 *
 * Ownership: report_release() frees everything report_make() filled.
 */
#ifndef KEFU_REPORT_H
#define KEFU_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "figures.h"
#include "period.h"
#include "status.h"
#include "store.h"
#include "targets.h"
#include "workflows.h"

enum report_by {
	REPORT_BY_NONE,
	REPORT_BY_AGENT,
	REPORT_BY_DEPARTMENT,
	REPORT_BY_CHANNEL,
	REPORT_BY_TYPE,
	REPORT_BY_PRIORITY,
	REPORT_BY_DAY,
	REPORT_BY_WEEK,
	REPORT_BY_MONTH,
};

/* "agent"... -> *by; 0 when s names none of them. */
int report_by_parse(const char *s, enum report_by *by);
/* Its name; REPORT_BY_NONE: NULL. */
const char *report_by_name(enum report_by by);

/*
 * One group's figures (figures.h's units; FIGURE_NONE: null). The
 * counters below them are what the figures were made from.
 */
struct report_figures {
	char *group; /* NULL: the whole period; "" a ticket without the field */
	int64_t opened, resolved, backlog;
	int64_t first_response_mean, first_response_median, first_response_p90;
	int64_t resolution_mean, resolution_median, resolution_p90;
	int64_t response_met, resolve_met; /* shares */
	int64_t fcr;                       /* share */
	int64_t csat, rated, satisfied;    /* hundredths, count, share */
	int64_t handle_mean;
	int64_t reopened, escalated, urged, kb_uses;
	struct target_set targets; /* what applies to the group */

	/* what they were made from */
	int64_t answered, response_clocks, response_ok, resolve_clocks, resolve_ok;
	int64_t first_contact, score_sum, happy, worked_sum, response_sum, resolution_sum;
	int64_t scores[5];                                   /* ratings 1..5 */
	int64_t response_hist[FIGURE_BUCKETS], resolution_hist[FIGURE_BUCKETS];
	struct samples response, resolution;
	int64_t from, until; /* a time view's unit: its instants */
};

struct report_view {
	enum report_by by;
	struct report_figures *v; /* by group: units in order, else by name (bytes) */
	size_t n, alloc;
};

struct report {
	struct period period;
	struct report_figures total;
	struct report_view *views;
	size_t nviews;
};

/*
 * The figures of period p in views bys[0..n) (REPORT_BY_NONE: the whole
 * only), each beside its target from t (a department's own in a view by
 * department). now: the instant a running pause counts to. KF_EDB.
 */
enum kf_status report_make(struct store *st, struct workflows *wf, const struct targets *t,
			   const struct period *p, const enum report_by *bys, size_t n,
			   int64_t now, struct report *r, struct kf_err *err);
void report_release(struct report *r);

/*
 * Is figure f of g on target: 1 met, 0 missed, -1 no target or no
 * figure. The figure a target names: first_response_mean and so on.
 */
int64_t report_target_figure(const struct report_figures *g, enum target_figure f);
int report_target_met(const struct report_figures *g, enum target_figure f);

#endif
