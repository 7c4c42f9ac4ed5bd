#include "slaclock.h"

#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "sbuf.h"

/* An open pause counts as far as at. */
static struct span *close_at(const struct span *p, size_t n, int64_t at)
{
	struct span *v = xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i] = p[i];
		if (v[i].end == TIME_NONE || v[i].end > at)
			v[i].end = at > v[i].start ? at : v[i].start;
	}
	return v;
}

enum kf_status sla_set_dues(const struct sla_policy *p, const struct calendar *cal,
			    struct ticket *t, const struct span *pauses, size_t npauses,
			    int64_t now, struct kf_err *err)
{
	ticket_set(&t->sla_policy, p ? p->name : NULL);
	if (!p) {
		t->response_due = t->resolve_due = TIME_NONE;
		return KF_OK;
	}
	/* A pause still running counts until now; resuming recomputes. */
	struct span *upto = close_at(pauses, npauses, now);
	enum kf_status st = KF_OK;
	if (t->first_response == TIME_NONE)
		st = calendar_due(cal, t->created, p->response, upto, npauses, &t->response_due,
				  err);
	if (!st && ticket_is_open(t->status)) {
		int64_t from = t->resolve_start != TIME_NONE ? t->resolve_start : t->created;
		st = calendar_due(cal, from, p->resolve, upto, npauses, &t->resolve_due, err);
	}
	free(upto);
	return st;
}

int sla_clock_bit(const struct sla_clock *c)
{
	return !strcmp(c->clock, "response") ? ESCALATED_RESPONSE : ESCALATED_RESOLVE;
}

static void reading(const struct calendar *cal, const char *name, int64_t from, int64_t dur,
		    int64_t stored_due, const struct span *pauses, size_t n, int64_t at, int warn,
		    struct sla_clock *c)
{
	int paused = n && pauses[n - 1].end == TIME_NONE && pauses[n - 1].start <= at;
	struct span *upto = close_at(pauses, n, at);
	int64_t used = calendar_between(cal, from, at, upto, n);
	c->clock = name;
	c->left = dur - used;
	c->paused = paused;
	/*
	 * Due is the last moment the promise holds: breached only after it.
	 * A clock stopped while waiting on the customer is neither ok nor
	 * soon but paused; one breached before it stopped stays breached.
	 */
	c->state = used > dur ? "breached"
		   : paused ? "paused"
		   : used * 100 >= dur * (int64_t)warn ? "soon"
						       : "ok";
	c->due = stored_due;
	if (paused || stored_due == TIME_NONE) {
		/* Its due time moves while paused: as if it resumed now. */
		struct kf_err ignored;
		if (calendar_due(cal, from, dur, upto, n, &c->due, &ignored))
			c->due = TIME_NONE;
	}
	free(upto);
}

size_t sla_clocks(const struct sla *sla, const struct calendars *cals, const struct ticket *t,
		  const struct span *pauses, size_t npauses, int64_t at, struct sla_clock out[2])
{
	/* A policy since renamed or removed: the one that matches now. */
	const struct sla_policy *p = sla_find(sla, t->sla_policy);
	if (!p && t->sla_policy)
		p = sla_match(sla, t);
	if (!p || !ticket_is_open(t->status))
		return 0;
	const struct calendar *cal = calendars_find(cals, p->calendar);
	if (!cal)
		return 0;
	size_t k = 0;
	if (t->first_response == TIME_NONE)
		reading(cal, "response", t->created, p->response, t->response_due, pauses, npauses,
			at, sla->warn, &out[k++]);
	reading(cal, "resolve", t->resolve_start != TIME_NONE ? t->resolve_start : t->created,
		p->resolve,
		t->resolve_due, pauses, npauses, at, sla->warn, &out[k++]);
	return k;
}
