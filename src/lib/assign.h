/*
 * assign: giving a new ticket its department and agent in the desk
 * (ticket-route): the department by routing.yaml's rules, then an agent
 * by the department's strategy among those eligible now (routing.h's
 * pure functions), offers for ringall, the queue when nobody is free,
 * and what strategies remember (the round-robin place, each agent's last
 * assignment).
 */
#ifndef KEFU_ASSIGN_H
#define KEFU_ASSIGN_H

#include <stddef.h>

#include "routing.h"
#include "session.h"

struct assignment {
	char *department;
	char *agent;     /* NULL: nobody assigned */
	char **offered;  /* ringall: who was offered it */
	size_t noffered;
	int queued;      /* nobody eligible: it waits in the department's queue */
};

/*
 * Called inside the transaction, just before it commits: the command
 * prints the assignment there and flushes it. Anything but KF_OK (output
 * that cannot be written) rolls it back and is returned.
 */
typedef enum kf_status (*assign_confirm_fn)(void *ctx, const char *id,
					    const struct assignment *a, struct kf_err *err);

/*
 * Route ticket id, in one transaction; confirm (may be NULL) is called
 * before the commit. A ticket with a department (transferred, or queued
 * before) keeps it; one already assigned is refused (KF_EINVAL).
 * KF_ENOTFOUND, KF_EINVAL (no rule fits), KF_EDB, or confirm's error.
 */
enum kf_status assign_ticket(struct session *s, const char *id, struct assignment *out,
			     assign_confirm_fn confirm, void *ctx, struct kf_err *err);
void assignment_release(struct assignment *a);

/*
 * The same, in the caller's transaction and without its checks, for a
 * ticket sent to a department's queue (a transfer): after, a change of
 * before, keeps its department (or takes one by the rules) and is given
 * an agent by the department's strategy, offered, or left waiting.
 * out is filled (assignment_release()). KF_EINVAL, KF_EDB.
 */
enum kf_status assign_route(struct session *s, const struct ticket *before, struct ticket *after,
			    struct assignment *out, struct kf_err *err);

/* The tickets waiting to be routed (new, nobody's), oldest first; *ids allocated. KF_EDB. */
enum kf_status assign_waiting(struct session *s, char ***ids, size_t *n, struct kf_err *err);

#endif
