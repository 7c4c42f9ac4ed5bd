#include "slacheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

struct check {
	struct session *s;
	int64_t at;
	sla_reading_fn fn;
	void *ctx;
	struct sla_report *out;
	size_t alloc;
};

static enum kf_status read_one(void *ctx, const struct ticket *t, struct kf_err *err)
{
	struct check *c = ctx;
	struct session *s = c->s;
	struct span *pauses;
	size_t npauses;
	struct sla_clock clocks[2];
	enum kf_status st = store_pauses_get(s->store, t->id, &pauses, &npauses, err);
	if (st)
		return st;
	size_t k = sla_clocks(&s->wf.sla, &s->wf.calendars, t, pauses, npauses, c->at, clocks);
	free(pauses);
	for (size_t i = 0; i < k && !st; i++) {
		int bit = sla_clock_bit(&clocks[i]);
		if (!strcmp(clocks[i].state, "breached")) {
			c->out->breached++;
			if (!(t->escalated & bit)) {
				ALLOC_GROW(c->out->todo, c->out->ntodo + 1, c->alloc);
				struct breach *b = &c->out->todo[c->out->ntodo++];
				snprintf(b->id, sizeof(b->id), "%s", t->id);
				b->bit = bit;
				b->due = clocks[i].due;
			}
		}
		if (c->fn)
			st = c->fn(c->ctx, t, &clocks[i], err);
	}
	return st;
}

enum kf_status sla_check(struct session *s, int64_t at, sla_reading_fn fn, void *ctx,
			 struct sla_report *out, struct kf_err *err)
{
	struct check c = { s, at, fn, ctx, out, 0 };
	struct ticket_filter f;
	memset(out, 0, sizeof(*out));
	ticket_filter_init(&f);
	f.open = 1;
	f.with_policy = 1;
	f.order = TICKET_BY_ID;
	return store_tickets_each(s->store, &f, read_one, &c, err);
}

void sla_report_release(struct sla_report *r)
{
	free(r->todo);
	memset(r, 0, sizeof(*r));
}
