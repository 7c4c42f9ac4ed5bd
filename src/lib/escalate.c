#include "escalate.h"

#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "sbuf.h"
#include "tickethook.h"
#include "ticketchange.h"

static const char *clock_name(int bit)
{
	return bit == ESCALATED_RESPONSE ? "response" : "resolve";
}

/* What every escalation does to after: priority up, the supervisor's. */
static const struct department *raise(struct session *s, struct ticket *after)
{
	int r = priority_rank(after->priority);
	ticket_set(&after->priority, priority_name(r > 0 ? r - 1 : 0));
	const struct department *d =
		after->department ? routing_find(&s->wf.routing, after->department) : NULL;
	if (d && d->supervisor) {
		ticket_set(&after->assignee, d->supervisor);
		if (!strcmp(after->status, "new"))
			ticket_set(&after->status, "assigned");
	}
	return d;
}

/* Queue workflows/hooks/escalated, told once the change is committed. */
static void tell(struct session *s, const struct ticket *t, const char *note, const char *reason,
		 const char *clock, const char *due, const struct department *d)
{
	const struct hook_key keys[] = {
		{ "reason", reason, NULL, NULL },
		{ "clock", clock, NULL, NULL },
		{ "due", due, NULL, NULL },
		{ "supervisor", d ? d->supervisor : NULL, NULL, NULL },
	};
	ticket_hooks_queue(s, "escalated", t, note, keys, sizeof(keys) / sizeof(keys[0]));
}

enum kf_status ticket_escalate(struct session *s, const struct breach *b, int *done,
			       struct kf_err *err)
{
	struct ticket before, after;
	enum kf_status st;
	*done = 0;
	if ((st = ticket_begin(s, b->id, &before, &after, err)))
		return st;
	/* Replied to or resolved since the scan: that clock has stopped. */
	if (before.escalated & b->bit || !ticket_is_open(before.status) ||
	    (b->bit == ESCALATED_RESPONSE && before.first_response != TIME_NONE)) {
		ticket_rollback(s);
		goto out;
	}
	after.escalated |= b->bit;
	const struct department *d = raise(s, &after);
	char due[32] = "unknown";
	if (b->due != TIME_NONE) {
		struct instant in = { b->due, workflows_offset(&s->wf, b->due) };
		iso_format(&in, 0, due);
	}
	char *note = xasprintf("%s clock breached (due %s)", clock_name(b->bit), due);
	st = ticket_apply(s, &before, &after, "escalate", note, err);
	if (!st)
		tell(s, &after, note, clock_name(b->bit), clock_name(b->bit),
		     b->due != TIME_NONE ? due : NULL, d);
	free(note);
	if (!(st = ticket_end(s, st, err)))
		*done = 1;
out:
	ticket_release(&before);
	ticket_release(&after);
	return st;
}

int escalate_customer_due(const struct ticket *t, int unresolved)
{
	int unhappy = t->satisfaction >= 1 && t->satisfaction <= 2;
	return (unhappy || unresolved) && !(t->escalated & ESCALATED_CUSTOMER);
}

enum kf_status ticket_escalate_customer(struct session *s, struct ticket *t, int unresolved,
					int *done, struct kf_err *err)
{
	*done = 0;
	if (!escalate_customer_due(t, unresolved))
		return KF_OK;
	struct ticket after;
	ticket_copy(&after, t);
	after.escalated |= ESCALATED_CUSTOMER;
	/* Back to work, the customer's verdict kept: it is why. */
	if (!ticket_is_open(after.status))
		ticket_reopen_keep_verdict(&after);
	const struct department *d = raise(s, &after);
	const char *reason = unresolved ? "unresolved" : "unsatisfied";
	char *note = unresolved ? xstrdup("the customer's problem is unresolved")
				: xasprintf("the customer is unsatisfied (satisfaction %lld)",
					    (long long)t->satisfaction);
	enum kf_status st = ticket_apply(s, t, &after, "escalate", note, err);
	if (!st) {
		tell(s, &after, note, reason, NULL, NULL, d);
		ticket_release(t);
		*t = after;
		*done = 1;
	} else {
		ticket_release(&after);
	}
	free(note);
	return st;
}
