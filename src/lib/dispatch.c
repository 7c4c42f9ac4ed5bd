#include "dispatch.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "lifecycle.h"
#include "sbuf.h"
#include "ticket.h"

static const char *open_statuses = "('assigned', 'open', 'pending')";

enum kf_status dispatch_agents(struct session *s, struct agent_state **v, size_t *n,
			       struct kf_err *err)
{
	sqlite3_stmt *st_open = NULL, *st_agent = NULL;
	enum kf_status ret;
	char *sql = xasprintf("SELECT count(*) FROM tickets WHERE assignee = ?1 AND status IN %s",
			      open_statuses);
	*v = xcalloc(s->wf.roles.n + 1, sizeof(**v));
	*n = 0;
	ret = deskdb_prepare(&s->db, sql, &st_open, err);
	free(sql);
	if (ret || (ret = deskdb_prepare(&s->db,
					 "SELECT status, last_assigned FROM agents"
					 " WHERE email = ?1",
					 &st_agent, err)))
		goto out;
	for (size_t i = 0; i < s->wf.roles.n; i++) {
		const struct person *p = &s->wf.roles.v[i];
		if (!(p->roles & ROLE_AGENT))
			continue;
		struct agent_state *a = &(*v)[(*n)++];
		a->p = p;
		a->status = "available";
		a->last_assigned = TIME_NONE;
		sqlite3_bind_text(st_open, 1, p->email, -1, SQLITE_STATIC);
		if (sqlite3_step(st_open) == SQLITE_ROW)
			a->open = (long)sqlite3_column_int64(st_open, 0);
		sqlite3_reset(st_open);
		sqlite3_bind_text(st_agent, 1, p->email, -1, SQLITE_STATIC);
		if (sqlite3_step(st_agent) == SQLITE_ROW) {
			if (!strcmp((const char *)sqlite3_column_text(st_agent, 0), "away"))
				a->status = "away";
			if (sqlite3_column_type(st_agent, 1) != SQLITE_NULL)
				a->last_assigned = sqlite3_column_int64(st_agent, 1);
		}
		sqlite3_reset(st_agent);
		const struct calendar *shift = workflows_shift(&s->wf, p);
		a->on_shift = !shift || calendar_open_at(shift, s->who.when.t);
	}
out:
	sqlite3_finalize(st_open);
	sqlite3_finalize(st_agent);
	if (ret) {
		free(*v);
		*v = NULL;
		*n = 0;
	}
	return ret;
}

