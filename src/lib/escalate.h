/*
 * escalate: acting on a breached SLA clock (sla-check --escalate), once
 * per clock however often it runs: an "escalate" event noting the clock
 * and when it was due, the priority raised a step (urgent stays urgent),
 * the department's supervisor given the ticket (a new one becoming
 * assigned), and workflows/hooks/escalated told.
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

/* Told of a hook that failed, which undoes nothing: one line. */
typedef void (*escalate_warn_fn)(void *ctx, const char *msg);

/*
 * Escalate b as the session's actor, in a transaction of its own, in
 * which the ticket is read again: *done is 0, and nothing changes, when
 * another run escalated that clock meanwhile or the clock has stopped
 * (answered, resolved, closed). KF_ENOTFOUND, KF_EDB, KF_EINVAL.
 */
enum kf_status ticket_escalate(struct session *s, const struct breach *b, int *done,
			       escalate_warn_fn warn, void *ctx, struct kf_err *err);

#endif
