#include "agents.h"

#include <stdlib.h>

#include "isotime.h"
#include "sbuf.h"

enum kf_status agents_load(struct session *s, struct agent_state **v, size_t *n,
			   struct kf_err *err)
{
	enum kf_status ret = KF_OK;
	*v = xcalloc(s->wf.roles.n + 1, sizeof(**v));
	*n = 0;
	for (size_t i = 0; i < s->wf.roles.n && !ret; i++) {
		const struct person *p = &s->wf.roles.v[i];
		if (!(p->roles & ROLE_AGENT))
			continue;
		struct agent_state *a = &(*v)[(*n)++];
		struct agent_record rec;
		struct ticket_filter f;
		ticket_filter_init(&f);
		f.open = 1;
		f.assignee = p->email;
		a->p = p;
		if ((ret = store_tickets_count(s->store, &f, &a->open, err)) ||
		    (ret = store_agent_get(s->store, p->email, &rec, err)))
			break;
		a->status = rec.away ? "away" : "available";
		a->last_assigned = rec.last_assigned;
		const struct calendar *shift = workflows_shift(&s->wf, p);
		a->on_shift = !shift || calendar_open_at(shift, s->who.when.t);
	}
	if (ret) {
		free(*v);
		*v = NULL;
		*n = 0;
	}
	return ret;
}

enum kf_status agent_set_status(struct session *s, const char *agent, int away,
				struct kf_err *err)
{
	const struct person *me = session_person(s);
	const struct person *who = agent ? roles_find(&s->wf.roles, agent) : me;
	enum kf_status st;
	if (!who || !(who->roles & ROLE_AGENT))
		return kf_fail(err, KF_EINVAL, "'%s' is not an agent in workflows/roles.yaml",
			       agent ? agent : s->who.email);
	if (who != me && !(me->roles & ROLE_SUPERVISOR))
		return kf_fail(err, KF_EPERM,
			       "refused: only a supervisor sets another agent's status");
	if ((st = store_begin(s->store, err)))
		return st;
	st = store_agent_set_away(s->store, who->email, away, s->who.when.t, err);
	return store_end(s->store, st, err);
}
