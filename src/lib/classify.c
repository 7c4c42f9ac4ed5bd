#include "classify.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "sbuf.h"
#include "ticket.h"
#include "yamldoc.h"

int classify_type_known(const struct classify *c, const char *type)
{
	int known = !c->ntypes || (c->default_type && !strcmp(c->default_type, type));
	for (size_t i = 0; i < c->ntypes && !known; i++)
		known = !strcmp(c->types[i].value, type);
	return known;
}

int text_has(const char *text, const char *word)
{
	size_t n = strlen(word);
	if (!n || !text)
		return 0;
	for (const char *p = text; *p; p++) {
		size_t i = 0;
		while (i < n && p[i] &&
		       (p[i] == word[i] ||
			((unsigned char)p[i] < 0x80 && tolower((unsigned char)p[i]) ==
							       tolower((unsigned char)word[i]))))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

static void read_rules(const struct ynode *root, const char *key, const char *valkey,
		       struct keyword_rule **out, size_t *n, struct diags *probs)
{
	const struct ynode *v = ynode_get(root, key);
	static const char *const type_keys[] = { "type", "keywords", NULL };
	static const char *const prio_keys[] = { "priority", "keywords", NULL };
	*out = NULL;
	*n = 0;
	if (!v || ynode_is_null(v))
		return;
	if (v->kind != YN_SEQ) {
		diag_add(probs, v->line, key, "expected a list of {%s, keywords}", valkey);
		return;
	}
	*out = xcalloc(v->n + 1, sizeof(**out));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *m = yexpect_map(v->kids[i], key, probs);
		if (!m)
			continue;
		ycheck_keys(m, !strcmp(valkey, "type") ? type_keys : prio_keys, key, probs);
		struct keyword_rule *r = &(*out)[*n];
		const char *val = yget_str(m, valkey, 1, probs);
		r->line = m->line;
		r->keywords = yget_list(m, "keywords", &r->nkeywords, probs);
		if (!val) {
			ylist_free(r->keywords);
			continue;
		}
		if (!strcmp(valkey, "priority") && priority_rank(val) < 0)
			diag_add(probs, m->line, "priority",
				 "'%s' is not a priority (urgent, high, normal, low)", val);
		r->value = xstrdup(val);
		(*n)++;
	}
}

enum kf_status classify_parse(const char *buf, size_t len, struct classify *c,
			      struct diags *probs)
{
	static const char *const keys[] = { "types",  "default_type",  "priorities",
					    "default_priority", "angry", "repeat_window",
					    NULL };
	static const char *const angry_keys[] = { "keywords", "suggest", NULL };
	struct ydoc doc;
	char msg[512];
	int line;
	size_t before = probs->n;

	memset(c, 0, sizeof(*c));
	c->repeat_window = 2 * 3600;
	if (ydoc_parse(buf, len, &doc, &line, msg, sizeof(msg))) {
		diag_add(probs, line, NULL, "%s", msg);
		return KF_EINVAL;
	}
	const struct ynode *root = yexpect_map(doc.root, "classify.yaml", probs);
	if (root) {
		ycheck_keys(root, keys, NULL, probs);
		read_rules(root, "types", "type", &c->types, &c->ntypes, probs);
		read_rules(root, "priorities", "priority", &c->priorities, &c->npriorities, probs);
		const char *s = yget_str(root, "default_type", 0, probs);
		c->default_type = s ? xstrdup(s) : NULL;
		c->default_priority = yget_priority(root, "default_priority", probs);
		if (!c->default_priority)
			c->default_priority = xstrdup("normal");
		const struct ynode *angry = ynode_get(root, "angry");
		if (angry && !ynode_is_null(angry) && yexpect_map(angry, "angry", probs)) {
			ycheck_keys(angry, angry_keys, "angry", probs);
			c->angry = yget_list(angry, "keywords", &c->nangry, probs);
			s = yget_str(angry, "suggest", 0, probs);
			c->suggest = s ? xstrdup(s) : NULL;
		}
		s = yget_str(root, "repeat_window", 0, probs);
		struct kf_err err;
		if (s && duration_parse(s, &c->repeat_window, &err))
			diag_add(probs, ynode_get(root, "repeat_window")->line, "repeat_window", "%s",
				 err.msg);
	}
	ydoc_release(&doc);
	if (probs->n > before) {
		classify_release(c);
		return KF_EINVAL;
	}
	return KF_OK;
}

static void release_rules(struct keyword_rule *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].value);
		ylist_free(v[i].keywords);
	}
	free(v);
}

void classify_release(struct classify *c)
{
	release_rules(c->types, c->ntypes);
	release_rules(c->priorities, c->npriorities);
	free(c->default_type);
	free(c->default_priority);
	ylist_free(c->angry);
	free(c->suggest);
	memset(c, 0, sizeof(*c));
}

static const char *first_match(const struct keyword_rule *v, size_t n, const char *text)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < v[i].nkeywords; k++)
			if (text_has(text, v[i].keywords[k]))
				return v[i].value;
	return NULL;
}

void classify_guess(const struct classify *c, const char *text, const char *type,
		    const char *priority, struct guess *g)
{
	memset(g, 0, sizeof(*g));
	g->type = type ? type : first_match(c->types, c->ntypes, text);
	if (!g->type)
		g->type = c->default_type;
	g->priority = priority ? priority : first_match(c->priorities, c->npriorities, text);
	if (!g->priority)
		g->priority = c->default_priority ? c->default_priority : "normal";
	for (size_t i = 0; i < c->nangry && !g->angry; i++)
		g->angry = text_has(text, c->angry[i]);
	if (g->angry) {
		/* A priority someone chose stands; a guessed one goes up a step. */
		if (!priority) {
			int r = priority_rank(g->priority);
			g->priority = priority_name(r > 0 ? r - 1 : 0);
		}
		g->suggest = c->suggest;
	}
}

char *yget_priority(const struct ynode *map, const char *key, struct diags *probs)
{
	const char *s = yget_str(map, key, 0, probs);
	if (!s)
		return NULL;
	if (priority_rank(s) < 0)
		diag_add(probs, ynode_get(map, key)->line, key,
			 "'%s' is not a priority (urgent, high, normal, low)", s);
	return xstrdup(s);
}
