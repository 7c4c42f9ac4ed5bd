#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "sbuf.h"

static void mark(struct timeline_mark **v, size_t *n, size_t *alloc, int64_t at, int64_t k)
{
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[*n].at = at;
	(*v)[(*n)++].n = k;
}

static int is(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

/* A whole number written by ticket_field_text(), else 0. */
static int64_t number(const char *s)
{
	if (!s || !*s)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end ? 0 : (int64_t)v;
}

/* When a ticket without the story of its end ended: resolved, closed, last changed. */
static int64_t ended(const struct ticket *t)
{
	return t->resolved != TIME_NONE ? t->resolved
	       : t->closed != TIME_NONE ? t->closed
					: t->updated;
}

void timeline_read(struct timeline *tl, const struct ticket_history *h)
{
	const struct ticket *t = h->t;
	int rated = 0, any_status = 0;
	tl->created = t->created;
	tl->nturns = tl->nesc = tl->nurge = tl->nrat = 0;
	tl->nresolutions = tl->nreopenings = 0;
	tl->open0 = 1;
	tl->first_resolution = TIME_NONE;
	tl->transferred = tl->scripted = 0;
	int open = 1;
	for (size_t i = 0; i < h->nevents; i++) {
		const struct ticket_event *e = &h->events[i];
		if (is(e->what, "transfer"))
			tl->transferred = 1;
		if (is(e->what, "kb-use"))
			tl->scripted = 1;
		if (!e->field)
			continue;
		if (is(e->field, "status")) {
			int was = e->before && ticket_is_open(e->before);
			int now = e->after && ticket_is_open(e->after);
			if (!any_status++)
				open = tl->open0 = was;
			if (now == open)
				continue;
			open = now;
			mark(&tl->turns, &tl->nturns, &tl->aturns, e->at, now);
			if (now) {
				tl->nreopenings++;
			} else {
				if (!tl->nresolutions++)
					tl->first_resolution = e->at;
			}
		} else if (is(e->field, "escalated") && is(e->what, "escalate")) {
			mark(&tl->escalations, &tl->nesc, &tl->aesc, e->at, 1);
		} else if (is(e->field, "urged")) {
			int64_t more = number(e->after) - number(e->before);
			if (more > 0)
				mark(&tl->urges, &tl->nurge, &tl->aurge, e->at, more);
		} else if (is(e->field, "satisfaction")) {
			int64_t score = number(e->after);
			rated = 1;
			if (score >= 1 && score <= 5)
				mark(&tl->ratings, &tl->nrat, &tl->arat, e->at, score);
		}
	}
	/* Not open, and the events never said when it ended. */
	if (!ticket_is_open(t->status) && open) {
		int64_t at = ended(t);
		if (at < t->created)
			at = t->created;
		mark(&tl->turns, &tl->nturns, &tl->aturns, at, 0);
		if (!tl->nresolutions++)
			tl->first_resolution = at;
	}
	if (!rated && t->satisfaction >= 1 && t->satisfaction <= 5)
		mark(&tl->ratings, &tl->nrat, &tl->arat, t->closed != TIME_NONE ? t->closed : ended(t),
		     t->satisfaction);
}

void timeline_release(struct timeline *tl)
{
	free(tl->turns);
	free(tl->escalations);
	free(tl->urges);
	free(tl->ratings);
	memset(tl, 0, sizeof(*tl));
}

int timeline_open_at(const struct timeline *tl, int64_t at)
{
	if (tl->created >= at)
		return 0;
	int open = tl->open0;
	for (size_t i = 0; i < tl->nturns && tl->turns[i].at < at; i++)
		open = (int)tl->turns[i].n;
	return open;
}

int timeline_open_span(const struct timeline *tl, size_t i, int64_t *start, int64_t *end)
{
	/* The turns alternate: open spans start at creation (when open0) and at each reopening. */
	size_t k = 0;
	int64_t from = tl->open0 ? tl->created : TIME_NONE;
	for (size_t j = 0; j <= tl->nturns; j++) {
		int64_t at = j < tl->nturns ? tl->turns[j].at : TIME_NONE;
		int opens = j < tl->nturns && tl->turns[j].n;
		if (from != TIME_NONE && !opens) {
			if (k++ == i) {
				*start = from;
				*end = at;
				return 1;
			}
			from = TIME_NONE;
		} else if (opens) {
			from = at;
		}
	}
	return 0;
}

const char *timeline_text_at(const struct ticket_history *h, const char *name, int64_t at)
{
	const char *v = NULL;
	for (size_t i = 0; i < ticket_nfields; i++)
		if (ticket_fields[i].type == TF_TEXT && !strcmp(ticket_fields[i].name, name))
			v = *ticket_text(h->t, i);
	/* Undone latest first. */
	for (size_t i = h->nevents; i-- > 0;) {
		const struct ticket_event *e = &h->events[i];
		if (e->at >= at && is(e->field, name))
			v = e->before;
	}
	return v;
}
