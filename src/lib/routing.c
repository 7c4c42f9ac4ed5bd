#include "routing.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "sbuf.h"
#include "ticket.h"
#include "yamldoc.h"

static const char *const strategies[] = {
	"sticky", "ringall", "linear", "roundrobin", "fewest", "leastrecent", "recent", "random",
};

const char *strategy_name(enum strategy s)
{
	return strategies[s];
}

static int strategy_from(const char *s)
{
	for (int i = 0; i < 8; i++)
		if (!strcmp(strategies[i], s))
			return i;
	return -1;
}

static void read_strategy(const struct ynode *m, const char *key, enum strategy *out,
			  struct diags *probs)
{
	const char *s = yget_str(m, key, 0, probs);
	if (!s)
		return;
	int st = strategy_from(s);
	if (st < 0)
		diag_add(probs, ynode_get(m, key)->line, key,
			 "unknown strategy '%.40s' (sticky ringall linear roundrobin fewest "
			 "leastrecent recent random)",
			 s);
	else
		*out = (enum strategy)st;
}

static void read_match(const struct ynode *n, struct route_match *m, struct diags *probs)
{
	static const char *const keys[] = { "type",     "priority",      "channel", "keywords",
					    "complexity", "customer_tags", NULL };
	const struct ynode *map = yexpect_map(n, "match", probs);
	if (!map)
		return;
	ycheck_keys(map, keys, "match", probs);
	const char *s;
	if ((s = yget_str(map, "type", 0, probs)))
		m->type = xstrdup(s);
	m->priority = yget_priority(map, "priority", probs);
	if ((s = yget_str(map, "channel", 0, probs)))
		m->channel = xstrdup(s);
	m->keywords = yget_list(map, "keywords", &m->nkeywords, probs);
	m->customer_tags = yget_list(map, "customer_tags", &m->ncustomer_tags, probs);
	if ((s = yget_str(map, "complexity", 0, probs))) {
		/* ">=8", "<3", "=5" or a bare "8" (at least 8) */
		size_t k = strspn(s, "<>=");
		char *end;
		long v = strtol(s + k, &end, 10);
		if (k > 2 || end == s + k || *end || v < 0 || v > 10 ||
		    (k == 2 && s[1] != '=') || (k == 2 && s[0] == '=')) {
			diag_add(probs, ynode_get(map, "complexity")->line, "complexity",
				 "'%.20s' is not a comparison such as \">=8\" (scores run 0-10)", s);
		} else {
			memcpy(m->cmp, k ? s : ">=", k ? k : 2);
			m->complexity = v;
		}
	}
}

enum kf_status routing_parse(const char *buf, size_t len, struct routing *rt,
			     struct diags *probs)
{
	static const char *const keys[] = { "departments", "rules", NULL };
	static const char *const dkeys[] = { "name",     "strategy", "fallback",
					     "supervisor", "calendar", NULL };
	static const char *const rkeys[] = { "match", "department", NULL };
	struct ydoc doc;
	char msg[512];
	int line;
	size_t before = probs->n;

	memset(rt, 0, sizeof(*rt));
	if (ydoc_parse(buf, len, &doc, &line, msg, sizeof(msg))) {
		diag_add(probs, line, NULL, "%s", msg);
		return KF_EINVAL;
	}
	const struct ynode *root = yexpect_map(doc.root, "routing.yaml", probs);
	const struct ynode *depts = root ? ynode_get(root, "departments") : NULL;
	const struct ynode *rules = root ? ynode_get(root, "rules") : NULL;
	if (root) {
		ycheck_keys(root, keys, NULL, probs);
		if (!depts || depts->kind != YN_SEQ || !depts->n)
			diag_add(probs, depts ? depts->line : root->line, "departments",
				 "expected a list of departments");
		if (!rules || rules->kind != YN_SEQ || !rules->n)
			diag_add(probs, rules ? rules->line : root->line, "rules",
				 "expected a list of rules");
	}
	if (depts && depts->kind == YN_SEQ) {
		rt->depts = xcalloc(depts->n + 1, sizeof(*rt->depts));
		for (size_t i = 0; i < depts->n; i++) {
			const struct ynode *m = yexpect_map(depts->kids[i], "a department", probs);
			if (!m)
				continue;
			ycheck_keys(m, dkeys, "a department", probs);
			struct department *d = &rt->depts[rt->ndepts];
			const char *name = yget_str(m, "name", 1, probs);
			if (!name)
				continue;
			if (routing_find(rt, name))
				diag_add(probs, m->line, "name", "department '%s' is listed twice",
					 name);
			d->name = xstrdup(name);
			d->line = m->line;
			d->strategy = ST_FEWEST;
			d->fallback = ST_FEWEST;
			if (!ynode_get(m, "strategy"))
				diag_add(probs, m->line, "strategy", "required key is missing");
			read_strategy(m, "strategy", &d->strategy, probs);
			read_strategy(m, "fallback", &d->fallback, probs);
			if (d->fallback == ST_STICKY || d->fallback == ST_RINGALL)
				diag_add(probs, ynode_get(m, "fallback")->line, "fallback",
					 "a fallback picks one agent: not sticky or ringall");
			const char *s = yget_str(m, "supervisor", 0, probs);
			d->supervisor = s ? xstrdup(s) : NULL;
			s = yget_str(m, "calendar", 0, probs);
			d->calendar = s ? xstrdup(s) : NULL;
			rt->ndepts++;
		}
	}
	if (rules && rules->kind == YN_SEQ) {
		rt->rules = xcalloc(rules->n + 1, sizeof(*rt->rules));
		for (size_t i = 0; i < rules->n; i++) {
			const struct ynode *m = yexpect_map(rules->kids[i], "a rule", probs);
			if (!m)
				continue;
			ycheck_keys(m, rkeys, "a rule", probs);
			struct route_rule *r = &rt->rules[rt->nrules];
			const char *dept = yget_str(m, "department", 1, probs);
			if (!dept)
				continue;
			if (rt->depts && !routing_find(rt, dept))
				diag_add(probs, ynode_get(m, "department")->line, "department",
					 "'%s' is not among the departments", dept);
			r->department = xstrdup(dept);
			r->line = m->line;
			const struct ynode *match = ynode_get(m, "match");
			if (match && !ynode_is_null(match)) {
				r->has_match = 1;
				read_match(match, &r->match, probs);
			}
			rt->nrules++;
		}
	}
	ydoc_release(&doc);
	if (probs->n > before) {
		routing_release(rt);
		return KF_EINVAL;
	}
	return KF_OK;
}

