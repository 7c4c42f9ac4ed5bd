/*
 * dispatch: routing a ticket in the desk: its department by routing.yaml's
 * rules, then an agent by the department's strategy among those
 * eligible now (see route.h), remembering what strategies need (the
 * round-robin place, each agent's last assignment).
 */
#ifndef KEFU_DISPATCH_H
#define KEFU_DISPATCH_H

#include <stddef.h>

#include "route.h"
#include "session.h"

struct dispatch {
	char *department;
	char *agent;     /* NULL: nobody assigned */
	char **offered;  /* ringall: who was offered it */
	size_t noffered;
	int queued;      /* nobody eligible: it waits in the department's queue */
};

/*
 * Called inside the transaction, just before it commits: the command
 * prints the routing there and flushes it. Anything but KF_OK (output
 * that cannot be written) rolls the routing back and is returned.
 */
typedef enum kf_status (*dispatch_confirm_fn)(void *ctx, const char *id,
					      const struct dispatch *d, struct kf_err *err);

/*
 * Route ticket id, in one transaction; confirm (may be NULL) is called
 * before the commit. A ticket with a department (transferred, or queued
 * before) keeps it; one already assigned is refused (KF_EINVAL).
 * KF_ENOTFOUND, KF_EINVAL (no rule fits), KF_EDB, or confirm's error.
 */
enum kf_status dispatch_ticket(struct session *s, const char *id, struct dispatch *out,
			       dispatch_confirm_fn confirm, void *ctx, struct kf_err *err);
void dispatch_release(struct dispatch *d);

/* An agent of the desk, as agent-status shows them. */
struct agent_state {
	const struct person *p;
	const char *status; /* "available" or "away" */
	int on_shift;
	long open;
	int64_t last_assigned;
};

/* Every agent (role agent) in roles.yaml order, *v allocated. KF_EDB. */
enum kf_status dispatch_agents(struct session *s, struct agent_state **v, size_t *n,
			       struct kf_err *err);

#endif
