/*
 * followups: workflows/followups.yaml, the calls to make after a
 * ticket's events (回访): a call-back three working days after the fix,
 * a visit a week after the close, a reminder three months after a sale.
 *
 *   followups:
 *     - name: callback        # [a-z0-9][a-z0-9-]*, unique: the call's name
 *       on: resolved          # opened, resolved, closed, or a date of the
 *                             # ticket's own (ticket-update --date sale=...)
 *       after: 3d             # how long after, in business time on calendar
 *       calendar: workdays    # optional: without one every second counts
 *       purpose: 回访满意度     # what the call is for (optional)
 *       match: {type: 技术支持} # optional: type, priority, channel, department,
 *                             # satisfaction ("<=3", ">=4", "5"), customer_tags
 *
 * Every rule whose match fits the ticket when its event happens makes
 * one follow-up (followup.h keeps them in the desk). The rules as pure
 * functions here; calendars and departments are checked by workflows.c.
 *
 * Ownership: followups_parse() fills strings that followups_release() frees.
 */
#ifndef KEFU_FOLLOWUPS_H
#define KEFU_FOLLOWUPS_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "problems.h"
#include "status.h"

struct ticket;

struct followup_rule {
	char *name;
	char *on;       /* the event: opened, resolved, closed or a date's name */
	int64_t after;  /* seconds, on calendar */
	char *calendar; /* NULL: plain time */
	char *purpose;  /* NULL: none given */
	char *type, *priority, *channel, *department; /* the match; NULL: any */
	char **customer_tags;                          /* any of them; NULL: any */
	size_t ncustomer_tags;
	char cmp[3];        /* satisfaction: "<=", ">=", "<", ">", "=", "" for any */
	long satisfaction;
	int line;
};

struct followups {
	struct followup_rule *v;
	size_t n;
};

/* Read followups.yaml from buf[0..len). KF_EINVAL with every problem in probs. */
enum kf_status followups_parse(const char *buf, size_t len, struct followups *fu,
			       struct diags *probs);
void followups_release(struct followups *fu);

/* The rule of that name, or NULL. */
const struct followup_rule *followups_find(const struct followups *fu, const char *name);

/*
 * The events the ticket's own changes make: opened, resolved, closed.
 * Any other name a rule's on: uses is a date recorded on the ticket.
 */
int followup_event_builtin(const char *event);
/* A date's name, as ticket-update --date takes it: [a-z][a-z0-9-]{0,31}, not built in. */
int followup_date_name_valid(const char *name);

/* Does the ticket fit the rule's match? */
int followup_rule_fits(const struct followup_rule *r, const struct ticket *t);

/*
 * When a follow-up by rule r is due for an event at instant from: after
 * r->after of business time on its calendar (found in cals), else of
 * plain time. KF_EINVAL (a calendar unknown or without hours, a time
 * out of range).
 */
enum kf_status followup_rule_due(const struct followup_rule *r, const struct calendars *cals,
				 int64_t from, int64_t *due, struct kf_err *err);

#endif
