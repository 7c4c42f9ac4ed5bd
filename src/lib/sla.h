/*
 * sla: workflows/sla.yaml, the promises made to customers.
 *
 *   policies:   first whose match fits wins (keys type, priority, channel,
 *               department; none: fits all): name, calendar, response, resolve
 *   warn:       "80%": a clock this far used up is due soon
 *
 * What the clocks read under a policy is slaclock.h's; the pauses they
 * skip are kept by the store (store.h).
 *
 * Ownership: sla_parse() fills strings that sla_release() frees.
 */
#ifndef KEFU_SLA_H
#define KEFU_SLA_H

#include <stddef.h>
#include <stdint.h>

#include "problems.h"
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

/* The policy of that name, or NULL. */
const struct sla_policy *sla_find(const struct sla *sla, const char *name);

/* The policy for a ticket as it is, or NULL. */
const struct sla_policy *sla_match(const struct sla *sla, const struct ticket *t);

/*
 * The policy after a change from before (NULL: a new ticket) to after:
 * the one before's promise was made under, while the change leaves
 * type, priority, channel and department alone or is an escalation;
 * else the one that matches after. NULL: none.
 */
const struct sla_policy *sla_after_change(const struct sla *sla, const struct ticket *before,
					  const struct ticket *after);

#endif
