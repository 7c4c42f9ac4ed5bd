#include "ticketchange.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "followup.h"
#include "isotime.h"
#include "slaclock.h"
#include "tickethook.h"

enum kf_status ticket_may_work(const struct session *s, const struct ticket *t,
			       struct kf_err *err)
{
	const struct person *p = session_person(s);
	if (!t->assignee || (p && (p->roles & ROLE_SUPERVISOR)) ||
	    !strcasecmp(t->assignee, s->who.email))
		return KF_OK;
	return kf_fail(err, KF_EPERM,
		       "refused: %s is %s's; only they or a supervisor may work on it", t->id,
		       t->assignee);
}

static enum kf_status log_event(struct session *s, const char *id, const char *what,
				const char *field, const char *before, const char *after,
				const char *note, struct kf_err *err)
{
	struct ticket_event e = {
		.at = s->who.when.t,
		.who = s->who.email,
		.what = (char *)what,
		.field = (char *)field,
		.before = (char *)before,
		.after = (char *)after,
		.note = (char *)note,
	};
	snprintf(e.ticket, sizeof(e.ticket), "%s", id);
	return store_event_add(s->store, &e, err);
}

enum kf_status ticket_log(struct session *s, const char *id, const char *what, const char *note,
			  struct kf_err *err)
{
	return log_event(s, id, what, NULL, NULL, NULL, note, err);
}

/* The clocks after a change from before (NULL: a new ticket) to after. */
static enum kf_status update_clocks(struct session *s, const struct ticket *before,
				    struct ticket *after, struct kf_err *err)
{
	int64_t now = s->who.when.t;
	enum kf_status st;
	int was_pending = before && !strcmp(before->status, "pending");
	int is_pending = !strcmp(after->status, "pending");
	if (before && was_pending != is_pending &&
	    (st = is_pending ? store_pause_start(s->store, after->id, now, err)
			     : store_pause_end(s->store, after->id, now, err)))
		return st;
	/* Reopened: the resolve clock starts again, by the policy. */
	if (before && !ticket_is_open(before->status) && ticket_is_open(after->status))
		after->resolve_start = now;
	const struct sla_policy *p = sla_after_change(&s->wf.sla, before, after);
	const struct calendar *cal = p ? calendars_find(&s->wf.calendars, p->calendar) : NULL;
	struct span *pauses = NULL;
	size_t n = 0;
	if (p && before && (st = store_pauses_get(s->store, after->id, &pauses, &n, err)))
		return st;
	st = sla_set_dues(p, cal, after, pauses, n, now, err);
	free(pauses);
	return st;
}

/* Write what differs, one event a field; none: one event for the note. */
static enum kf_status record(struct session *s, const struct ticket *before,
			     struct ticket *after, const char *what, const char *note,
			     struct kf_err *err)
{
	enum kf_status st;
	size_t updated = 0;
	int changed = 0;
	for (size_t i = 0; i < ticket_nfields; i++)
		if (!strcmp(ticket_fields[i].name, "updated"))
			updated = i;
	for (size_t i = 0; i < ticket_nfields && !changed; i++)
		changed = i != updated && ticket_field_differs(before, after, i);
	if (!changed)
		return ticket_log(s, after->id, what, note, err);
	after->updated = s->who.when.t;
	if ((st = store_ticket_update(s->store, after, err)))
		return st;
	for (size_t i = 0; i < ticket_nfields; i++) {
		if (i == updated || !ticket_field_differs(before, after, i))
			continue;
		char *was = ticket_field_text(before, i), *now = ticket_field_text(after, i);
		st = log_event(s, after->id, what, ticket_fields[i].name, was, now, note, err);
		free(was);
		free(now);
		if (st)
			return st;
		note = NULL;
	}
	return KF_OK;
}

enum kf_status ticket_apply(struct session *s, const struct ticket *before, struct ticket *after,
			    const char *what, const char *note, struct kf_err *err)
{
	enum kf_status st = update_clocks(s, before, after, err);
	if (!st)
		st = record(s, before, after, what, note, err);
	if (!st)
		st = followup_on_change(s, before, after, err);
	if (!st)
		ticket_hooks_change(s, before, after, what, note);
	return st;
}

enum kf_status ticket_begin(struct session *s, const char *id, struct ticket *before,
			    struct ticket *after, struct kf_err *err)
{
	/* Hooks queued by a change since undone are not this one's. */
	ticket_hooks_drop(s);
	enum kf_status st = store_begin(s->store, err);
	if (st)
		return st;
	if ((st = store_ticket_get(s->store, id, before, err))) {
		store_rollback(s->store);
		return st;
	}
	ticket_copy(after, before);
	return KF_OK;
}

enum kf_status ticket_finish(struct session *s, const struct ticket *before, struct ticket *after,
			     const char *what, const char *note, struct kf_err *err)
{
	return ticket_end(s, ticket_apply(s, before, after, what, note, err), err);
}

enum kf_status ticket_end(struct session *s, enum kf_status st, struct kf_err *err)
{
	st = store_end(s->store, st, err);
	if (st)
		ticket_hooks_drop(s);
	else
		ticket_hooks_run(s);
	return st;
}

void ticket_rollback(struct session *s)
{
	store_rollback(s->store);
	ticket_hooks_drop(s);
}

enum kf_status ticket_create(struct session *s, struct ticket *t, const char *note,
			     struct kf_err *err)
{
	enum kf_status st;
	char day[9];
	int64_t seq;
	if ((st = update_clocks(s, NULL, t, err)))
		return st;
	ticket_day(t->created, workflows_offset(&s->wf, t->created), day);
	if ((st = store_ticket_seq_next(s->store, day, &seq, err)))
		return st;
	ticket_id(day, seq, t->id);
	t->updated = t->created;
	if ((st = store_ticket_insert(s->store, t, day, seq, err)) ||
	    (st = log_event(s, t->id, "open", NULL, NULL, NULL, note, err)) ||
	    (st = followup_on_change(s, NULL, t, err)))
		return st;
	ticket_hooks_change(s, NULL, t, "open", note);
	return KF_OK;
}
