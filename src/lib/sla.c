#include "sla.h"

#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "sbuf.h"
#include "session.h"
#include "ticket.h"
#include "yamldoc.h"

enum kf_status sla_parse(const char *buf, size_t len, struct sla *sla, struct diags *probs)
{
	static const char *const keys[] = { "policies", "warn", NULL };
	static const char *const pkeys[] = { "name", "match", "calendar", "response", "resolve",
					     NULL };
	static const char *const mkeys[] = { "type", "priority", "channel", "department", NULL };
	struct ydoc doc;
	char msg[512];
	int line;
	size_t before = probs->n;

	memset(sla, 0, sizeof(*sla));
	sla->warn = 80;
	if (ydoc_parse(buf, len, &doc, &line, msg, sizeof(msg))) {
		diag_add(probs, line, NULL, "%s", msg);
		return KF_EINVAL;
	}
	const struct ynode *root = yexpect_map(doc.root, "sla.yaml", probs);
	const struct ynode *pol = root ? ynode_get(root, "policies") : NULL;
	if (root) {
		ycheck_keys(root, keys, NULL, probs);
		if (!pol || pol->kind != YN_SEQ || !pol->n)
			diag_add(probs, pol ? pol->line : root->line, "policies",
				 "expected a list of policies");
		const char *w = yget_str(root, "warn", 0, probs);
		if (w) {
			char *end;
			long v = strtol(w, &end, 10);
			if (end == w || strcmp(end, "%") || v < 1 || v > 99)
				diag_add(probs, ynode_get(root, "warn")->line, "warn",
					 "expected a share such as 80%%, not '%.20s'", w);
			else
				sla->warn = (int)v;
		}
	}
	if (pol && pol->kind == YN_SEQ) {
		sla->v = xcalloc(pol->n + 1, sizeof(*sla->v));
		for (size_t i = 0; i < pol->n; i++) {
			const struct ynode *m = yexpect_map(pol->kids[i], "a policy", probs);
			if (!m)
				continue;
			ycheck_keys(m, pkeys, "a policy", probs);
			struct sla_policy *p = &sla->v[sla->n];
			const char *name = yget_str(m, "name", 1, probs);
			const char *cal = yget_str(m, "calendar", 1, probs);
			if (!name || !cal)
				continue;
			if (sla_find(sla, name))
				diag_add(probs, ynode_get(m, "name")->line, "name",
					 "policy '%s' is named twice", name);
			p->name = xstrdup(name);
			p->calendar = xstrdup(cal);
			p->line = m->line;
			static const char *const durs[] = { "response", "resolve" };
			int64_t *slot[] = { &p->response, &p->resolve };
			for (int k = 0; k < 2; k++) {
				const char *d = yget_str(m, durs[k], 1, probs);
				struct kf_err err;
				if (d && duration_parse(d, slot[k], &err))
					diag_add(probs, ynode_get(m, durs[k])->line, durs[k], "%s",
						 err.msg);
				else if (d && *slot[k] <= 0)
					diag_add(probs, ynode_get(m, durs[k])->line, durs[k],
						 "must be more than nothing");
			}
			const struct ynode *match = ynode_get(m, "match");
			if (match && !ynode_is_null(match) && yexpect_map(match, "match", probs)) {
				ycheck_keys(match, mkeys, "match", probs);
				const char *s;
				if ((s = yget_str(match, "type", 0, probs)))
					p->type = xstrdup(s);
				if ((s = yget_str(match, "priority", 0, probs))) {
					if (priority_rank(s) < 0)
						diag_add(probs, ynode_get(match, "priority")->line,
							 "priority",
							 "'%s' is not a priority (urgent, high, normal, low)",
							 s);
					p->priority = xstrdup(s);
				}
				if ((s = yget_str(match, "channel", 0, probs)))
					p->channel = xstrdup(s);
				if ((s = yget_str(match, "department", 0, probs)))
					p->department = xstrdup(s);
			}
			sla->n++;
		}
	}
	ydoc_release(&doc);
	if (probs->n > before) {
		sla_release(sla);
		return KF_EINVAL;
	}
	return KF_OK;
}

void sla_release(struct sla *sla)
{
	for (size_t i = 0; i < sla->n; i++) {
		struct sla_policy *p = &sla->v[i];
		free(p->name);
		free(p->type);
		free(p->priority);
		free(p->channel);
		free(p->department);
		free(p->calendar);
	}
	free(sla->v);
	memset(sla, 0, sizeof(*sla));
}

static int same(const char *want, const char *have)
{
	return !want || (have && !strcmp(want, have));
}

