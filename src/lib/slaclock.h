/*
 * slaclock: the two clocks every open ticket runs, in business time on
 * its SLA policy's calendar: arithmetic only, given the ticket, its
 * policy and its pauses (the store keeps them).
 *
 * - response, from creation until the first reply;
 * - resolve, from creation (or the last reopening) until resolved.
 * While a ticket is pending (waiting on the customer) both are paused;
 * every pause is kept, so a change of type or priority re-evaluates the
 * policy without losing paused time.
 */
#ifndef KEFU_SLACLOCK_H
#define KEFU_SLACLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "sla.h"
#include "status.h"
#include "ticket.h"

/*
 * Set t's policy to p (NULL: none) and its due times by p on cal, given
 * its pauses (sorted; a running one counts until now): the response due
 * while unanswered, the resolve due while open. KF_EINVAL (a calendar
 * without hours).
 */
enum kf_status sla_set_dues(const struct sla_policy *p, const struct calendar *cal,
			    struct ticket *t, const struct span *pauses, size_t npauses,
			    int64_t now, struct kf_err *err);

/* A clock's reading at some instant. */
struct sla_clock {
	const char *clock; /* "response" or "resolve" */
	const char *state; /* "ok", "soon", "paused" (pending), "breached" */
	int64_t due;       /* when it is (or was) due; a paused clock: as if it resumed at */
	int64_t left;      /* business seconds left; negative when overdue */
	int paused;
};

/* The ESCALATED_* bit of a clock. */
int sla_clock_bit(const struct sla_clock *c);

/*
 * The running clocks of t at instant at, given its pauses (sorted by
 * start; a running pause ends TIME_NONE): 0, 1 or 2 of them in out.
 */
size_t sla_clocks(const struct sla *sla, const struct calendars *cals, const struct ticket *t,
		  const struct span *pauses, size_t npauses, int64_t at, struct sla_clock out[2]);

#endif
