#include "session.h"

#include <string.h>

#include "tickethook.h"

enum kf_status session_open(struct session *s, int use_env, enum session_mode mode,
			    enum role role, workflows_problem_fn fn, void *ctx,
			    struct kf_err *err)
{
	enum kf_status st;
	memset(s, 0, sizeof(*s));
	if ((st = desk_find(&s->desk, use_env, err)))
		return st;
	if ((st = repo_open(s->desk.root, &s->repo, err)))
		goto fail;
	if ((st = workflows_load(s->repo, &s->wf, fn, ctx, err)))
		goto fail;
	if (mode == SESSION_WRITE) {
		if ((st = actor_identify(s->repo, &s->who, err)))
			goto fail;
		if (!s->wf.has_roles) {
			st = kf_fail(err, KF_EPERM, "refused: main has no workflows/roles.yaml");
			goto fail;
		}
		if ((st = actor_permit(&s->wf.roles, role, &s->who, err)))
			goto fail;
		if ((st = desk_make_state_dir(&s->desk, err)))
			goto fail;
	} else if ((st = kf_now(&s->who.when, err))) {
		goto fail;
	}
	st = store_open(s->desk.desk_db, mode == SESSION_WRITE ? STORE_WRITE : STORE_READ,
			&s->store, err);
	if (st == KF_ENOTFOUND && mode == SESSION_READ) {
		/*
		 * Nothing written yet: readers see an empty desk, made in memory,
		 * so that reading never writes (a read-only desk stays readable).
		 */
		st = store_open_memory(&s->store, err);
	}
	if (st)
		goto fail;
	return KF_OK;
fail:
	session_close(s);
	return st;
}

void session_close(struct session *s)
{
	ticket_hooks_drop(s);
	store_close(s->store);
	actor_release(&s->who);
	workflows_release(&s->wf);
	repo_close(s->repo);
	desk_release(&s->desk);
	memset(s, 0, sizeof(*s));
}

enum kf_status session_require(struct session *s, enum role role, struct kf_err *err)
{
	enum kf_status st;
	actor_release(&s->who);
	if ((st = actor_identify(s->repo, &s->who, err)))
		return st;
	if (!s->wf.has_roles)
		return kf_fail(err, KF_EPERM, "refused: main has no workflows/roles.yaml");
	return actor_permit(&s->wf.roles, role, &s->who, err);
}

const struct person *session_person(const struct session *s)
{
	return s->who.email ? roles_find(&s->wf.roles, s->who.email) : NULL;
}
