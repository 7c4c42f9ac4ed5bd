#include "followups.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "sbuf.h"
#include "ticket.h"
#include "yamldoc.h"

static const char *const builtin[] = { "opened", "resolved", "closed", NULL };

int followup_event_builtin(const char *event)
{
	for (const char *const *p = builtin; *p; p++)
		if (!strcmp(*p, event))
			return 1;
	return 0;
}

/* [a-z][a-z0-9-]{0,31} */
static int word_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!n || n > max || s[0] < 'a' || s[0] > 'z')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

int followup_date_name_valid(const char *name)
{
	return word_ok(name, 32) && !followup_event_builtin(name);
}

/* "<=3", ">=4", "<3", ">2", "=5" or a bare "5" (exactly); scores run 1-5. */
static void parse_satisfaction(const struct ynode *map, struct followup_rule *r,
			       struct diags *probs)
{
	const char *s = yget_str(map, "satisfaction", 0, probs);
	if (!s)
		return;
	size_t k = strspn(s, "<>=");
	char *end;
	long v = strtol(s + k, &end, 10);
	if (k > 2 || end == s + k || *end || v < 1 || v > 5 ||
	    (k == 2 && s[1] != '=') || (k == 2 && s[0] == '=')) {
		diag_add(probs, ynode_get(map, "satisfaction")->line, "satisfaction",
			 "'%.20s' is not a score or a comparison such as \"<=3\" (scores run 1-5)",
			 s);
		return;
	}
	memcpy(r->cmp, k ? s : "=", k ? k : 1);
	r->satisfaction = v;
}

static void parse_match(const struct ynode *n, struct followup_rule *r, struct diags *probs)
{
	static const char *const keys[] = { "type",	    "priority",	    "channel",
					    "department", "satisfaction", "customer_tags",
					    NULL };
	const struct ynode *map = yexpect_map(n, "match", probs);
	if (!map)
		return;
	ycheck_keys(map, keys, "match", probs);
	const char *s;
	if ((s = yget_str(map, "type", 0, probs)))
		r->type = xstrdup(s);
	r->priority = yget_priority(map, "priority", probs);
	if ((s = yget_str(map, "channel", 0, probs)))
		r->channel = xstrdup(s);
	if ((s = yget_str(map, "department", 0, probs)))
		r->department = xstrdup(s);
	parse_satisfaction(map, r, probs);
	r->customer_tags = yget_list(map, "customer_tags", &r->ncustomer_tags, probs);
}

static void parse_rule(const struct ynode *m, struct followups *fu, struct diags *probs)
{
	static const char *const keys[] = { "name",	"on",	   "after", "calendar",
					    "purpose", "match", NULL };
	ycheck_keys(m, keys, "a follow-up", probs);
	const char *name = yget_str(m, "name", 1, probs);
	const char *on = yget_str(m, "on", 1, probs);
	const char *after = yget_str(m, "after", 1, probs);
	if (name && !word_ok(name, 64))
		diag_add(probs, ynode_get(m, "name")->line, "name",
			 "'%.40s' is not a name of lowercase letters, digits and '-'", name);
	else if (name && followups_find(fu, name))
		diag_add(probs, ynode_get(m, "name")->line, "name",
			 "follow-up '%s' is named twice", name);
	if (on && !followup_event_builtin(on) && !followup_date_name_valid(on))
		diag_add(probs, ynode_get(m, "on")->line, "on",
			 "'%.40s' is neither opened, resolved nor closed, nor the name of a date "
			 "(lowercase letters, digits and '-')",
			 on);
	if (!name || !on || !after)
		return;
	struct followup_rule *r = &fu->v[fu->n++];
	r->name = xstrdup(name);
	r->on = xstrdup(on);
	r->line = m->line;
	struct kf_err err;
	if (duration_parse(after, &r->after, &err))
		diag_add(probs, ynode_get(m, "after")->line, "after", "%s", err.msg);
	const char *s;
	if ((s = yget_str(m, "calendar", 0, probs)))
		r->calendar = xstrdup(s);
	if ((s = yget_str(m, "purpose", 0, probs)))
		r->purpose = xstrdup(s);
	const struct ynode *match = ynode_get(m, "match");
	if (match && !ynode_is_null(match))
		parse_match(match, r, probs);
}

