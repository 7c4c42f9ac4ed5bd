/*
 * slacheck: every open ticket's SLA clocks read at one instant (what
 * sla-check reports), and the breaches that escalation has still to act
 * on (escalate.h acts).
 */
#ifndef KEFU_SLACHECK_H
#define KEFU_SLACHECK_H

#include <stddef.h>
#include <stdint.h>

#include "escalate.h"
#include "session.h"
#include "slaclock.h"

/* Told of each clock read; anything but KF_OK stops the check and is returned. */
typedef enum kf_status (*sla_reading_fn)(void *ctx, const struct ticket *t,
					 const struct sla_clock *c, struct kf_err *err);

struct sla_report {
	size_t breached;     /* clocks breached */
	struct breach *todo; /* breaches not escalated yet, by ticket id */
	size_t ntodo;
};

/*
 * Read the clocks of every open ticket under a policy at instant at, in
 * id order, each with its pauses, telling fn. A ticket or pause that
 * cannot be read fails the whole check (KF_EDB): nothing is reported as
 * breached that a pause would have held. out is released by
 * sla_report_release() whatever the result.
 */
enum kf_status sla_check(struct session *s, int64_t at, sla_reading_fn fn, void *ctx,
			 struct sla_report *out, struct kf_err *err);
void sla_report_release(struct sla_report *r);

#endif
