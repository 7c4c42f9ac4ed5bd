/*
 * ticketchange: every change to a ticket in the desk, made the one way:
 * begun (a write transaction, the ticket loaded), applied (its SLA
 * clocks first, then each field that changed written with an event
 * saying who, when, what, before and after, then the follow-up calls
 * its events call for and the hooks it queues), committed, and then its
 * hooks run (ticket_end()). And who may work a ticket; and a new
 * ticket's id.
 */
#ifndef KEFU_TICKETCHANGE_H
#define KEFU_TICKETCHANGE_H

#include "session.h"
#include "ticket.h"

/*
 * May the session's actor work on t (reply, change status, close)? Its
 * assignee may, a supervisor may, and anyone may while nobody has it.
 * KF_EPERM naming the assignee otherwise.
 */
enum kf_status ticket_may_work(const struct session *s, const struct ticket *t,
			       struct kf_err *err);

/*
 * Begin a write transaction and load ticket id into before and a copy
 * into after, for the caller to change. Rolled back on failure.
 * KF_ENOTFOUND, KF_EDB.
 */
enum kf_status ticket_begin(struct session *s, const char *id, struct ticket *before,
			    struct ticket *after, struct kf_err *err);

/*
 * Apply the change from before to after as the session's actor, in the
 * caller's transaction. The SLA clocks first: a pause begun or ended
 * (pending), the resolve clock restarted on reopening, the policy chosen
 * again when what it was made for changed (sla_after_change()), the due
 * times recomputed. Then every field that differs is written, each with
 * an event (what, the note on the first); when none differs, one event
 * carries the note. Then the follow-ups its events call for are made
 * (followup.h) and its hook events queued (tickethook.h). KF_EDB,
 * KF_EINVAL.
 */
enum kf_status ticket_apply(struct session *s, const struct ticket *before, struct ticket *after,
			    const char *what, const char *note, struct kf_err *err);

/* Apply, then end as ticket_end() does. */
enum kf_status ticket_finish(struct session *s, const struct ticket *before, struct ticket *after,
			     const char *what, const char *note, struct kf_err *err);

/*
 * End the transaction as st says (store_end()): committed, the hooks its
 * changes queued are run; rolled back, they are dropped. Returns st or
 * the commit's failure.
 */
enum kf_status ticket_end(struct session *s, enum kf_status st, struct kf_err *err);
/* Roll the transaction back, its hooks dropped. */
void ticket_rollback(struct session *s);

/*
 * Insert t as a new ticket, in the caller's transaction: its clocks set
 * by its policy, its id GD + its day in the desk's zone + the day's next
 * sequence, an "open" event with note, its follow-ups on opened, and the
 * hook opened queued. KF_EDB, KF_EINVAL, KF_EIO.
 */
enum kf_status ticket_create(struct session *s, struct ticket *t, const char *note,
			     struct kf_err *err);

/* An event on ticket id without a field change (a note, a repeat), as the actor. KF_EDB. */
enum kf_status ticket_log(struct session *s, const char *id, const char *what, const char *note,
			  struct kf_err *err);

#endif
