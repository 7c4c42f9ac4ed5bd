#include "claim.h"

#include <string.h>
#include <strings.h>

#include "ticketchange.h"

/* May the actor p claim t, which nobody has? */
static enum kf_status may_claim(struct session *s, const struct person *p,
				const struct ticket *t, struct kf_err *err)
{
	char **offers;
	size_t n;
	int mine = 0;
	enum kf_status st;
	if (p->roles & ROLE_SUPERVISOR)
		return KF_OK;
	/* Offered to some: theirs. Waiting in a department's queue: its agents'. */
	if ((st = store_offers_get(s->store, t->id, &offers, &n, err)))
		return st;
	for (size_t i = 0; i < n && !mine; i++)
		mine = !strcasecmp(offers[i], s->who.email);
	store_names_free(offers, n);
	if (n && !mine)
		return kf_fail(err, KF_EPERM, "refused: %s is offered to other agents", t->id);
	if (!n && t->department && p->department && strcmp(t->department, p->department))
		return kf_fail(err, KF_EPERM, "refused: %s waits in the queue of %s, not %s",
			       t->id, t->department, p->department);
	return KF_OK;
}

static enum kf_status take(struct session *s, const struct ticket *before, struct ticket *after,
			   claim_confirm_fn confirm, void *ctx, struct kf_err *err)
{
	const struct person *p = session_person(s);
	const char *me = s->who.email;
	enum kf_status st;
	if ((st = may_claim(s, p, before, err)))
		return st;
	ticket_set(&after->assignee, me);
	if (!strcmp(after->status, "new"))
		ticket_set(&after->status, "assigned");
	if (!after->department && p->department)
		ticket_set(&after->department, p->department);
	if ((st = store_offers_set(s->store, after->id, NULL, 0, s->who.when.t, err)) ||
	    (st = store_agent_assigned(s->store, me, s->who.when.t, err)))
		return st;
	/* Said before it is committed: a claim that cannot be said is not made. */
	if (confirm && (st = confirm(ctx, after->id, err)))
		return st;
	return ticket_apply(s, before, after, "claim", NULL, err);
}

enum kf_status ticket_claim(struct session *s, const char *id, enum claim_result *res,
			    claim_confirm_fn confirm, void *ctx, struct kf_err *err)
{
	struct ticket before, after;
	enum kf_status st;
	*res = CLAIM_TAKEN;
	if ((st = ticket_begin(s, id, &before, &after, err)))
		return st;
	if (before.assignee && strcasecmp(before.assignee, s->who.email))
		st = kf_fail(err, KF_EPERM, "%s is already claimed by %s", id, before.assignee);
	else if (!ticket_is_open(before.status))
		st = kf_fail(err, KF_EINVAL, "%s is %s: ticket-reopen it first", id,
			     before.status);
	else if (before.assignee)
		*res = CLAIM_ALREADY; /* a claim again records nothing */
	else
		st = take(s, &before, &after, confirm, ctx, err);
	if (*res == CLAIM_ALREADY)
		ticket_rollback(s); /* nothing to write */
	else
		st = ticket_end(s, st, err);
	ticket_release(&before);
	ticket_release(&after);
	return st;
}
