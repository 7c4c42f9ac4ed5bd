/*
 * followup: the desk's follow-up calls (回访), by the rules of
 * workflows/followups.yaml (followups.h):
 *
 * - made when a ticket's event happens (opened, resolved, closed, or a
 *   date of its own such as a sale), one per rule that fits the ticket;
 *   the same rule's pending call on the same ticket is moved instead;
 *   those that follow a resolution or a close are cancelled when the
 *   ticket is reopened (its next resolution makes them again);
 * - listed by day, as calls are made: due (today, in the desk's zone),
 *   overdue (an earlier day's, not made), scheduled (a later day), or,
 *   once recorded, its outcome: done, unresolved, cancelled;
 * - recorded: done or unresolved, with a note and the satisfaction the
 *   customer gave, which becomes the ticket's; an unsatisfied customer
 *   (1 or 2) or an unresolved problem is escalated (escalate.h);
 * - moved to another time; and told once to workflows/hooks/followup-due
 *   when its day comes (followup_notify(), from cron).
 *
 * Every change is a "followup" event of the ticket (a date, "date").
 */
#ifndef KEFU_FOLLOWUP_H
#define KEFU_FOLLOWUP_H

#include <stddef.h>
#include <stdint.h>

#include "session.h"
#include "store.h"

/*
 * In the caller's transaction, once a change from before (NULL: a new
 * ticket) to after is recorded: the calls its events make, the pending
 * ones a reopening cancels. Nothing when the desk has no rules. KF_EDB,
 * KF_EINVAL.
 */
enum kf_status followup_on_change(struct session *s, const struct ticket *before,
				  const struct ticket *after, struct kf_err *err);

/*
 * A date of ticket t's own (name, e.g. "sale", at instant when), in the
 * caller's transaction: a "date" event (field name, after when, note)
 * and the calls of rules on that name. KF_EINVAL (a name not valid),
 * KF_EDB.
 */
enum kf_status followup_on_date(struct session *s, const struct ticket *t, const char *name,
				int64_t when, const char *note, struct kf_err *err);

/* The day of at in the desk's zone: [*start, *end), midnight to midnight. */
void followup_day(struct session *s, int64_t at, int64_t *start, int64_t *end);

/*
 * A follow-up's state on the day [start, end): overdue (due an earlier
 * day and not made), due (today), scheduled (a later day), or its
 * outcome once recorded.
 */
const char *followup_state(const struct followup *f, int64_t start, int64_t end);

/* Told of each follow-up listed, with its ticket and its state. */
typedef enum kf_status (*followup_fn)(void *ctx, const struct followup *f,
				      const struct ticket *t, const char *state,
				      struct kf_err *err);

/*
 * List follow-ups at instant at, by due time: ticket's (NULL: the
 * pending ones of every ticket), with due_only those due by the end of
 * at's day. *overdue counts those overdue. KF_ENOTFOUND (no such
 * ticket), KF_EDB, or fn's status.
 */
enum kf_status followup_list(struct session *s, const char *ticket, int due_only, int64_t at,
			     followup_fn fn, void *ctx, size_t *overdue, struct kf_err *err);

struct followup_outcome {
	const char *name;  /* the rule's call; NULL: the ticket's next one due */
	const char *note;  /* may be NULL */
	long satisfaction; /* 1-5; 0 none */
	int unresolved;    /* the customer's problem is not solved */
};

/*
 * Record the outcome of ticket's pending call, in one transaction, as
 * the session's actor; *escalated set when it escalated the ticket.
 * KF_ENOTFOUND (no such ticket, or no call pending), KF_EDB, KF_EINVAL.
 */
enum kf_status followup_record(struct session *s, const char *ticket,
			       const struct followup_outcome *o, int *escalated,
			       struct kf_err *err);

/* Move ticket's pending call (name: NULL, the next due) to due, with a note. Same statuses. */
enum kf_status followup_reschedule(struct session *s, const char *ticket, const char *name,
				   int64_t due, const char *note, struct kf_err *err);

/*
 * Tell workflows/hooks/followup-due of each pending call due by the end
 * of at's day and not told yet, once each, in a transaction each: the
 * hook's JSON has "followup" (name, event, purpose, due, state) and the
 * ticket. *told counts them. KF_EDB.
 */
enum kf_status followup_notify(struct session *s, int64_t at, size_t *told, struct kf_err *err);

#endif
