#include "escalate.h"

#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "notify.h"
#include "output.h"
#include "sbuf.h"
#include "ticketchange.h"

static const char *clock_name(int bit)
{
	return bit == ESCALATED_RESPONSE ? "response" : "resolve";
}

/* Tell workflows/hooks/escalated; a failing hook only warns. */
static void tell(struct session *s, const struct breach *b, const struct ticket *t,
		 const char *due, const struct department *d, escalate_warn_fn warn, void *ctx)
{
	struct out o;
	out_init(&o, NULL, OUT_JSON);
	out_begin(&o);
	out_str(&o, "event", "escalated");
	out_str(&o, "ticket", t->id);
	out_str(&o, "clock", clock_name(b->bit));
	out_str(&o, "due", b->due != TIME_NONE ? due : NULL);
	out_str(&o, "priority", t->priority);
	out_str(&o, "department", t->department);
	out_str(&o, "supervisor", d ? d->supervisor : NULL);
	out_str(&o, "customer", t->customer);
	out_str(&o, "subject", t->subject);
	char *json = out_end_string(&o);
	struct kf_err hook;
	if (notify_hook(s->desk.root, "escalated", json, &hook) && warn)
		warn(ctx, hook.msg);
	free(json);
}

enum kf_status ticket_escalate(struct session *s, const struct breach *b, int *done,
			       escalate_warn_fn warn, void *ctx, struct kf_err *err)
{
	struct ticket before, after;
	enum kf_status st;
	*done = 0;
	if ((st = ticket_begin(s, b->id, &before, &after, err)))
		return st;
	/* Replied to or resolved since the scan: that clock has stopped. */
	if (before.escalated & b->bit || !ticket_is_open(before.status) ||
	    (b->bit == ESCALATED_RESPONSE && before.first_response != TIME_NONE)) {
		store_rollback(s->store);
		goto out;
	}
	after.escalated |= b->bit;
	int r = priority_rank(after.priority);
	ticket_set(&after.priority, priority_name(r > 0 ? r - 1 : 0));
	const struct department *d =
		after.department ? routing_find(&s->wf.routing, after.department) : NULL;
	if (d && d->supervisor) {
		ticket_set(&after.assignee, d->supervisor);
		if (!strcmp(after.status, "new"))
			ticket_set(&after.status, "assigned");
	}
	char due[32] = "unknown";
	if (b->due != TIME_NONE) {
		struct instant in = { b->due, workflows_offset(&s->wf, b->due) };
		iso_format(&in, 0, due);
	}
	char *note = xasprintf("%s clock breached (due %s)", clock_name(b->bit), due);
	st = ticket_finish(s, &before, &after, "escalate", note, err);
	free(note);
	if (st)
		goto out;
	*done = 1;
	tell(s, b, &after, due, d, warn, ctx);
out:
	ticket_release(&before);
	ticket_release(&after);
	return st;
}
