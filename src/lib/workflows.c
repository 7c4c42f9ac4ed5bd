#include "workflows.h"

#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "sbuf.h"

typedef int (*reader_fn)(void *ctx, const char *path, struct sbuf *out);

struct load {
	workflows_problem_fn fn;
	void *ctx;
	size_t problems;
	char first[512];
};

static void tell(struct load *l, const char *file, const struct diag *dg)
{
	char *line = diag_format(file, dg);
	if (!l->problems++)
		snprintf(l->first, sizeof(l->first), "%s", line);
	if (l->fn)
		l->fn(l->ctx, line);
	free(line);
}

static void told(struct load *l, const char *file, struct diags *probs)
{
	for (size_t i = 0; i < probs->n; i++)
		tell(l, file, &probs->v[i]);
	diags_release(probs);
}

static void cross_check(struct workflows *wf, struct load *l)
{
	struct diags probs = DIAGS_INIT;
	for (size_t i = 0; i < wf->roles.n; i++) {
		const struct person *p = &wf->roles.v[i];
		if (wf->has_routing && p->department && !routing_find(&wf->routing, p->department))
			diag_add(&probs, p->line, "department",
				 "'%s' (%s) is not a department of routing.yaml", p->department,
				 p->email);
		if (p->calendar && !calendars_find(&wf->calendars, p->calendar))
			diag_add(&probs, p->line, "calendar",
				 "'%s' (%s) is not a calendar of calendars.yaml", p->calendar,
				 p->email);
	}
	told(l, "workflows/roles.yaml", &probs);
	for (size_t i = 0; i < wf->routing.ndepts; i++) {
		const struct department *d = &wf->routing.depts[i];
		const struct person *s = d->supervisor ? roles_find(&wf->roles, d->supervisor) : NULL;
		if (d->supervisor && wf->has_roles && (!s || !(s->roles & ROLE_SUPERVISOR)))
			diag_add(&probs, d->line, "supervisor",
				 "'%s' (of %s) is not a supervisor in roles.yaml", d->supervisor,
				 d->name);
		if (d->calendar && !calendars_find(&wf->calendars, d->calendar))
			diag_add(&probs, d->line, "calendar",
				 "'%s' (of %s) is not a calendar of calendars.yaml", d->calendar,
				 d->name);
	}
	told(l, "workflows/routing.yaml", &probs);
	for (size_t i = 0; i < wf->sla.n; i++) {
		const struct sla_policy *p = &wf->sla.v[i];
		if (!calendars_find(&wf->calendars, p->calendar))
			diag_add(&probs, p->line, "calendar",
				 "'%s' (of policy %s) is not a calendar of calendars.yaml",
				 p->calendar, p->name);
		if (p->department && wf->has_routing && !routing_find(&wf->routing, p->department))
			diag_add(&probs, p->line, "department",
				 "'%s' (of policy %s) is not a department of routing.yaml",
				 p->department, p->name);
	}
	told(l, "workflows/sla.yaml", &probs);
	for (size_t i = 0; i < wf->followups.n; i++) {
		const struct followup_rule *r = &wf->followups.v[i];
		if (r->calendar && !calendars_find(&wf->calendars, r->calendar))
			diag_add(&probs, r->line, "calendar",
				 "'%s' (of follow-up %s) is not a calendar of calendars.yaml",
				 r->calendar, r->name);
		if (r->department && wf->has_routing && !routing_find(&wf->routing, r->department))
			diag_add(&probs, r->line, "department",
				 "'%s' (of follow-up %s) is not a department of routing.yaml",
				 r->department, r->name);
		if (r->type && wf->has_classify && !classify_type_known(&wf->classify, r->type))
			diag_add(&probs, r->line, "type",
				 "'%s' (of follow-up %s) is not a type of classify.yaml", r->type,
				 r->name);
	}
	told(l, "workflows/followups.yaml", &probs);
}

static enum kf_status load(struct workflows *wf, reader_fn read, void *rctx,
			   workflows_problem_fn fn, void *ctx, struct kf_err *err)
{
	struct load l = { fn, ctx, 0, "" };
	struct sbuf buf = SBUF_INIT;
	struct diags probs = DIAGS_INIT;

	memset(wf, 0, sizeof(*wf));
	for (size_t i = 0; i < sizeof(wf->cache) / sizeof(wf->cache[0]); i++)
		wf->cache[i].bucket = INT64_MIN;
	if (read(rctx, "workflows/roles.yaml", &buf) == 0) {
		wf->has_roles = roles_parse(buf.buf, buf.len, &wf->roles, &probs) == KF_OK;
		told(&l, "workflows/roles.yaml", &probs);
	}
	sbuf_reset(&buf);
	if (read(rctx, "workflows/routing.yaml", &buf) == 0) {
		wf->has_routing = routing_parse(buf.buf, buf.len, &wf->routing, &probs) == KF_OK;
		told(&l, "workflows/routing.yaml", &probs);
	}
	sbuf_reset(&buf);
	if (read(rctx, "workflows/classify.yaml", &buf) == 0) {
		wf->has_classify = classify_parse(buf.buf, buf.len, &wf->classify, &probs) == KF_OK;
		told(&l, "workflows/classify.yaml", &probs);
	} else {
		/* No guesses to make: every ticket gets the defaults. */
		wf->classify.default_priority = xstrdup("normal");
		wf->classify.repeat_window = 2 * 3600;
	}
	sbuf_reset(&buf);
	if (read(rctx, "workflows/calendars.yaml", &buf) == 0) {
		wf->has_calendars =
			calendars_parse(buf.buf, buf.len, &wf->calendars, &probs) == KF_OK;
		told(&l, "workflows/calendars.yaml", &probs);
	}
	sbuf_reset(&buf);
	if (read(rctx, "workflows/sla.yaml", &buf) == 0) {
		wf->has_sla = sla_parse(buf.buf, buf.len, &wf->sla, &probs) == KF_OK;
		told(&l, "workflows/sla.yaml", &probs);
	}
	sbuf_reset(&buf);
	if (read(rctx, "workflows/followups.yaml", &buf) == 0) {
		wf->has_followups =
			followups_parse(buf.buf, buf.len, &wf->followups, &probs) == KF_OK;
		told(&l, "workflows/followups.yaml", &probs);
	}
	sbuf_release(&buf);
	if (!l.problems)
		cross_check(wf, &l);
	wf->zone = calendars_find(&wf->calendars, "business");
	if (!wf->zone && wf->calendars.n)
		wf->zone = wf->calendars.v[0];
	if (l.problems) {
		workflows_release(wf);
		return kf_fail(err, KF_EINVAL, "invalid workflows: %s%s", l.first,
			       l.problems > 1 ? " (and more: kb-lint lists them)" : "");
	}
	return KF_OK;
}

