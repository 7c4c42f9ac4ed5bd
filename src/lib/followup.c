#include "followup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escalate.h"
#include "isotime.h"
#include "output.h"
#include "sbuf.h"
#include "tickethook.h"
#include "ticketchange.h"

/* Follow-ups read for changing: copies, freed together. */
struct found {
	struct followup *v;
	size_t n, alloc;
};

static void copy_followup(struct followup *dst, const struct followup *src)
{
	*dst = *src;
	dst->name = src->name ? xstrdup(src->name) : NULL;
	dst->event = src->event ? xstrdup(src->event) : NULL;
	dst->purpose = src->purpose ? xstrdup(src->purpose) : NULL;
	dst->outcome = src->outcome ? xstrdup(src->outcome) : NULL;
	dst->who = src->who ? xstrdup(src->who) : NULL;
	dst->note = src->note ? xstrdup(src->note) : NULL;
}

static enum kf_status keep(void *ctx, const struct followup *f, const struct ticket *t,
			   struct kf_err *err)
{
	struct found *fd = ctx;
	(void)t, (void)err;
	ALLOC_GROW(fd->v, fd->n + 1, fd->alloc);
	copy_followup(&fd->v[fd->n++], f);
	return KF_OK;
}

static void found_release(struct found *fd)
{
	for (size_t i = 0; i < fd->n; i++)
		followup_release(&fd->v[i]);
	free(fd->v);
	memset(fd, 0, sizeof(*fd));
}

/* The pending calls of ticket id (of rule name, when not NULL), by due time. */
static enum kf_status pending_of(struct session *s, const char *id, const char *name,
				 struct found *fd, struct kf_err *err)
{
	struct followup_filter f;
	followup_filter_init(&f);
	f.ticket = id;
	f.name = name;
	f.pending = 1;
	memset(fd, 0, sizeof(*fd));
	return store_followups_each(s->store, &f, keep, fd, err);
}

/* A rule's call for event at instant from: made, or the pending one moved. */
static enum kf_status make(struct session *s, const struct followup_rule *r, const char *id,
			   const char *event, int64_t from, struct kf_err *err)
{
	struct found fd;
	int64_t due, made;
	enum kf_status st = followup_rule_due(r, &s->wf.calendars, from, &due, err);
	if (st || (st = pending_of(s, id, r->name, &fd, err)))
		return st;
	if (fd.n) {
		struct followup *f = &fd.v[0];
		ticket_set(&f->event, event);
		ticket_set(&f->purpose, r->purpose);
		f->scheduled = s->who.when.t;
		f->due = due;
		f->notified = TIME_NONE;
		st = store_followup_update(s->store, f, err);
	} else {
		struct followup f = {
			.name = r->name,
			.event = (char *)event,
			.purpose = r->purpose,
			.scheduled = s->who.when.t,
			.due = due,
			.notified = TIME_NONE,
			.done = TIME_NONE,
		};
		snprintf(f.ticket, sizeof(f.ticket), "%s", id);
		st = store_followup_add(s->store, &f, &made, err);
	}
	found_release(&fd);
	return st;
}

/* Every rule on event that fits t makes its call. */
static enum kf_status happened(struct session *s, const struct ticket *t, const char *event,
			       int64_t at, struct kf_err *err)
{
	enum kf_status st = KF_OK;
	for (size_t i = 0; i < s->wf.followups.n && !st; i++) {
		const struct followup_rule *r = &s->wf.followups.v[i];
		if (!strcmp(r->on, event) && followup_rule_fits(r, t))
			st = make(s, r, t->id, event, at, err);
	}
	return st;
}

/* Reopened: the calls about its resolution or close are moot. */
static enum kf_status cancel(struct session *s, const struct ticket *t, struct kf_err *err)
{
	struct found fd;
	enum kf_status st = pending_of(s, t->id, NULL, &fd, err);
	for (size_t i = 0; i < fd.n && !st; i++) {
		struct followup *f = &fd.v[i];
		if (!f->event || (strcmp(f->event, "resolved") && strcmp(f->event, "closed")))
			continue;
		f->done = s->who.when.t;
		ticket_set(&f->outcome, "cancelled");
		ticket_set(&f->who, s->who.email);
		ticket_set(&f->note, "the ticket was reopened");
		st = store_followup_update(s->store, f, err);
	}
	found_release(&fd);
	return st;
}

enum kf_status followup_on_change(struct session *s, const struct ticket *before,
				  const struct ticket *after, struct kf_err *err)
{
	enum kf_status st = KF_OK;
	if (!s->wf.followups.n)
		return KF_OK;
	if (before && !ticket_is_open(before->status) && ticket_is_open(after->status))
		st = cancel(s, after, err);
	if (!st && !before)
		st = happened(s, after, "opened", after->created, err);
	/* A ticket closed straight away is resolved then too. */
	if (!st && after->resolved != TIME_NONE && (!before || before->resolved != after->resolved))
		st = happened(s, after, "resolved", after->resolved, err);
	if (!st && after->closed != TIME_NONE && (!before || before->closed != after->closed))
		st = happened(s, after, "closed", after->closed, err);
	return st;
}

