#include "transfer.h"

#include <string.h>
#include <strings.h>

#include "sbuf.h"
#include "ticketchange.h"

/* The person `to` names, when it is an email of roles.yaml. */
static const struct person *person_named(const struct session *s, const char *to)
{
	return strchr(to, '@') ? roles_find(&s->wf.roles, to) : NULL;
}

enum kf_status ticket_may_transfer(struct session *s, const struct ticket *t, const char *to,
				   struct kf_err *err)
{
	const struct person *me = session_person(s);
	const struct person *p = person_named(s, to);
	int boss = me && (me->roles & ROLE_SUPERVISOR);
	if (!p && !routing_find(&s->wf.routing, to))
		return kf_fail(err, KF_EINVAL,
			       "unknown department or agent '%s' (routing.yaml and roles.yaml "
			       "list them)",
			       to);
	if (p && !(p->roles & ROLE_AGENT))
		return kf_fail(err, KF_EINVAL, "'%s' is not an agent", to);
	if (p && t->assignee && !strcasecmp(t->assignee, p->email))
		return kf_fail(err, KF_EINVAL, "%s is already %s's", t->id, p->email);
	if (boss)
		return KF_OK;
	/* An agent hands on what they hold, and nothing else. */
	if (!t->assignee)
		return kf_fail(err, KF_EPERM,
			       "refused: nobody has %s: claim it before transferring it, or ask "
			       "a supervisor",
			       t->id);
	if (strcasecmp(t->assignee, s->who.email))
		return kf_fail(err, KF_EPERM,
			       "refused: %s is %s's; only they or a supervisor may transfer it",
			       t->id, t->assignee);
	const char *mine = me ? me->department : NULL;
	if (p && (!mine || !p->department || strcmp(p->department, mine)))
		return kf_fail(err, KF_EPERM,
			       "refused: %s is in %s, not %s: transfer the ticket to %s, whose "
			       "strategy picks its agent",
			       p->email, p->department ? p->department : "no department",
			       mine ? mine : "a department", p->department ? p->department : "theirs");
	if (!p && t->department && !strcmp(t->department, to))
		return kf_fail(err, KF_EINVAL,
			       "%s is already in %s: transfer it to one of its agents by email", t->id,
			       to);
	return KF_OK;
}

enum kf_status ticket_transfer(struct session *s, const struct ticket *before,
			       struct ticket *after, const char *to, const char *reason,
			       struct assignment *out, struct kf_err *err)
{
	const struct person *p = person_named(s, to);
	enum kf_status st;
	memset(out, 0, sizeof(*out));
	if (p) {
		ticket_set(&after->assignee, p->email);
		if (p->department)
			ticket_set(&after->department, p->department);
		if (!strcmp(after->status, "new"))
			ticket_set(&after->status, "assigned");
		if ((st = store_offers_set(s->store, after->id, NULL, 0, s->who.when.t, err)) ||
		    (st = store_agent_assigned(s->store, p->email, s->who.when.t, err)) ||
		    (st = ticket_apply(s, before, after, "transfer", reason, err)))
			return st;
		out->department = xstrdup(after->department ? after->department : "");
		out->agent = xstrdup(p->email);
		return KF_OK;
	}
	/* To the department's queue, then routed there as ticket-route would. */
	ticket_set(&after->department, to);
	ticket_set(&after->assignee, NULL);
	ticket_set(&after->status, "new");
	if ((st = store_offers_set(s->store, after->id, NULL, 0, s->who.when.t, err)) ||
	    (st = ticket_apply(s, before, after, "transfer", reason, err)))
		return st;
	struct ticket queued;
	ticket_copy(&queued, after);
	st = assign_route(s, &queued, after, out, err);
	ticket_release(&queued);
	return st;
}
