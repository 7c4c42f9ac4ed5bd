#include "assign.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "agents.h"
#include "sbuf.h"
#include "ticketchange.h"

/* Who a ticket is offered to, sorted and joined by spaces ("" for nobody). */
static enum kf_status offered_to(struct session *s, const char *id, char **out,
				 struct kf_err *err)
{
	char **v;
	size_t n;
	struct sbuf sb = SBUF_INIT;
	enum kf_status st = store_offers_get(s->store, id, &v, &n, err);
	*out = NULL;
	if (st)
		return st;
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&sb, "%s ", v[i]);
	store_names_free(v, n);
	*out = sbuf_detach(&sb);
	return KF_OK;
}

static enum kf_status take_assignee(void *ctx, const struct ticket *t, struct kf_err *err)
{
	char **out = ctx;
	(void)err;
	*out = t->assignee ? xstrdup(t->assignee) : NULL;
	return KF_OK;
}

/* The agent of the customer's latest other ticket that has one (sticky). */
static enum kf_status previous_agent(struct session *s, const struct ticket *t, char **agent,
				     struct kf_err *err)
{
	struct ticket_filter f;
	*agent = NULL;
	if (!t->customer)
		return KF_OK;
	ticket_filter_init(&f);
	f.customer = t->customer;
	f.except = t->id;
	f.assigned = ASSIGNED_SOMEBODY;
	f.order = TICKET_BY_NEWEST;
	f.limit = 1;
	return store_tickets_each(s->store, &f, take_assignee, agent, err);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(char **v, size_t n)
{
	char **sorted = xcalloc(n + 1, sizeof(*sorted));
	struct sbuf sb = SBUF_INIT;
	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*sorted), by_string);
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&sb, "%s ", sorted[i]);
	free(sorted);
	return sbuf_detach(&sb);
}

static uint32_t random_seed(void)
{
	uint32_t seed;
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint32_t)getpid() ^ (uint32_t)time(NULL);
	return seed;
}

/* The department, by the rules, for a ticket that has none yet. */
static enum kf_status department_for(struct session *s, struct ticket *t, struct kf_err *err)
{
	size_t ntags;
	char **tags = ticket_tags(t, &ntags);
	struct route_ticket rt = { t->type,	     t->priority, t->channel, t->subject,
				   t->description, tags,	  ntags,      (long)t->complexity };
	const char *dept = route_department(&s->wf.routing, &rt);
	ticket_tags_free(tags, ntags);
	if (!dept)
		return kf_fail(err, KF_EINVAL,
			       "no rule of workflows/routing.yaml fits %s (a last rule without "
			       "match catches everything)",
			       t->id);
	ticket_set(&t->department, dept);
	return KF_OK;
}

/* The department's agents as the strategies see them; *c allocated. */
static enum kf_status candidates(struct session *s, const struct department *dept,
				 struct candidate **c, size_t *n, struct kf_err *err)
{
	struct agent_state *all;
	size_t nall;
	enum kf_status st = agents_load(s, &all, &nall, err);
	*c = NULL;
	*n = 0;
	if (st)
		return st;
	*c = xcalloc(nall + 1, sizeof(**c));
	for (size_t i = 0; i < nall; i++) {
		const struct person *p = all[i].p;
		if (!p->department || strcmp(p->department, dept->name))
			continue;
		struct candidate *k = &(*c)[(*n)++];
		k->email = p->email; /* roles.yaml's, which outlives all */
		k->open = all[i].open;
		k->last_assigned = all[i].last_assigned;
		k->eligible = !strcmp(all[i].status, "available") && all[i].on_shift &&
			      (!p->capacity || all[i].open < p->capacity);
	}
	free(all);
	return KF_OK;
}

/* Offer it to every eligible candidate (ringall); *unchanged when already so. */
static enum kf_status offer(struct session *s, const struct ticket *t,
			    const struct candidate *c, size_t n, struct assignment *out,
			    struct sbuf *note, int *unchanged, struct kf_err *err)
{
	enum kf_status st;
	char *was;
	out->offered = xcalloc(n + 1, sizeof(*out->offered));
	sbuf_adds(note, ": offered to");
	for (size_t i = 0; i < n; i++) {
		if (!c[i].eligible)
			continue;
		out->offered[out->noffered++] = xstrdup(c[i].email);
		sbuf_addf(note, " %s", c[i].email);
	}
	out->queued = out->noffered == 0;
	if ((st = offered_to(s, t->id, &was, err)))
		return st;
	char *now = join(out->offered, out->noffered);
	*unchanged = !strcmp(was, now);
	free(was);
	free(now);
	if (*unchanged)
		return KF_OK;
	return store_offers_set(s->store, t->id, out->offered, out->noffered, s->who.when.t, err);
}