enum kf_status followups_parse(const char *buf, size_t len, struct followups *fu,
			       struct diags *probs)
{
	static const char *const keys[] = { "followups", NULL };
	struct ydoc doc;
	char msg[512];
	int line;
	size_t before = probs->n;

	memset(fu, 0, sizeof(*fu));
	if (ydoc_parse(buf, len, &doc, &line, msg, sizeof(msg))) {
		diag_add(probs, line, NULL, "%s", msg);
		return KF_EINVAL;
	}
	const struct ynode *root = yexpect_map(doc.root, "followups.yaml", probs);
	const struct ynode *list = root ? ynode_get(root, "followups") : NULL;
	if (root) {
		ycheck_keys(root, keys, NULL, probs);
		/* An empty list is fine: a desk that makes no calls yet. */
		if (!list || (list->kind != YN_SEQ && !ynode_is_null(list)))
			diag_add(probs, list ? list->line : root->line, "followups",
				 "expected a list of follow-ups");
	}
	if (list && list->kind == YN_SEQ) {
		fu->v = xcalloc(list->n + 1, sizeof(*fu->v));
		for (size_t i = 0; i < list->n; i++) {
			const struct ynode *m = yexpect_map(list->kids[i], "a follow-up", probs);
			if (m)
				parse_rule(m, fu, probs);
		}
	}
	ydoc_release(&doc);
	if (probs->n > before) {
		followups_release(fu);
		return KF_EINVAL;
	}
	return KF_OK;
}

void followups_release(struct followups *fu)
{
	for (size_t i = 0; i < fu->n; i++) {
		struct followup_rule *r = &fu->v[i];
		free(r->name);
		free(r->on);
		free(r->calendar);
		free(r->purpose);
		free(r->type);
		free(r->priority);
		free(r->channel);
		free(r->department);
		ylist_free(r->customer_tags);
	}
	free(fu->v);
	memset(fu, 0, sizeof(*fu));
}

const struct followup_rule *followups_find(const struct followups *fu, const char *name)
{
	for (size_t i = 0; name && i < fu->n; i++)
		if (!strcmp(fu->v[i].name, name))
			return &fu->v[i];
	return NULL;
}

static int same(const char *want, const char *have)
{
	return !want || (have && !strcmp(want, have));
}

static int tags_fit(const struct followup_rule *r, const struct ticket *t)
{
	if (!r->ncustomer_tags)
		return 1;
	size_t n;
	char **tags = ticket_tags(t, &n);
	int any = 0;
	for (size_t i = 0; i < r->ncustomer_tags && !any; i++)
		for (size_t k = 0; k < n && !any; k++)
			any = !strcasecmp(r->customer_tags[i], tags[k]);
	ticket_tags_free(tags, n);
	return any;
}

static int satisfaction_fits(const struct followup_rule *r, const struct ticket *t)
{
	if (!r->cmp[0])
		return 1;
	/* A comparison asks for a score: none recorded fits none. */
	long s = (long)t->satisfaction, v = r->satisfaction;
	if (!s)
		return 0;
	return !strcmp(r->cmp, "<=") ? s <= v
	       : !strcmp(r->cmp, ">=") ? s >= v
	       : !strcmp(r->cmp, "<")  ? s < v
	       : !strcmp(r->cmp, ">")  ? s > v
				       : s == v;
}

int followup_rule_fits(const struct followup_rule *r, const struct ticket *t)
{
	return same(r->type, t->type) && same(r->priority, t->priority) &&
	       same(r->channel, t->channel) && same(r->department, t->department) &&
	       satisfaction_fits(r, t) && tags_fit(r, t);
}

enum kf_status followup_rule_due(const struct followup_rule *r, const struct calendars *cals,
				 int64_t from, int64_t *due, struct kf_err *err)
{
	if (!r->calendar) {
		*due = from + r->after;
		return KF_OK;
	}
	const struct calendar *cal = calendars_find(cals, r->calendar);
	if (!cal)
		return kf_fail(err, KF_EINVAL, "follow-up '%s': no calendar '%s'", r->name,
			       r->calendar);
	return calendar_due(cal, from, r->after, NULL, 0, due, err);
}