static int from_main(void *ctx, const char *path, struct sbuf *out)
{
	return repo_read_path(ctx, "refs/heads/main", path, out, NULL) == KF_OK ? 0 : -1;
}

static int from_dir(void *ctx, const char *path, struct sbuf *out)
{
	char *full = xasprintf("%s/%s", (const char *)ctx, path);
	int r = sbuf_read_file(out, full, 4 * 1024 * 1024);
	free(full);
	return r == 0 ? 0 : -1;
}

enum kf_status workflows_load(struct repo *r, struct workflows *wf, workflows_problem_fn fn,
			      void *ctx, struct kf_err *err)
{
	return load(wf, from_main, r, fn, ctx, err);
}

enum kf_status workflows_load_dir(const char *root, struct workflows *wf,
				  workflows_problem_fn fn, void *ctx, struct kf_err *err)
{
	return load(wf, from_dir, (void *)root, fn, ctx, err);
}

void workflows_release(struct workflows *wf)
{
	roles_release(&wf->roles);
	routing_release(&wf->routing);
	classify_release(&wf->classify);
	calendars_release(&wf->calendars);
	sla_release(&wf->sla);
	followups_release(&wf->followups);
	memset(wf, 0, sizeof(*wf));
}

int workflows_offset(const void *ctx, int64_t t)
{
	struct workflows *wf = (struct workflows *)ctx;
	/* Offsets change on quarter hours at most: one look-up per quarter. */
	int64_t bucket = t >= 0 ? t / 900 : -((-t + 899) / 900);
	size_t slot = (size_t)(bucket & 1023);
	if (wf->cache[slot].bucket == bucket)
		return wf->cache[slot].offset;
	int off = wf->zone ? calendar_offset(wf->zone, t) : local_offset(t);
	wf->cache[slot].bucket = bucket;
	wf->cache[slot].offset = off;
	return off;
}

const struct calendar *workflows_shift(const struct workflows *wf, const struct person *p)
{
	const char *name = p->calendar;
	if (!name && p->department) {
		const struct department *d = routing_find(&wf->routing, p->department);
		name = d ? d->calendar : NULL;
	}
	return name ? calendars_find(&wf->calendars, name) : NULL;
}

static enum kf_status wall_time(int (*offset)(const void *, int64_t), const void *ctx,
				const char *s, int64_t *t, struct kf_err *err)
{
	struct instant in;
	size_t n = strlen(s);
	/* An offset or Z after the date says where; without one, the zone does. */
	int zoned = n > 10 && (strpbrk(s + 10, "Zz+") || strchr(s + 10, '-'));
	if (zoned || !ctx)
		return iso_parse(s, &in, err) ? KF_EINVAL : (*t = in.t, KF_OK);
	char *utc = xasprintf("%s%sZ", s, n == 10 ? "T00:00:00" : "");
	enum kf_status st = iso_parse(utc, &in, err);
	free(utc);
	if (st)
		return kf_fail(err, KF_EINVAL,
			       "invalid time '%.64s': expected ISO 8601 such as 2026-03-02T09:30:00+08:00",
			       s);
	/* Wall time to instant: two looks settle a change of offset. */
	int64_t wall = in.t, guess = wall - offset(ctx, wall);
	*t = wall - offset(ctx, guess);
	if (*t + offset(ctx, *t) == wall)
		return KF_OK;
	/*
	 * A wall time a spring-forward skips: the instant the gap ends, as
	 * calendar hours read it. Each reading of one side's offset points
	 * at the other side; the change lies between.
	 */
	int64_t other = wall - offset(ctx, *t);
	int64_t lo = *t < other ? *t : other, hi = *t < other ? other : *t;
	int after = offset(ctx, hi);
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (offset(ctx, mid) == after)
			hi = mid;
		else
			lo = mid;
	}
	*t = hi;
	return KF_OK;
}

static int cal_offset(const void *cal, int64_t t)
{
	return calendar_offset(cal, t);
}

enum kf_status workflows_time(struct workflows *wf, const char *s, int64_t *t,
			      struct kf_err *err)
{
	return wall_time(workflows_offset, wf->zone ? wf : NULL, s, t, err);
}

enum kf_status zone_time(const struct calendar *cal, const char *s, int64_t *t,
			 struct kf_err *err)
{
	return wall_time(cal_offset, cal, s, t, err);
}
