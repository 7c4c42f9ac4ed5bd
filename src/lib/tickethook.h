/*
 * tickethook: the desk's hooks told of every ticket event, after the
 * change is committed: opened, assigned, replied, pending, resolved,
 * closed, reopened, escalated, followup-due (notify.h runs each
 * workflows/hooks/EVENT).
 *
 * A change queues its events while it is applied, in its transaction
 * (ticket_apply() calls ticket_hooks_change(); escalation and follow-ups
 * queue their own); ticket_end() commits and then runs them, in the
 * order queued, or rolls back and drops them. A hook that fails is
 * told to the session's warn callback and undoes nothing.
 *
 * What a hook reads on stdin, one JSON object and a newline:
 *   {"event": "replied", "at": ISO time, "who": the actor's email,
 *    "note": the event's text or null, ...the event's own keys...,
 *    "ticket": {the ticket as ticket-show --json gives it, events aside}}
 *
 * Ownership: the queue lives in the session; session_close() drops it.
 */
#ifndef KEFU_TICKETHOOK_H
#define KEFU_TICKETHOOK_H

#include <stddef.h>

#include "ticket.h"

struct session;

struct out;

/* A key of an event's own: a string (NULL: null), or, with emit, a map
 * whose keys emit writes. */
struct hook_key {
	const char *key;
	const char *value;
	void (*emit)(struct out *o, const void *arg);
	const void *arg;
};

/* Queue event about t as it now is, with note and keys[0..nkeys). */
void ticket_hooks_queue(struct session *s, const char *event, const struct ticket *t,
			const char *note, const struct hook_key *keys, size_t nkeys);

/*
 * Queue the events of a change from before (NULL: a new ticket) to
 * after, caused by what with note: opened, reopened, assigned (to
 * someone new), replied (what is "reply"), then pending, resolved or
 * closed as the status became. Escalations queue their own.
 */
void ticket_hooks_change(struct session *s, const struct ticket *before,
			 const struct ticket *after, const char *what, const char *note);

/* Run what is queued (the change is committed), emptying the queue. */
void ticket_hooks_run(struct session *s);
/* Forget what is queued (the change was rolled back). */
void ticket_hooks_drop(struct session *s);


#endif
