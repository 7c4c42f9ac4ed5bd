/*
 * lifecycle: the rules every change to a ticket follows, shared by the
 * ticket commands: who may work it, and applying a change (clocks first,
 * then the fields and their events).
 */
#ifndef KEFU_LIFECYCLE_H
#define KEFU_LIFECYCLE_H

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
 * Apply the change from before to after as the session's actor: the SLA
 * clocks updated, every changed field written with an event (what, note).
 * In the caller's transaction. KF_EDB, KF_EINVAL.
 */
enum kf_status ticket_apply(struct session *s, const struct ticket *before, struct ticket *after,
			    const char *what, const char *note, struct kf_err *err);

/* Load a ticket for changing: begin the transaction, load it. */
enum kf_status ticket_begin(struct session *s, const char *id, struct ticket *before,
			    struct ticket *after, struct kf_err *err);
/* Apply, then commit (or roll back on failure). */
enum kf_status ticket_finish(struct session *s, const struct ticket *before, struct ticket *after,
			     const char *what, const char *note, struct kf_err *err);

/* Mark an agent as just assigned a ticket (for leastrecent and recent). */
enum kf_status agent_assigned(struct session *s, const char *email, struct kf_err *err);

#endif