void routing_release(struct routing *rt)
{
	for (size_t i = 0; i < rt->ndepts; i++) {
		free(rt->depts[i].name);
		free(rt->depts[i].supervisor);
		free(rt->depts[i].calendar);
	}
	for (size_t i = 0; i < rt->nrules; i++) {
		struct route_match *m = &rt->rules[i].match;
		free(m->type);
		free(m->priority);
		free(m->channel);
		ylist_free(m->keywords);
		ylist_free(m->customer_tags);
		free(rt->rules[i].department);
	}
	free(rt->depts);
	free(rt->rules);
	memset(rt, 0, sizeof(*rt));
}

const struct department *routing_find(const struct routing *rt, const char *name)
{
	for (size_t i = 0; i < rt->ndepts; i++)
		if (rt->depts[i].name && !strcmp(rt->depts[i].name, name))
			return &rt->depts[i];
	return NULL;
}

static int same(const char *want, const char *have)
{
	return !want || (have && !strcmp(want, have));
}

static int fits(const struct route_match *m, const struct route_ticket *t)
{
	if (!same(m->type, t->type) || !same(m->priority, t->priority) ||
	    !same(m->channel, t->channel))
		return 0;
	if (m->nkeywords) {
		int any = 0;
		for (size_t i = 0; i < m->nkeywords && !any; i++)
			any = text_has(t->subject, m->keywords[i]) ||
			      text_has(t->description, m->keywords[i]);
		if (!any)
			return 0;
	}
	if (m->ncustomer_tags) {
		int any = 0;
		for (size_t i = 0; i < m->ncustomer_tags && !any; i++)
			for (size_t k = 0; k < t->ntags && !any; k++)
				any = !strcasecmp(m->customer_tags[i], t->tags[k]);
		if (!any)
			return 0;
	}
	if (m->cmp[0]) {
		long c = t->complexity, v = m->complexity;
		if (c <= 0)
			return 0; /* not scored: no comparison holds */
		int ok = !strcmp(m->cmp, ">=") ? c >= v : !strcmp(m->cmp, "<=") ? c <= v
			 : !strcmp(m->cmp, ">")  ? c > v
			 : !strcmp(m->cmp, "<")  ? c < v
						 : c == v;
		if (!ok)
			return 0;
	}
	return 1;
}

const char *route_department(const struct routing *rt, const struct route_ticket *t)
{
	for (size_t i = 0; i < rt->nrules; i++)
		if (!rt->rules[i].has_match || fits(&rt->rules[i].match, t))
			return rt->rules[i].department;
	return NULL;
}

static int index_of(const struct candidate *c, size_t n, const char *email)
{
	for (size_t i = 0; email && i < n; i++)
		if (!strcasecmp(c[i].email, email))
			return (int)i;
	return -1;
}

int route_pick(enum strategy st, enum strategy fallback, const struct candidate *c, size_t n,
	       const char *last, const char *previous, uint32_t seed)
{
	int best = -1;
	size_t eligible = 0;
	for (size_t i = 0; i < n; i++)
		eligible += c[i].eligible != 0;
	if (!eligible)
		return -1;
	switch (st) {
	case ST_STICKY: {
		int p = index_of(c, n, previous);
		if (p >= 0 && c[p].eligible)
			return p;
		return route_pick(fallback, ST_FEWEST, c, n, last, NULL, seed);
	}
	case ST_RINGALL:
		return -1;
	case ST_LINEAR:
		for (size_t i = 0; i < n; i++)
			if (c[i].eligible)
				return (int)i;
		return -1;
	case ST_ROUNDROBIN: {
		/* The next after the last pick, going round; the first when none. */
		int from = index_of(c, n, last);
		for (size_t k = 1; k <= n; k++) {
			size_t i = (size_t)(from + (int)k) % n;
			if (from < 0)
				i = k - 1;
			if (c[i].eligible)
				return (int)i;
		}
		return -1;
	}
	case ST_FEWEST:
		for (size_t i = 0; i < n; i++)
			if (c[i].eligible && (best < 0 || c[i].open < c[best].open))
				best = (int)i;
		return best;
	case ST_LEASTRECENT:
		for (size_t i = 0; i < n; i++)
			if (c[i].eligible && (best < 0 || c[i].last_assigned < c[best].last_assigned))
				best = (int)i;
		return best;
	case ST_RECENT:
		for (size_t i = 0; i < n; i++)
			if (c[i].eligible && (best < 0 || c[i].last_assigned > c[best].last_assigned))
				best = (int)i;
		return best;
	case ST_RANDOM: {
		size_t k = seed % eligible;
		for (size_t i = 0; i < n; i++)
			if (c[i].eligible && k-- == 0)
				return (int)i;
		return -1;
	}
	}
	return -1;
}
