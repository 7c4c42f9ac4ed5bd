/*
 * routing: workflows/routing.yaml, and who gets a ticket: the rules that
 * pick a department and the strategies that pick an agent, as pure
 * functions (assign.h applies them to the desk).
 *
 * A ticket goes to the department of the first rule whose match fits it
 * (every key of the match must fit; a rule without match fits all), then
 * to an agent of that department by its strategy. The department's agents
 * are the people with the role agent whose department names it, in the
 * order of roles.yaml; only those available (agent-status), on shift
 * (their calendar, else the department's) and under capacity count.
 *
 * Ownership: routing_parse() fills strings that routing_release() frees.
 */
#ifndef KEFU_ROUTING_H
#define KEFU_ROUTING_H

#include <stddef.h>
#include <stdint.h>

#include "problems.h"
#include "status.h"

enum strategy {
	ST_STICKY,      /* the customer's previous agent, else the fallback */
	ST_RINGALL,     /* offered to every eligible agent; the first claim wins */
	ST_LINEAR,      /* the first eligible in roles.yaml order */
	ST_ROUNDROBIN,  /* the next eligible after the one picked last */
	ST_FEWEST,      /* fewest open tickets */
	ST_LEASTRECENT, /* picked longest ago (never first) */
	ST_RECENT,      /* picked most recently */
	ST_RANDOM,      /* any eligible */
};

struct department {
	char *name;
	enum strategy strategy, fallback; /* fallback: for sticky (default fewest) */
	char *supervisor;
	char *calendar; /* the shift of agents who name none; NULL: always */
	int line;
};

struct route_match {
	char *type, *priority, *channel;
	char **keywords, **customer_tags;
	size_t nkeywords, ncustomer_tags;
	char cmp[3];    /* complexity comparison: ">=", "<=", ">", "<", "=", "" none */
	long complexity;
};

struct route_rule {
	struct route_match match;
	int has_match;
	char *department;
	int line;
};

struct routing {
	struct department *depts;
	struct route_rule *rules;
	size_t ndepts, nrules;
};

/* What a rule looks at. */
struct route_ticket {
	const char *type, *priority, *channel, *subject, *description;
	char *const *tags; /* the customer's tags */
	size_t ntags;
	long complexity;   /* 0: not scored */
};

enum kf_status routing_parse(const char *buf, size_t len, struct routing *rt,
			     struct diags *probs);
void routing_release(struct routing *rt);

const struct department *routing_find(const struct routing *rt, const char *name);
const char *strategy_name(enum strategy s);

/* The department of the first fitting rule, or NULL when none fits. */
const char *route_department(const struct routing *rt, const struct route_ticket *t);

/* An agent as the strategies see one. */
struct candidate {
	const char *email;
	int eligible;          /* available, on shift, under capacity */
	long open;             /* open tickets assigned now */
	int64_t last_assigned; /* 0: never */
};

/*
 * The agent strategy st picks among c[0..n) (in roles.yaml order): an
 * index, or -1 when nobody is eligible. last is the department's last
 * pick (roundrobin), previous the customer's last agent (sticky), seed a
 * random number (random). Ringall picks nobody: every eligible is offered.
 */
int route_pick(enum strategy st, enum strategy fallback, const struct candidate *c, size_t n,
	       const char *last, const char *previous, uint32_t seed);

#endif
