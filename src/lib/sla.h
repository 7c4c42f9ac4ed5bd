/*
 * sla: workflows/sla.yaml, and the clocks every open ticket runs.
 *
 *   policies:   first whose match fits wins (keys type, priority, channel,
 *               department; none: fits all): name, calendar, response, resolve
 *   warn:       "80%": a clock this far used up is due soon
 *
 * Two clocks, in business time on the policy's calendar:
 * - response, from creation until the first reply;
 * - resolve, from creation (or the last reopening) until resolved.
 * While a ticket is pending (waiting on the customer) both are paused;
 * every pause is kept in the pauses table, so a change of type or
 * priority re-evaluates the policy without losing paused time.
 *
 * Ownership: sla_parse() fills strings that sla_release() frees.
 */
#ifndef KEFU_SLA_H
#define KEFU_SLA_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "diag.h"
#include "status.h"

struct sla_policy {
	char *name;
	char *type, *priority, *channel, *department; /* the match; NULL: any */
	char *calendar;
	int64_t response, resolve; /* business seconds */
	int line;
};

struct sla {
	struct sla_policy *v;
	size_t n;
	int warn; /* percent */
};

enum kf_status sla_parse(const char *buf, size_t len, struct sla *sla, struct diags *probs);
void sla_release(struct sla *sla);

struct ticket;
struct session;

/* The policy of that name, or NULL. */
const struct sla_policy *sla_find(const struct sla *sla, const char *name);

/* The policy for a ticket as it is, or NULL. */
const struct sla_policy *sla_match(const struct sla *sla, const struct ticket *t);

/*
 * Bring after's clocks up to date for a change from before (NULL: a new
 * ticket): record a pause begun or ended, restart the resolve clock on
 * reopening, re-match the policy when type, priority, channel or
 * department changed other than by an escalation, recompute the due times. In the
 * caller's transaction. KF_EDB, KF_EINVAL (a calendar without hours).
 */
enum kf_status sla_update(struct session *s, const struct ticket *before, struct ticket *after,
			  int64_t now, struct kf_err *err);

/* A clock's reading at some instant. */
struct sla_clock {
	const char *clock; /* "response" or "resolve" */
	const char *state; /* "ok", "soon", "breached" */
	int64_t due;       /* when it is (or was) due; a paused clock: as if it resumed at */
	int64_t left;      /* business seconds left; negative when overdue */
	int paused;
};

/*
 * The running clocks of t at instant at, given its pauses (sorted by
 * start; an open pause has end 0): 0, 1 or 2 of them in out.
 */
size_t sla_clocks(const struct sla *sla, const struct calendars *cals, const struct ticket *t,
		  const struct span *pauses, size_t npauses, int64_t at, struct sla_clock out[2]);

/* The pauses of a ticket, sorted; *v allocated. KF_EDB. */
enum kf_status sla_pauses(struct session *s, const char *id, struct span **v, size_t *n,
			  struct kf_err *err);

#endif