static char *one_text(struct session *s, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *st;
	char *out = NULL;
	if (deskdb_prepare(&s->db, sql, &st, NULL))
		return NULL;
	deskdb_bind_text(st, 1, a);
	deskdb_bind_text(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		out = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static enum kf_status exec2(struct session *s, const char *sql, const char *a, const char *b,
			    int64_t c, struct kf_err *err)
{
	sqlite3_stmt *st;
	enum kf_status ret = deskdb_prepare(&s->db, sql, &st, err);
	if (ret)
		return ret;
	deskdb_bind_text(st, 1, a);
	deskdb_bind_text(st, 2, b);
	sqlite3_bind_int64(st, 3, c);
	return deskdb_run(&s->db, st, err);
}

/* Who a ticket is offered to, sorted and joined by spaces ("" for nobody). */
static char *offered_to(struct session *s, const char *id)
{
	sqlite3_stmt *st;
	struct sbuf sb = SBUF_INIT;
	if (deskdb_prepare(&s->db, "SELECT agent FROM offers WHERE ticket = ?1 ORDER BY agent",
			   &st, NULL))
		return sbuf_detach(&sb);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		sbuf_addf(&sb, "%s ", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return sbuf_detach(&sb);
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

static char **split_tags(const char *s, size_t *n)
{
	*n = 0;
	if (!s || !*s)
		return NULL;
	char **v = xcalloc(strlen(s) + 2, sizeof(*v));
	for (const char *p = s; *p;) {
		size_t len = strcspn(p, "\n");
		v[(*n)++] = xstrndup(p, len);
		p += len + (p[len] == '\n');
	}
	return v;
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
	char **tags = split_tags(t->tags, &ntags);
	struct route_ticket rt = { t->type,	     t->priority, t->channel, t->subject,
				   t->description, tags,	  ntags,      (long)t->complexity };
	const char *dept = route_department(&s->wf.routing, &rt);
	for (size_t i = 0; i < ntags; i++)
		free(tags[i]);
	free(tags);
	if (!dept)
		return kf_fail(err, KF_EINVAL,
			       "no rule of workflows/routing.yaml fits %s (a last rule without "
			       "match catches everything)",
			       t->id);
	ticket_set(&t->department, dept);
	return KF_OK;
}

static enum kf_status route_one(struct session *s, struct ticket *before, struct ticket *after,
				struct dispatch *out, struct kf_err *err)
{
	enum kf_status st;
	if (!after->department && (st = department_for(s, after, err)))
		return st;
	const struct department *dept = routing_find(&s->wf.routing, after->department);
	if (!dept)
		return kf_fail(err, KF_EINVAL, "unknown department '%s' (routing.yaml lists them)",
			       after->department);
	out->department = xstrdup(dept->name);

	struct agent_state *all;
	size_t nall;
	if ((st = dispatch_agents(s, &all, &nall, err)))
		return st;
	struct candidate *c = xcalloc(nall + 1, sizeof(*c));
	size_t n = 0;
	for (size_t i = 0; i < nall; i++) {
		const struct person *p = all[i].p;
		if (!p->department || strcmp(p->department, dept->name))
			continue;
		c[n].email = p->email;
		c[n].open = all[i].open;
		c[n].last_assigned = all[i].last_assigned;
		c[n].eligible = !strcmp(all[i].status, "available") && all[i].on_shift &&
				(!p->capacity || all[i].open < p->capacity);
		n++;
	}
	char *last = one_text(s, "SELECT last_agent FROM route_state WHERE department = ?1",
			      dept->name, NULL);
	char *previous = after->customer
		? one_text(s,
			   "SELECT assignee FROM tickets WHERE customer = ?1 AND id != ?2"
			   " AND assignee IS NOT NULL ORDER BY created DESC, id DESC LIMIT 1",
			   after->customer, after->id)
		: NULL;
	int pick = route_pick(dept->strategy, dept->fallback, c, n, last, previous, random_seed());
	const char *what = "route";
	int unchanged = 0;
	struct sbuf note = SBUF_INIT;
	sbuf_addf(&note, "%s by %s", dept->name, strategy_name(dept->strategy));
	if (pick >= 0) {
		ticket_set(&after->assignee, c[pick].email);
		ticket_set(&after->status, "assigned");
		out->agent = xstrdup(c[pick].email);
		st = agent_assigned(s, c[pick].email, err);
		if (!st)
			st = exec2(s,
				   "INSERT INTO route_state(department, last_agent) VALUES(?1, ?2)"
				   " ON CONFLICT(department) DO UPDATE SET last_agent = excluded.last_agent",
				   dept->name, c[pick].email, 0, err);
	} else if (dept->strategy == ST_RINGALL) {
		/* Offered to everyone eligible; ticket-claim decides. */
		what = "offer";
		out->offered = xcalloc(n + 1, sizeof(*out->offered));
		sbuf_adds(&note, ": offered to");
		for (size_t i = 0; i < n; i++) {
			if (!c[i].eligible)
				continue;
			out->offered[out->noffered++] = xstrdup(c[i].email);
			sbuf_addf(&note, " %s", c[i].email);
		}
		out->queued = out->noffered == 0;
		char *was = offered_to(s, after->id);
		char *now = join(out->offered, out->noffered);
		unchanged = !strcmp(was, now);
		free(was);
		free(now);
		st = unchanged ? KF_OK
			       : exec2(s, "DELETE FROM offers WHERE ticket = ?1", after->id, NULL,
				       0, err);
		for (size_t i = 0; i < out->noffered && !st && !unchanged; i++)
			st = exec2(s, "INSERT INTO offers(ticket, agent, at) VALUES(?1, ?2, ?3)",
				   after->id, out->offered[i], s->who.when.t, err);
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
	free(last);
	free(previous);
	free(c);
	free(all);
	return st;
}

enum kf_status dispatch_ticket(struct session *s, const char *id, struct dispatch *out,
			       dispatch_confirm_fn confirm, void *ctx, struct kf_err *err)
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
		st = route_one(s, &before, &after, out, err);
	}
	if (!st && confirm)
		st = confirm(ctx, id, out, err);
	if (!st)
		st = deskdb_commit(&s->db, err);
	if (st) {
		deskdb_rollback(&s->db);
		dispatch_release(out);
	}
	ticket_release(&before);
	ticket_release(&after);
	return st;
}

void dispatch_release(struct dispatch *d)
{
	free(d->department);
	free(d->agent);
	for (size_t i = 0; i < d->noffered; i++)
		free(d->offered[i]);
	free(d->offered);
	memset(d, 0, sizeof(*d));
}
