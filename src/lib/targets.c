#include "targets.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "sbuf.h"
#include "yamldoc.h"

static const char *const names[TARGET_COUNT] = {
	[TARGET_FIRST_RESPONSE_MEAN] = "first_response_mean",
	[TARGET_RESOLUTION_MEAN] = "resolution_mean",
	[TARGET_FCR] = "fcr",
	[TARGET_CSAT] = "csat",
	[TARGET_HANDLE_MEAN] = "handle_mean",
};

const char *target_name(enum target_figure f)
{
	return f < TARGET_COUNT ? names[f] : "";
}

int target_higher_better(enum target_figure f)
{
	return f == TARGET_FCR || f == TARGET_CSAT;
}

void targets_init(struct targets *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < TARGET_COUNT; i++)
		t->all.v[i] = TARGET_NONE;
}

/*
 * A decimal of at most places decimals, as a whole number of 10^-places:
 * "4.5" with 2 is 450. -1 when it is not one.
 */
static int64_t decimal(const char *s, int places)
{
	int64_t v = 0;
	int digits = 0, frac = -1;
	for (; *s; s++) {
		if (*s == '.' && frac < 0 && digits) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || digits > 9 || (frac >= 0 && frac == places))
			return -1;
		v = v * 10 + (*s - '0');
		digits++;
		if (frac >= 0)
			frac++;
	}
	if (!digits || frac == 0)
		return -1;
	for (int i = frac < 0 ? 0 : frac; i < places; i++)
		v *= 10;
	return v;
}

/* A share: "85%" (two decimals at most) or a fraction "0.85" (four), in ten-thousandths. */
static int64_t share(const char *s)
{
	size_t n = strlen(s);
	if (n && s[n - 1] == '%') {
		char *num = xstrndup(s, n - 1);
		int64_t v = decimal(num, 2);
		free(num);
		return v;
	}
	return decimal(s, 4);
}

static void parse_set(const struct ynode *map, const char *where, struct target_set *set,
		      struct diags *probs)
{
	static const char *const keys[] = { "first_response_mean", "resolution_mean", "fcr",
					    "csat", "handle_mean", NULL };
	ycheck_keys(map, keys, where, probs);
	for (int f = 0; f < TARGET_COUNT; f++) {
		set->v[f] = TARGET_NONE;
		const char *s = yget_str(map, names[f], 0, probs);
		if (!s)
			continue;
		int line = ynode_get(map, names[f])->line;
		struct kf_err err;
		int64_t v;
		if (f == TARGET_FCR) {
			v = share(s);
			if (v < 0 || v > 10000)
				diag_add(probs, line, names[f],
					 "'%.20s' is not a share such as 85%% or 0.85", s);
		} else if (f == TARGET_CSAT) {
			v = decimal(s, 2);
			if (v < 100 || v > 500)
				diag_add(probs, line, names[f],
					 "'%.20s' is not a satisfaction from 1 to 5 (such as 4.5)", s);
		} else if (duration_parse(s, &v, &err)) {
			diag_add(probs, line, names[f], "%s", err.msg);
		}
		set->v[f] = v;
	}
}

enum kf_status targets_parse(const char *buf, size_t len, struct targets *t,
			     struct diags *probs)
{
	static const char *const keys[] = { "targets", "departments", NULL };
	struct ydoc doc;
	char msg[512];
	int line;
	size_t before = probs->n;

	targets_init(t);
	if (ydoc_parse(buf, len, &doc, &line, msg, sizeof(msg))) {
		diag_add(probs, line, NULL, "%s", msg);
		return KF_EINVAL;
	}
	/* An empty file sets no targets. */
	const struct ynode *root = doc.root ? yexpect_map(doc.root, "targets.yaml", probs) : NULL;
	if (root) {
		ycheck_keys(root, keys, NULL, probs);
		const struct ynode *all = ynode_get(root, "targets");
		const struct ynode *m;
		if (all && !ynode_is_null(all) && (m = yexpect_map(all, "targets", probs)))
			parse_set(m, "targets", &t->all, probs);
		const struct ynode *depts = ynode_get(root, "departments");
		if (depts && !ynode_is_null(depts) &&
		    (depts = yexpect_map(depts, "departments", probs))) {
			t->v = xcalloc(depts->n + 1, sizeof(*t->v));
			for (size_t i = 0; i < depts->n; i++) {
				const struct ynode *k = depts->kids[2 * i];
				const struct ynode *v = depts->kids[2 * i + 1];
				struct department_targets *d = &t->v[t->n++];
				d->department = xstrdup(k->str);
				d->line = k->line;
				for (int f = 0; f < TARGET_COUNT; f++)
					d->set.v[f] = TARGET_NONE;
				char *where = xasprintf("the targets of %s", k->str);
				if (!ynode_is_null(v) && (m = yexpect_map(v, where, probs)))
					parse_set(m, where, &d->set, probs);
				free(where);
			}
		}
	}
	ydoc_release(&doc);
	if (probs->n > before) {
		targets_release(t);
		return KF_EINVAL;
	}
	return KF_OK;
}

void targets_release(struct targets *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].department);
	free(t->v);
	targets_init(t);
}

void targets_for(const struct targets *t, const char *department, struct target_set *out)
{
	*out = t->all;
	for (size_t i = 0; department && i < t->n; i++) {
		if (strcmp(t->v[i].department, department))
			continue;
		for (int f = 0; f < TARGET_COUNT; f++)
			if (t->v[i].set.v[f] != TARGET_NONE)
				out->v[f] = t->v[i].set.v[f];
	}
}

int target_met(enum target_figure f, int64_t value, int64_t target)
{
	if (value == TARGET_NONE || target == TARGET_NONE)
		return -1;
	return target_higher_better(f) ? value >= target : value <= target;
}