const struct sla_policy *sla_match(const struct sla *sla, const struct ticket *t)
{
	for (size_t i = 0; i < sla->n; i++) {
		const struct sla_policy *p = &sla->v[i];
		if (same(p->type, t->type) && same(p->priority, t->priority) &&
		    same(p->channel, t->channel) && same(p->department, t->department))
			return p;
	}
	return NULL;
}

enum kf_status sla_pauses(struct session *s, const char *id, struct span **v, size_t *n,
			  struct kf_err *err)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	enum kf_status ret;
	*v = NULL;
	*n = 0;
	if ((ret = deskdb_prepare(&s->db,
				  "SELECT start, end FROM pauses WHERE ticket = ?1"
				  " ORDER BY start",
				  &st, err)))
		return ret;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(*v, *n + 1, alloc);
		(*v)[*n].start = sqlite3_column_int64(st, 0);
		(*v)[*n].end = sqlite3_column_type(st, 1) == SQLITE_NULL
				       ? TIME_NONE
				       : sqlite3_column_int64(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*v);
		*v = NULL;
		*n = 0;
		return deskdb_fail(&s->db, err);
	}
	return KF_OK;
}

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

static enum kf_status pause_edge(struct session *s, const char *id, int begin, int64_t now,
				 struct kf_err *err)
{
	sqlite3_stmt *st;
	enum kf_status ret;
	const char *sql = begin ? "INSERT INTO pauses(ticket, start) VALUES(?1, ?2)"
				: "UPDATE pauses SET end = ?2 WHERE ticket = ?1 AND end IS NULL";
	if ((ret = deskdb_prepare(&s->db, sql, &st, err)))
		return ret;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return deskdb_run(&s->db, st, err);
}

const struct sla_policy *sla_find(const struct sla *sla, const char *name)
{
	for (size_t i = 0; name && i < sla->n; i++)
		if (!strcmp(sla->v[i].name, name))
			return &sla->v[i];
	return NULL;
}

static int differs(const char *a, const char *b)
{
	return !a != !b || (a && strcmp(a, b));
}

/*
 * The promise made stands until someone changes what it was made for:
 * an escalation raises the priority to get attention, not a new policy,
 * and so does every later change that leaves those fields alone.
 */
static int keeps_policy(const struct ticket *before, const struct ticket *after)
{
	if (!before || !before->sla_policy)
		return 0;
	if (before->escalated != after->escalated)
		return 1;
	return !differs(before->type, after->type) && !differs(before->priority, after->priority) &&
	       !differs(before->channel, after->channel) &&
	       !differs(before->department, after->department);
}

enum kf_status sla_update(struct session *s, const struct ticket *before, struct ticket *after,
			  int64_t now, struct kf_err *err)
{
	enum kf_status st;
	int was_pending = before && !strcmp(before->status, "pending");
	int is_pending = !strcmp(after->status, "pending");
	if (before && was_pending != is_pending &&
	    (st = pause_edge(s, after->id, is_pending, now, err)))
		return st;
	/* Reopened: the resolve clock starts again, by the policy. */
	if (before && !ticket_is_open(before->status) && ticket_is_open(after->status))
		after->resolve_start = now;

	const struct sla_policy *p = keeps_policy(before, after) ? sla_find(&s->wf.sla, before->sla_policy)
								: NULL;
	if (!p)
		p = sla_match(&s->wf.sla, after);
	ticket_set(&after->sla_policy, p ? p->name : NULL);
	if (!p) {
		after->response_due = after->resolve_due = TIME_NONE;
		return KF_OK;
	}
	const struct calendar *cal = calendars_find(&s->wf.calendars, p->calendar);
	struct span *pauses = NULL, *upto;
	size_t n = 0;
	if (before && (st = sla_pauses(s, after->id, &pauses, &n, err)))
		return st;
	/* A pause still running counts until now; resuming recomputes. */
	upto = close_at(pauses, n, now);
	st = KF_OK;
	if (after->first_response == TIME_NONE)
		st = calendar_due(cal, after->created, p->response, upto, n, &after->response_due,
				  err);
	if (!st && ticket_is_open(after->status)) {
		int64_t from =
		    after->resolve_start != TIME_NONE ? after->resolve_start : after->created;
		st = calendar_due(cal, from, p->resolve, upto, n, &after->resolve_due, err);
	}
	free(pauses);
	free(upto);
	return st;
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
	/* Due is the last moment the promise holds: breached only after it. */
	c->state = used > dur ? "breached" : used * 100 >= dur * (int64_t)warn ? "soon" : "ok";
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