enum kf_status followup_on_date(struct session *s, const struct ticket *t, const char *name,
				int64_t when, const char *note, struct kf_err *err)
{
	if (!followup_date_name_valid(name))
		return kf_fail(err, KF_EINVAL,
			       "'%.40s' is not a date's name (lowercase letters, digits and '-', "
			       "not opened, resolved or closed)",
			       name);
	char at[32];
	snprintf(at, sizeof(at), "%lld", (long long)when);
	struct ticket_event e = {
		.at = s->who.when.t,
		.who = s->who.email,
		.what = "date",
		.field = (char *)name,
		.after = at,
		.note = (char *)note,
	};
	snprintf(e.ticket, sizeof(e.ticket), "%s", t->id);
	enum kf_status st = store_event_add(s->store, &e, err);
	return st ? st : happened(s, t, name, when, err);
}

/* Midnight starting local day number day (days since 1970-01-01) in the desk's zone. */
static int64_t midnight(struct session *s, int64_t day, int64_t fallback)
{
	int y, m, d;
	char date[16];
	civil_from_days(day, &y, &m, &d);
	snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
	int64_t t;
	struct kf_err err;
	return workflows_time(&s->wf, date, &t, &err) ? fallback : t;
}

void followup_day(struct session *s, int64_t at, int64_t *start, int64_t *end)
{
	int64_t wall = at + workflows_offset(&s->wf, at);
	int64_t day = wall >= 0 ? wall / 86400 : -((-wall + 86399) / 86400);
	/* A day out of range: a day around at. */
	*start = midnight(s, day, at - 86400);
	*end = midnight(s, day + 1, at + 86400);
}

const char *followup_state(const struct followup *f, int64_t start, int64_t end)
{
	if (f->done != TIME_NONE)
		return f->outcome ? f->outcome : "done";
	return f->due < start ? "overdue" : f->due < end ? "due" : "scheduled";
}

struct listing {
	followup_fn fn;
	void *ctx;
	int64_t start, end; /* the day listed */
	size_t overdue;
};

static enum kf_status list_one(void *ctx, const struct followup *f, const struct ticket *t,
			       struct kf_err *err)
{
	struct listing *l = ctx;
	const char *state = followup_state(f, l->start, l->end);
	if (!strcmp(state, "overdue"))
		l->overdue++;
	return l->fn ? l->fn(l->ctx, f, t, state, err) : KF_OK;
}

enum kf_status followup_list(struct session *s, const char *ticket, int due_only, int64_t at,
			     followup_fn fn, void *ctx, size_t *overdue, struct kf_err *err)
{
	struct listing l = { fn, ctx, 0, 0, 0 };
	followup_day(s, at, &l.start, &l.end);
	struct followup_filter f;
	*overdue = 0;
	if (ticket) {
		/* A ticket unknown is an error, not one without calls. */
		struct ticket t;
		enum kf_status st = store_ticket_get(s->store, ticket, &t, err);
		if (st)
			return st;
		ticket_release(&t);
	}
	followup_filter_init(&f);
	f.ticket = ticket;
	f.pending = !ticket || due_only;
	if (due_only)
		f.due_before = l.end;
	enum kf_status st = store_followups_each(s->store, &f, list_one, &l, err);
	*overdue = l.overdue;
	return st;
}

/* Begin, load the ticket and its next pending call (of rule name). */
static enum kf_status begin_call(struct session *s, const char *ticket, const char *name,
				 struct ticket *before, struct ticket *after, struct found *fd,
				 struct kf_err *err)
{
	enum kf_status st = ticket_begin(s, ticket, before, after, err);
	if (st)
		return st;
	if (!(st = pending_of(s, ticket, name, fd, err)) && !fd->n)
		st = name ? kf_fail(err, KF_ENOTFOUND, "no follow-up '%s' pending for %s", name,
				    ticket)
			  : kf_fail(err, KF_ENOTFOUND, "no follow-up pending for %s", ticket);
	if (st) {
		ticket_rollback(s);
		ticket_release(before);
		ticket_release(after);
		found_release(fd);
	}
	return st;
}

