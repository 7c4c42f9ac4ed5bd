/*
 * claim: an agent taking a ticket (ticket-claim). Who may: nobody else
 * has it, it is open, and, unless they are a supervisor, it is offered
 * to them (ringall) or, offered to nobody, it waits in their own
 * department's queue. Of several offered, the first claim wins; the
 * offers go with it.
 */
#ifndef KEFU_CLAIM_H
#define KEFU_CLAIM_H

#include "session.h"

enum claim_result {
	CLAIM_TAKEN,   /* the ticket is the actor's now */
	CLAIM_ALREADY, /* it was already theirs: nothing recorded */
};

/*
 * Called inside the transaction, before it commits, when the ticket is
 * taken: the command says so there. Anything but KF_OK rolls it back.
 */
typedef enum kf_status (*claim_confirm_fn)(void *ctx, const char *id, struct kf_err *err);

/*
 * Claim ticket id as the session's actor, in one transaction. KF_EPERM
 * (someone has it, or it is offered to others or waits in another
 * department's queue), KF_EINVAL (resolved or closed), KF_ENOTFOUND,
 * KF_EDB, or confirm's error.
 */
enum kf_status ticket_claim(struct session *s, const char *id, enum claim_result *res,
			    claim_confirm_fn confirm, void *ctx, struct kf_err *err);

#endif
