#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "isotime.h"
#include "sbuf.h"
#include "timeline.h"

static const char *const by_names[] = {
	[REPORT_BY_AGENT] = "agent", [REPORT_BY_DEPARTMENT] = "department",
	[REPORT_BY_CHANNEL] = "channel", [REPORT_BY_TYPE] = "type",
	[REPORT_BY_PRIORITY] = "priority", [REPORT_BY_DAY] = "day",
	[REPORT_BY_WEEK] = "week", [REPORT_BY_MONTH] = "month",
};

/* The ticket field a view groups by; NULL for a time view. */
static const char *const by_fields[] = {
	[REPORT_BY_AGENT] = "assignee", [REPORT_BY_DEPARTMENT] = "department",
	[REPORT_BY_CHANNEL] = "channel", [REPORT_BY_TYPE] = "type",
	[REPORT_BY_PRIORITY] = "priority",
};

int report_by_parse(const char *s, enum report_by *by)
{
	for (int i = REPORT_BY_AGENT; i <= REPORT_BY_MONTH; i++)
		if (!strcmp(s, by_names[i])) {
			*by = (enum report_by)i;
			return 1;
		}
	return 0;
}

const char *report_by_name(enum report_by by)
{
	return by > REPORT_BY_NONE && by <= REPORT_BY_MONTH ? by_names[by] : NULL;
}

static int time_view(enum report_by by)
{
	return by == REPORT_BY_DAY || by == REPORT_BY_WEEK || by == REPORT_BY_MONTH;
}

static void figures_init(struct report_figures *g, const char *group)
{
	memset(g, 0, sizeof(*g));
	g->group = group ? xstrdup(group) : NULL;
}

static void figures_release(struct report_figures *g)
{
	free(g->group);
	samples_release(&g->response);
	samples_release(&g->resolution);
}

/* ---- one walk over the tickets ---- */

#define MAX_GROUPS 16

struct walk {
	struct workflows *wf;
	const struct period *p;
	struct report *r;
	int64_t now;
	struct timeline tl;
	struct span *pauses; /* the ticket's, a running one ended now */
	size_t npauses, apauses;
	const struct calendar *cal;
	struct report_figures *fields[MAX_GROUPS]; /* the ticket's group in each field view */
};

static int in_period(const struct walk *w, int64_t at)
{
	return at != TIME_NONE && at >= w->p->from && at < w->p->until;
}

/* The unit of a time view holding at (the view has every unit of the period). */
static struct report_figures *unit_of(struct report_view *v, int64_t at)
{
	size_t lo = 0, hi = v->n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (v->v[mid].from <= at)
			lo = mid;
		else
			hi = mid;
	}
	return v->n ? &v->v[lo] : NULL;
}

static struct report_figures *group_named(struct report_view *v, const char *name)
{
	for (size_t i = v->n; i-- > 0;)
		if (!strcmp(v->v[i].group, name))
			return &v->v[i];
	ALLOC_GROW(v->v, v->n + 1, v->alloc);
	figures_init(&v->v[v->n], name);
	return &v->v[v->n++];
}

/*
 * The groups a thing at instant at counts in: the whole and one in each
 * view. 0 when at is outside the period: it counts nowhere.
 */
static size_t groups_at(struct walk *w, int64_t at, struct report_figures **out)
{
	if (!in_period(w, at))
		return 0;
	size_t n = 0;
	out[n++] = &w->r->total;
	for (size_t i = 0; i < w->r->nviews; i++) {
		struct report_figures *g = time_view(w->r->views[i].by)
						   ? unit_of(&w->r->views[i], at)
						   : w->fields[i];
		if (g)
			out[n++] = g;
	}
	return n;
}

