#include "slacheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

/* A pause of some ticket. */
struct pause {
	char id[TICKET_ID_SIZE];
	struct span span;
};

struct check {
	struct session *s;
	int64_t at;
	sla_reading_fn fn;
	void *ctx;
	struct sla_report *out;
	size_t alloc;
	struct pause *pauses; /* of every ticket checked, by ticket id then start */
	size_t npauses, palloc, next;
	struct span *spans; /* the current ticket's */
	size_t salloc;
};

static enum kf_status add_pause(void *ctx, const char *id, const struct span *p,
				struct kf_err *err)
{
	struct check *c = ctx;
	(void)err;
	ALLOC_GROW(c->pauses, c->npauses + 1, c->palloc);
	snprintf(c->pauses[c->npauses].id, TICKET_ID_SIZE, "%s", id);
	c->pauses[c->npauses++].span = *p;
	return KF_OK;
}

/* The pauses of ticket id, from those read at the start: both go by id. */
static size_t pauses_of(struct check *c, const char *id)
{
	size_t n = 0;
	while (c->next < c->npauses && strcmp(c->pauses[c->next].id, id) < 0)
		c->next++;
	for (; c->next < c->npauses && !strcmp(c->pauses[c->next].id, id); c->next++) {
		ALLOC_GROW(c->spans, n + 1, c->salloc);
		c->spans[n++] = c->pauses[c->next].span;
	}
	return n;
}

static enum kf_status read_one(void *ctx, const struct ticket *t, struct kf_err *err)
{
	struct check *c = ctx;
	struct session *s = c->s;
	struct sla_clock clocks[2];
	enum kf_status st = KF_OK;
	size_t npauses = pauses_of(c, t->id);
	size_t k = sla_clocks(&s->wf.sla, &s->wf.calendars, t, c->spans, npauses, c->at, clocks);
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
	struct check c = { .s = s, .at = at, .fn = fn, .ctx = ctx, .out = out };
	struct ticket_filter f;
	memset(out, 0, sizeof(*out));
	ticket_filter_init(&f);
	f.open = 1;
	f.with_policy = 1;
	f.order = TICKET_BY_ID;
	/* All the pauses in one read, then the tickets: two reads, not one a ticket. */
	enum kf_status st = store_pauses_each(s->store, &f, add_pause, &c, err);
	if (!st)
		st = store_tickets_each(s->store, &f, read_one, &c, err);
	free(c.pauses);
	free(c.spans);
	return st;
}

void sla_report_release(struct sla_report *r)
{
	free(r->todo);
	memset(r, 0, sizeof(*r));
}