enum kf_status assign_route(struct session *s, const struct ticket *before, struct ticket *after,
			    struct assignment *out, struct kf_err *err)
{
	enum kf_status st;
	memset(out, 0, sizeof(*out));
	if (!after->department && (st = department_for(s, after, err)))
		return st;
	const struct department *dept = routing_find(&s->wf.routing, after->department);
	if (!dept)
		return kf_fail(err, KF_EINVAL, "unknown department '%s' (routing.yaml lists them)",
			       after->department);
	out->department = xstrdup(dept->name);

	struct candidate *c;
	size_t n;
	char *last = NULL, *previous = NULL;
	if ((st = candidates(s, dept, &c, &n, err)))
		return st;
	if ((st = store_route_last_get(s->store, dept->name, &last, err)) ||
	    (st = previous_agent(s, after, &previous, err)))
		goto out;
	int pick = route_pick(dept->strategy, dept->fallback, c, n, last, previous, random_seed());
	const char *what = "route";
	int unchanged = 0;
	struct sbuf note = SBUF_INIT;
	sbuf_addf(&note, "%s by %s", dept->name, strategy_name(dept->strategy));
	if (pick >= 0) {
		ticket_set(&after->assignee, c[pick].email);
		ticket_set(&after->status, "assigned");
		out->agent = xstrdup(c[pick].email);
		st = store_agent_assigned(s->store, c[pick].email, s->who.when.t, err);
		if (!st)
			st = store_route_last_set(s->store, dept->name, c[pick].email, err);
	} else if (dept->strategy == ST_RINGALL) {
		/* Offered to everyone eligible; ticket-claim decides. */
		what = "offer";
		st = offer(s, after, c, n, out, &note, &unchanged, err);
	} else {
		out->queued = 1;
	}
	if (out->queued) {
		what = "queue";
		sbuf_adds(&note, ": nobody available, waiting in the queue");
		/* Still waiting where it waited: cron's next try leaves no trace. */
		unchanged = before->department && !strcmp(before->department, dept->name);
	}
	if (!st && !unchanged)
		st = ticket_apply(s, before, after, what, note.buf, err);
	sbuf_release(&note);
out:
	free(last);
	free(previous);
	free(c);
	return st;
}

enum kf_status assign_ticket(struct session *s, const char *id, struct assignment *out,
			     assign_confirm_fn confirm, void *ctx, struct kf_err *err)
{
	struct ticket before, after;
	enum kf_status st;
	memset(out, 0, sizeof(*out));
	if ((st = ticket_begin(s, id, &before, &after, err)))
		return st;
	if (strcmp(before.status, "new") || before.assignee) {
		st = kf_fail(err, KF_EINVAL,
			     "%s is already %s%s%s (ticket-update --transfer moves it)", id,
			     before.status, before.assignee ? " to " : "",
			     before.assignee ? before.assignee : "");
	} else {
		st = assign_route(s, &before, &after, out, err);
	}
	if (!st && confirm)
		st = confirm(ctx, id, out, err);
	if ((st = ticket_end(s, st, err)))
		assignment_release(out);
	ticket_release(&before);
	ticket_release(&after);
	return st;
}

void assignment_release(struct assignment *a)
{
	free(a->department);
	free(a->agent);
	for (size_t i = 0; i < a->noffered; i++)
		free(a->offered[i]);
	free(a->offered);
	memset(a, 0, sizeof(*a));
}

struct ids {
	char **v;
	size_t n, alloc;
};

static enum kf_status take_id(void *ctx, const struct ticket *t, struct kf_err *err)
{
	struct ids *ids = ctx;
	(void)err;
	ALLOC_GROW(ids->v, ids->n + 1, ids->alloc);
	ids->v[ids->n++] = xstrdup(t->id);
	return KF_OK;
}

enum kf_status assign_waiting(struct session *s, char ***v, size_t *n, struct kf_err *err)
{
	static const char *const fresh[] = { "new" };
	struct ticket_filter f;
	struct ids ids = { NULL, 0, 0 };
	ticket_filter_init(&f);
	f.statuses = fresh;
	f.nstatuses = 1;
	f.assigned = ASSIGNED_NOBODY;
	f.order = TICKET_BY_AGE;
	enum kf_status st = store_tickets_each(s->store, &f, take_id, &ids, err);
	if (st) {
		store_names_free(ids.v, ids.n);
		ids.v = NULL;
		ids.n = 0;
	}
	*v = ids.v;
	*n = ids.n;
	return st;
}
