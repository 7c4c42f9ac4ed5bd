#include "sla.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "classify.h"
#include "sbuf.h"
#include "ticket.h"
#include "yamldoc.h"

enum kf_status sla_parse(const char *buf, size_t len, struct sla *sla, struct diags *probs)
{
	static const char *const keys[] = { "policies", "warn", NULL };
	static const char *const pkeys[] = { "name", "match", "calendar", "response", "resolve",
					     NULL };
	static const char *const mkeys[] = { "type", "priority", "channel", "department", NULL };
	struct ydoc doc;
	char msg[512];
	int line;
	size_t before = probs->n;

	memset(sla, 0, sizeof(*sla));
	sla->warn = 80;
	if (ydoc_parse(buf, len, &doc, &line, msg, sizeof(msg))) {
		diag_add(probs, line, NULL, "%s", msg);
		return KF_EINVAL;
	}
	const struct ynode *root = yexpect_map(doc.root, "sla.yaml", probs);
	const struct ynode *pol = root ? ynode_get(root, "policies") : NULL;
	if (root) {
		ycheck_keys(root, keys, NULL, probs);
		if (!pol || pol->kind != YN_SEQ || !pol->n)
			diag_add(probs, pol ? pol->line : root->line, "policies",
				 "expected a list of policies");
		const char *w = yget_str(root, "warn", 0, probs);
		if (w) {
			char *end;
			long v = strtol(w, &end, 10);
			if (end == w || strcmp(end, "%") || v < 1 || v > 99)
				diag_add(probs, ynode_get(root, "warn")->line, "warn",
					 "expected a share such as 80%%, not '%.20s'", w);
			else
				sla->warn = (int)v;
		}
	}
	if (pol && pol->kind == YN_SEQ) {
		sla->v = xcalloc(pol->n + 1, sizeof(*sla->v));
		for (size_t i = 0; i < pol->n; i++) {
			const struct ynode *m = yexpect_map(pol->kids[i], "a policy", probs);
			if (!m)
				continue;
			ycheck_keys(m, pkeys, "a policy", probs);
			struct sla_policy *p = &sla->v[sla->n];
			const char *name = yget_str(m, "name", 1, probs);
			const char *cal = yget_str(m, "calendar", 1, probs);
			if (!name || !cal)
				continue;
			if (sla_find(sla, name))
				diag_add(probs, ynode_get(m, "name")->line, "name",
					 "policy '%s' is named twice", name);
			p->name = xstrdup(name);
			p->calendar = xstrdup(cal);
			p->line = m->line;
			static const char *const durs[] = { "response", "resolve" };
			int64_t *slot[] = { &p->response, &p->resolve };
			for (int k = 0; k < 2; k++) {
				const char *d = yget_str(m, durs[k], 1, probs);
				struct kf_err err;
				if (d && duration_parse(d, slot[k], &err))
					diag_add(probs, ynode_get(m, durs[k])->line, durs[k], "%s",
						 err.msg);
				else if (d && *slot[k] <= 0)
					diag_add(probs, ynode_get(m, durs[k])->line, durs[k],
						 "must be more than nothing");
			}
			const struct ynode *match = ynode_get(m, "match");
			if (match && !ynode_is_null(match) && yexpect_map(match, "match", probs)) {
				ycheck_keys(match, mkeys, "match", probs);
				const char *s;
				if ((s = yget_str(match, "type", 0, probs)))
					p->type = xstrdup(s);
				p->priority = yget_priority(match, "priority", probs);
				if ((s = yget_str(match, "channel", 0, probs)))
					p->channel = xstrdup(s);
				if ((s = yget_str(match, "department", 0, probs)))
					p->department = xstrdup(s);
			}
			sla->n++;
		}
	}
	ydoc_release(&doc);
	if (probs->n > before) {
		sla_release(sla);
		return KF_EINVAL;
	}
	return KF_OK;
}

void sla_release(struct sla *sla)
{
	for (size_t i = 0; i < sla->n; i++) {
		struct sla_policy *p = &sla->v[i];
		free(p->name);
		free(p->type);
		free(p->priority);
		free(p->channel);
		free(p->department);
		free(p->calendar);
	}
	free(sla->v);
	memset(sla, 0, sizeof(*sla));
}

static int same(const char *want, const char *have)
{
	return !want || (have && !strcmp(want, have));
}

const struct sla_policy *sla_match(const struct sla *sla, const struct ticket *t)
{
	for (size_t i = 0; i < sla->n; i++) {
		const struct sla_policy *p = &sla->v[i];
		if (same(p->type, t->type) && same(p->priority, t->priority) &&
		    same(p->channel, t->channel) && same(p->department, t->department))
			return p;
	}
	return NULL;
}

const struct sla_policy *sla_find(const struct sla *sla, const char *name)
{
	for (size_t i = 0; name && i < sla->n; i++)
		if (!strcmp(sla->v[i].name, name))
			return &sla->v[i];
	return NULL;
}

static int differs(const char *a, const char *b)
{
	return !a != !b || (a && strcmp(a, b));
}

/*
 * The promise made stands until someone changes what it was made for:
 * an escalation raises the priority to get attention, not a new policy,
 * and so does every later change that leaves those fields alone.
 */
static int keeps_policy(const struct ticket *before, const struct ticket *after)
{
	if (!before || !before->sla_policy)
		return 0;
	if (before->escalated != after->escalated)
		return 1;
	return !differs(before->type, after->type) && !differs(before->priority, after->priority) &&
	       !differs(before->channel, after->channel) &&
	       !differs(before->department, after->department);
}

const struct sla_policy *sla_after_change(const struct sla *sla, const struct ticket *before,
					  const struct ticket *after)
{
	const struct sla_policy *p = keeps_policy(before, after) ? sla_find(sla, before->sla_policy)
								 : NULL;
	return p ? p : sla_match(sla, after);
}