/* Seconds in [from, to) that count: business ones on cal, less the pauses. */
static int64_t span_time(const struct walk *w, int64_t from, int64_t to)
{
	if (to <= from)
		return 0;
	if (w->cal)
		return calendar_between(w->cal, from, to, w->pauses, w->npauses);
	int64_t secs = to - from;
	for (size_t i = 0; i < w->npauses; i++) {
		int64_t a = w->pauses[i].start > from ? w->pauses[i].start : from;
		int64_t b = w->pauses[i].end < to ? w->pauses[i].end : to;
		if (b > a)
			secs -= b - a;
	}
	return secs > 0 ? secs : 0;
}

/*
 * A clock of dur from start, stopped at stop (TIME_NONE: running):
 * decided, met or not, at *at; 0 when it is not decided by now.
 */
static int clock_decided(const struct walk *w, int64_t start, int64_t stop, int64_t dur,
			 int *met, int64_t *at)
{
	if (stop != TIME_NONE && span_time(w, start, stop) <= dur) {
		*met = 1;
		*at = stop;
		return 1;
	}
	int64_t due;
	struct kf_err ignored;
	if (!w->cal) {
		/* plain seconds: due when dur of them, pauses left out, have passed */
		due = start + dur;
		for (size_t i = 0; i < w->npauses; i++)
			if (w->pauses[i].end > start && w->pauses[i].start < due)
				due += w->pauses[i].end - (w->pauses[i].start > start
								   ? w->pauses[i].start
								   : start);
	} else if (calendar_due(w->cal, start, dur, w->pauses, w->npauses, &due, &ignored)) {
		return 0;
	}
	if (due > w->now)
		return 0;
	*met = 0;
	*at = due;
	return 1;
}

static void clock(struct walk *w, int response, int64_t start, int64_t stop, int64_t dur)
{
	struct report_figures *g[MAX_GROUPS + 1];
	int met;
	int64_t at;
	if (!clock_decided(w, start, stop, dur, &met, &at))
		return;
	size_t n = groups_at(w, at, g);
	for (size_t i = 0; i < n; i++) {
		if (response) {
			g[i]->response_clocks++;
			g[i]->response_ok += met;
		} else {
			g[i]->resolve_clocks++;
			g[i]->resolve_ok += met;
		}
	}
}