enum kf_status followup_record(struct session *s, const char *ticket,
			       const struct followup_outcome *o, int *escalated,
			       struct kf_err *err)
{
	struct ticket before, after;
	struct found fd;
	*escalated = 0;
	enum kf_status st = begin_call(s, ticket, o->name, &before, &after, &fd, err);
	if (st)
		return st;
	struct followup *f = &fd.v[0];
	const char *outcome = o->unresolved ? "unresolved" : "done";
	f->done = s->who.when.t;
	ticket_set(&f->outcome, outcome);
	ticket_set(&f->who, s->who.email);
	ticket_set(&f->note, o->note);
	f->satisfaction = o->satisfaction;
	st = store_followup_update(s->store, f, err);
	/* The customer's score given on the call is the ticket's. */
	if (o->satisfaction)
		after.satisfaction = o->satisfaction;
	char *note = xasprintf("%s %s%s%s", f->name, outcome, o->note ? ": " : "",
			       o->note ? o->note : "");
	if (!st)
		st = ticket_apply(s, &before, &after, "followup", note, err);
	/* The verdict given on this call, not one recorded before it. */
	if (!st && (o->unresolved || (o->satisfaction >= 1 && o->satisfaction <= 2)))
		st = ticket_escalate_customer(s, &after, o->unresolved, escalated, err);
	st = ticket_end(s, st, err);
	if (st)
		*escalated = 0;
	free(note);
	found_release(&fd);
	ticket_release(&before);
	ticket_release(&after);
	return st;
}

enum kf_status followup_reschedule(struct session *s, const char *ticket, const char *name,
				   int64_t due, const char *note, struct kf_err *err)
{
	struct ticket before, after;
	struct found fd;
	enum kf_status st = begin_call(s, ticket, name, &before, &after, &fd, err);
	if (st)
		return st;
	struct followup *f = &fd.v[0];
	f->due = due;
	f->scheduled = s->who.when.t;
	f->notified = TIME_NONE; /* told again when its new day comes */
	char when[32];
	struct instant in = { due, workflows_offset(&s->wf, due) };
	iso_format(&in, 0, when);
	char *text = xasprintf("%s moved to %s%s%s", f->name, when, note ? ": " : "",
			       note ? note : "");
	st = store_followup_update(s->store, f, err);
	if (!st)
		st = ticket_log(s, ticket, "followup", text, err);
	st = ticket_end(s, st, err);
	free(text);
	found_release(&fd);
	ticket_release(&before);
	ticket_release(&after);
	return st;
}

/* The follow-up as the hook's "followup" object. */
struct due_call {
	struct session *s;
	const struct followup *f;
	const char *state;
};

static void followup_emit(struct out *o, const void *arg)
{
	const struct due_call *t = arg;
	char due[32];
	struct instant in = { t->f->due, workflows_offset(&t->s->wf, t->f->due) };
	iso_format(&in, 0, due);
	out_str(o, "name", t->f->name);
	out_str(o, "event", t->f->event);
	out_str(o, "purpose", t->f->purpose);
	out_str(o, "due", due);
	out_str(o, "state", t->state);
}

struct one {
	struct followup f;
	struct ticket t;
	int found;
};

static enum kf_status take_one(void *ctx, const struct followup *f, const struct ticket *t,
			       struct kf_err *err)
{
	struct one *one = ctx;
	(void)err;
	if (!one->found++) {
		copy_followup(&one->f, f);
		ticket_copy(&one->t, t);
	}
	return KF_OK;
}

/* Tell of call id once: marked told and the hook queued, in one transaction. */
static enum kf_status tell_one(struct session *s, int64_t id, int64_t start, int64_t end,
			       int *told, struct kf_err *err)
{
	struct followup_filter f;
	struct one one = { .found = 0 };
	*told = 0;
	ticket_hooks_drop(s);
	enum kf_status st = store_begin(s->store, err);
	if (st)
		return st;
	followup_filter_init(&f);
	f.id = id;
	f.pending = 1;
	f.unnotified = 1;
	/* Read again: another run may have told of it, or it was done, meanwhile. */
	st = store_followups_each(s->store, &f, take_one, &one, err);
	if (!st && one.found) {
		one.f.notified = s->who.when.t;
		st = store_followup_update(s->store, &one.f, err);
		struct due_call call = { s, &one.f, followup_state(&one.f, start, end) };
		const struct hook_key keys[] = { { "followup", NULL, followup_emit, &call } };
		if (!st)
			ticket_hooks_queue(s, "followup-due", &one.t, one.f.purpose, keys, 1);
		*told = !st;
	}
	if (one.found) {
		followup_release(&one.f);
		ticket_release(&one.t);
	}
	st = ticket_end(s, st, err);
	if (st)
		*told = 0;
	return st;
}

enum kf_status followup_notify(struct session *s, int64_t at, size_t *told, struct kf_err *err)
{
	struct followup_filter f;
	struct found fd;
	int64_t start, end;
	followup_day(s, at, &start, &end);
	*told = 0;
	followup_filter_init(&f);
	f.pending = 1;
	f.unnotified = 1;
	f.due_before = end;
	memset(&fd, 0, sizeof(fd));
	enum kf_status st = store_followups_each(s->store, &f, keep, &fd, err);
	for (size_t i = 0; i < fd.n && !st; i++) {
		int one;
		st = tell_one(s, fd.v[i].id, start, end, &one, err);
		*told += (size_t)one;
	}
	found_release(&fd);
	return st;
}
