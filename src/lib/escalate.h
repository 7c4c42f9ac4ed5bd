/*
 * escalate: a ticket put in a supervisor's hands, once per cause:
 *
 * - a breached SLA clock (sla-check --escalate), however often it runs:
 *   an "escalate" event noting the clock and when it was due;
 * - the customer (seed 000: 不满意 or 问题未解决 means 升级处理): a
 *   satisfaction of 1 or 2, at the close or at a follow-up call, or a
 *   follow-up recorded as unresolved, once a ticket however recorded:
 *   an "escalate" event saying why, and the ticket, if it was resolved
 *   or closed, open again (the customer's verdict kept).
 *
 * Either way the priority is raised a step (urgent stays urgent), the
 * department's supervisor is given the ticket (a new one becoming
 * assigned), and workflows/hooks/escalated is told, with the keys
 * reason (response, resolve, unsatisfied, unresolved), clock and due
 * (a breach's; else null) and supervisor, once the change is committed.
 */
#ifndef KEFU_ESCALATE_H
#define KEFU_ESCALATE_H

#include <stdint.h>

#include "session.h"
#include "ticket.h"

/* A breached clock to act on. */
struct breach {
	char id[TICKET_ID_SIZE];
	int bit;     /* ESCALATED_RESPONSE or ESCALATED_RESOLVE */
	int64_t due; /* TIME_NONE: unknown */
};

/*
 * Escalate b as the session's actor, in a transaction of its own, in
 * which the ticket is read again: *done is 0, and nothing changes, when
 * another run escalated that clock meanwhile or the clock has stopped
 * (answered, resolved, closed). KF_ENOTFOUND, KF_EDB, KF_EINVAL.
 */
enum kf_status ticket_escalate(struct session *s, const struct breach *b, int *done,
			       struct kf_err *err);

/* Does the customer's word call for an escalation of t not made yet? */
int escalate_customer_due(const struct ticket *t, int unresolved);

/*
 * In the caller's transaction, t being the ticket as just recorded (its
 * satisfaction, or a follow-up found the problem unresolved): escalate
 * it if escalate_customer_due(), t then updated to match. *done says
 * whether it was. KF_EDB, KF_EINVAL.
 */
enum kf_status ticket_escalate_customer(struct session *s, struct ticket *t, int unresolved,
					int *done, struct kf_err *err);

#endif