static int is(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

static enum kf_status one(void *ctx, const struct ticket_history *h, struct kf_err *err)
{
	struct walk *w = ctx;
	const struct ticket *t = h->t;
	struct timeline *tl = &w->tl;
	struct report_figures *g[MAX_GROUPS + 1];
	size_t n;
	(void)err;

	if (t->created >= w->p->until)
		return KF_OK;
	timeline_read(tl, h);
	w->npauses = 0;
	for (size_t i = 0; i < h->npauses; i++) {
		ALLOC_GROW(w->pauses, w->npauses + 1, w->apauses);
		w->pauses[w->npauses] = h->pauses[i];
		if (h->pauses[i].end == TIME_NONE)
			w->pauses[w->npauses].end = w->now > h->pauses[i].start ? w->now
										: h->pauses[i].start;
		w->npauses++;
	}
	/* A policy since renamed or removed: the one that matches now (as sla-check). */
	const struct sla_policy *pol = sla_find(&w->wf->sla, t->sla_policy);
	if (!pol && t->sla_policy)
		pol = sla_match(&w->wf->sla, t);
	w->cal = pol ? calendars_find(&w->wf->calendars, pol->calendar) : NULL;
	for (size_t i = 0; i < w->r->nviews; i++) {
		enum report_by by = w->r->views[i].by;
		w->fields[i] = NULL;
		if (!time_view(by)) {
			const char *v = timeline_text_at(h, by_fields[by], w->p->until);
			w->fields[i] = group_named(&w->r->views[i], v ? v : "");
		}
	}

	n = groups_at(w, t->created, g);
	for (size_t i = 0; i < n; i++)
		g[i]->opened++;

	if (t->first_response != TIME_NONE) {
		int64_t secs = span_time(w, t->created, t->first_response);
		n = groups_at(w, t->first_response, g);
		for (size_t i = 0; i < n; i++) {
			g[i]->answered++;
			g[i]->response_sum += secs;
			samples_add(&g[i]->response, secs);
			g[i]->response_hist[figure_bucket(secs)]++;
		}
	}
	/* The response clock stops at the first reply, or at a resolution before one. */
	int64_t stop = t->first_response;
	if (tl->first_resolution != TIME_NONE && (stop == TIME_NONE || tl->first_resolution < stop))
		stop = tl->first_resolution;
	if (pol)
		clock(w, 1, t->created, stop, pol->response);

	/* Transfers and reopenings before the period ended spoil a first contact. */
	int handed = 0, reopened = 0;
	for (size_t i = 0; i < h->nevents; i++) {
		const struct ticket_event *e = &h->events[i];
		if (e->at >= w->p->until)
			continue;
		if (is(e->what, "transfer"))
			handed = 1;
		if (is(e->what, "kb-use")) {
			n = groups_at(w, e->at, g);
			for (size_t k = 0; k < n; k++)
				g[k]->kb_uses++;
		}
	}
	for (size_t i = 0; i < tl->nturns; i++) {
		if (!tl->turns[i].n || tl->turns[i].at >= w->p->until)
			continue;
		reopened = 1;
		n = groups_at(w, tl->turns[i].at, g);
		for (size_t k = 0; k < n; k++)
			g[k]->reopened++;
	}

	if (tl->first_resolution != TIME_NONE) {
		int64_t secs = span_time(w, t->created, tl->first_resolution);
		n = groups_at(w, tl->first_resolution, g);
		for (size_t i = 0; i < n; i++) {
			g[i]->resolved++;
			g[i]->resolution_sum += secs;
			samples_add(&g[i]->resolution, secs);
			g[i]->resolution_hist[figure_bucket(secs)]++;
			g[i]->worked_sum += t->worked;
			g[i]->first_contact += !handed && !reopened;
		}
	}
	/* The resolve clock runs again from each reopening. */
	int64_t start, end;
	for (size_t i = 0; pol && timeline_open_span(tl, i, &start, &end); i++)
		clock(w, 0, start, end, pol->resolve);

	/* The last rating given in the period. */
	for (size_t i = tl->nrat; i-- > 0;) {
		if (!in_period(w, tl->ratings[i].at))
			continue;
		int64_t score = tl->ratings[i].n;
		n = groups_at(w, tl->ratings[i].at, g);
		for (size_t k = 0; k < n; k++) {
			g[k]->rated++;
			g[k]->score_sum += score;
			g[k]->happy += score >= 4;
			g[k]->scores[score - 1]++;
		}
		break;
	}
	for (size_t i = 0; i < tl->nesc; i++) {
		n = groups_at(w, tl->escalations[i].at, g);
		for (size_t k = 0; k < n; k++)
			g[k]->escalated++;
	}
	for (size_t i = 0; i < tl->nurge; i++) {
		n = groups_at(w, tl->urges[i].at, g);
		for (size_t k = 0; k < n; k++)
			g[k]->urged += tl->urges[i].n;
	}

	/* Backlog: open at the end of the period, or of each unit of a time view. */
	if (timeline_open_at(tl, w->p->until)) {
		w->r->total.backlog++;
		for (size_t i = 0; i < w->r->nviews; i++)
			if (w->fields[i])
				w->fields[i]->backlog++;
	}
	for (size_t i = 0; i < w->r->nviews; i++) {
		struct report_view *v = &w->r->views[i];
		if (!time_view(v->by))
			continue;
		for (size_t k = 0; k < v->n; k++)
			if (v->v[k].until > t->created && timeline_open_at(tl, v->v[k].until))
				v->v[k].backlog++;
	}
	return KF_OK;
}

/* ---- the figures from the counts ---- */

static void finish(struct report_figures *g, const struct targets *t, const char *department)
{
	g->first_response_mean = figure_mean(g->response_sum, g->answered);
	g->first_response_median = figure_percentile(&g->response, 50);
	g->first_response_p90 = figure_percentile(&g->response, 90);
	g->resolution_mean = figure_mean(g->resolution_sum, g->resolved);
	g->resolution_median = figure_percentile(&g->resolution, 50);
	g->resolution_p90 = figure_percentile(&g->resolution, 90);
	g->response_met = figure_share(g->response_ok, g->response_clocks);
	g->resolve_met = figure_share(g->resolve_ok, g->resolve_clocks);
	g->fcr = figure_share(g->first_contact, g->resolved);
	g->csat = figure_score(g->score_sum, g->rated);
	g->satisfied = figure_share(g->happy, g->rated);
	g->handle_mean = figure_mean(g->worked_sum, g->resolved);
	targets_for(t, department, &g->targets);
	/* The samples have given their figures. */
	samples_release(&g->response);
	samples_release(&g->resolution);
}

static int by_group(const void *a, const void *b)
{
	return strcmp(((const struct report_figures *)a)->group,
		      ((const struct report_figures *)b)->group);
}

enum kf_status report_make(struct store *st, struct workflows *wf, const struct targets *t,
			   const struct period *p, const enum report_by *bys, size_t n,
			   int64_t now, struct report *r, struct kf_err *err)
{
	memset(r, 0, sizeof(*r));
	r->period = *p;
	figures_init(&r->total, NULL);
	r->views = xcalloc(n + 1, sizeof(*r->views));
	for (size_t i = 0; i < n && r->nviews < MAX_GROUPS; i++) {
		if (bys[i] == REPORT_BY_NONE)
			continue;
		struct report_view *v = &r->views[r->nviews++];
		v->by = bys[i];
		if (!time_view(v->by))
			continue;
		struct period *units;
		size_t nu;
		period_units(wf, p, v->by == REPORT_BY_DAY ? PERIOD_DAY
				    : v->by == REPORT_BY_WEEK ? PERIOD_WEEK
							      : PERIOD_MONTH,
			     &units, &nu);
		v->v = xcalloc(nu + 1, sizeof(*v->v));
		v->n = v->alloc = nu;
		for (size_t k = 0; k < nu; k++) {
			figures_init(&v->v[k], units[k].key);
			v->v[k].from = units[k].from;
			v->v[k].until = units[k].until;
		}
		free(units);
	}

	struct walk w = { .wf = wf, .p = p, .r = r, .now = now };
	struct ticket_filter f;
	ticket_filter_init(&f);
	f.until = p->until;
	f.touched_since = p->from;
	enum kf_status ret = store_histories_each(st, &f, one, &w, err);
	timeline_release(&w.tl);
	free(w.pauses);
	if (ret) {
		report_release(r);
		return ret;
	}
	finish(&r->total, t, NULL);
	for (size_t i = 0; i < r->nviews; i++) {
		struct report_view *v = &r->views[i];
		if (!time_view(v->by))
			if (v->n)
				qsort(v->v, v->n, sizeof(*v->v), by_group);
		for (size_t k = 0; k < v->n; k++)
			finish(&v->v[k], t, v->by == REPORT_BY_DEPARTMENT ? v->v[k].group : NULL);
	}
	return KF_OK;
}

void report_release(struct report *r)
{
	figures_release(&r->total);
	for (size_t i = 0; i < r->nviews; i++) {
		for (size_t k = 0; k < r->views[i].n; k++)
			figures_release(&r->views[i].v[k]);
		free(r->views[i].v);
	}
	free(r->views);
	memset(r, 0, sizeof(*r));
}

int64_t report_target_figure(const struct report_figures *g, enum target_figure f)
{
	switch (f) {
	case TARGET_FIRST_RESPONSE_MEAN:
		return g->first_response_mean;
	case TARGET_RESOLUTION_MEAN:
		return g->resolution_mean;
	case TARGET_FCR:
		return g->fcr;
	case TARGET_CSAT:
		return g->csat;
	case TARGET_HANDLE_MEAN:
		return g->handle_mean;
	default:
		return FIGURE_NONE;
	}
}

int report_target_met(const struct report_figures *g, enum target_figure f)
{
	return target_met(f, report_target_figure(g, f), g->targets.v[f]);
}
