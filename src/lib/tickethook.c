#include "tickethook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "isotime.h"
#include "notify.h"
#include "output.h"
#include "sbuf.h"
#include "session.h"

struct hook_call {
	char *event, *json;
};

struct ticket_hooks {
	struct hook_call *v;
	size_t n, alloc;
};

void ticket_hooks_queue(struct session *s, const char *event, const struct ticket *t,
			const char *note, const struct hook_key *keys, size_t nkeys)
{
	struct out o;
	char at[32];
	struct instant in = { s->who.when.t, workflows_offset(&s->wf, s->who.when.t) };
	iso_format(&in, 0, at);
	out_init(&o, NULL, OUT_JSON);
	out_begin(&o);
	out_str(&o, "event", event);
	out_str(&o, "at", at);
	out_str(&o, "who", s->who.email);
	out_str(&o, "note", note);
	for (size_t i = 0; i < nkeys; i++) {
		if (keys[i].emit) {
			out_map_begin(&o, keys[i].key);
			keys[i].emit(&o, keys[i].arg);
			out_map_end(&o);
		} else {
			out_str(&o, keys[i].key, keys[i].value);
		}
	}
	out_map_begin(&o, "ticket");
	ticket_emit(&o, t, workflows_offset, &s->wf);
	out_map_end(&o);
	char *json = out_end_string(&o);
	if (!json)
		return;
	if (!s->hooks)
		s->hooks = xcalloc(1, sizeof(*s->hooks));
	struct ticket_hooks *q = s->hooks;
	ALLOC_GROW(q->v, q->n + 1, q->alloc);
	q->v[q->n].event = xstrdup(event);
	q->v[q->n++].json = json;
}

static int became(const struct ticket *before, const struct ticket *after, const char *status)
{
	return !strcmp(after->status, status) && (!before || strcmp(before->status, status));
}

void ticket_hooks_change(struct session *s, const struct ticket *before,
			 const struct ticket *after, const char *what, const char *note)
{
	if (!before)
		ticket_hooks_queue(s, "opened", after, note, NULL, 0);
	if (before && !ticket_is_open(before->status) && ticket_is_open(after->status))
		ticket_hooks_queue(s, "reopened", after, note, NULL, 0);
	if (after->assignee &&
	    (!before || !before->assignee || strcasecmp(before->assignee, after->assignee)))
		ticket_hooks_queue(s, "assigned", after, note, NULL, 0);
	if (!strcmp(what, "reply"))
		ticket_hooks_queue(s, "replied", after, note, NULL, 0);
	static const char *const statuses[] = { "pending", "resolved", "closed" };
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (before && became(before, after, statuses[i]))
			ticket_hooks_queue(s, statuses[i], after, note, NULL, 0);
}

void ticket_hooks_drop(struct session *s)
{
	struct ticket_hooks *q = s->hooks;
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++) {
		free(q->v[i].event);
		free(q->v[i].json);
	}
	free(q->v);
	free(q);
	s->hooks = NULL;
}

void ticket_hooks_run(struct session *s)
{
	struct ticket_hooks *q = s->hooks;
	/* Taken first: a hook's failure is told, never queued again. */
	s->hooks = NULL;
	for (size_t i = 0; q && i < q->n; i++) {
		struct kf_err err;
		if (notify_hook(s->desk.root, q->v[i].event, q->v[i].json, &err) && s->warn)
			s->warn(s->warn_ctx, err.msg);
	}
	s->hooks = q;
	ticket_hooks_drop(s);
}
