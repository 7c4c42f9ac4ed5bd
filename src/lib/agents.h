/*
 * agents: the desk's agents as routing sees them (available or away,
 * on shift by their calendar, how many open tickets they hold), and
 * setting one's status.
 */
#ifndef KEFU_AGENTS_H
#define KEFU_AGENTS_H

#include <stddef.h>
#include <stdint.h>

#include "session.h"

struct agent_state {
	const struct person *p;
	const char *status; /* "available" or "away" */
	int on_shift;
	long open;             /* open tickets assigned to them */
	int64_t last_assigned; /* TIME_NONE: never */
};

/*
 * Every agent (role agent) in roles.yaml order, now; *v allocated.
 * KF_EDB.
 */
enum kf_status agents_load(struct session *s, struct agent_state **v, size_t *n,
			   struct kf_err *err);

/*
 * Mark agent (an email; NULL: the actor) away or available: one's own
 * status, or anyone's by a supervisor. KF_EINVAL when they are not an
 * agent of roles.yaml, KF_EPERM, KF_EDB.
 */
enum kf_status agent_set_status(struct session *s, const char *agent, int away,
				struct kf_err *err);

#endif
