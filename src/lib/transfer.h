/*
 * transfer: handing a ticket on (ticket-update --transfer), the commonest
 * move of first-line staff (seed 001: 产品问题转技术部, 物流问题转仓储部).
 *
 * - An agent may transfer a ticket they hold: to another department,
 *   or to an agent of their own department.
 * - A supervisor may transfer any open ticket to any department or agent.
 * - To a department: it goes to that department's queue and is routed
 *   there at once by the department's strategy (assign.h): given to an
 *   agent, offered (ringall), or left waiting when nobody is free.
 * - To an agent (someone with the role agent): theirs, with their
 *   department.
 * - Every transfer has its reason: the note of its first "transfer"
 *   event (one per field it changes); the routing after it is "route",
 *   "offer" or "queue", as ticket-route's.
 */
#ifndef KEFU_TRANSFER_H
#define KEFU_TRANSFER_H

#include "assign.h"
#include "session.h"

/*
 * May the session's actor transfer t to `to` (a department's name, or a
 * person's email)? KF_OK; KF_EPERM (not theirs to transfer, or an agent
 * of another department); KF_EINVAL (unknown, not an agent, already
 * there); each with a line saying why.
 */
enum kf_status ticket_may_transfer(struct session *s, const struct ticket *t, const char *to,
				   struct kf_err *err);

/*
 * Transfer the ticket from before (as the caller's transaction has it
 * now) to `to`, for reason, in that transaction, after
 * ticket_may_transfer(); after becomes the ticket as left. out says where
 * it went (assignment_release()): the department and, when one was
 * chosen, the agent. KF_EINVAL, KF_EDB.
 */
enum kf_status ticket_transfer(struct session *s, const struct ticket *before,
			       struct ticket *after, const char *to, const char *reason,
			       struct assignment *out, struct kf_err *err);

#endif
