#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "deskstore.h"
#include "tickethook.h"

/* Who is acting: by the login that authenticated them, when roles bind logins. */
static enum kf_status identify(struct session *s, struct kf_err *err)
{
	char *login = NULL;
	enum kf_status st;
	if (roles_have_logins(&s->wf.roles) &&
	    (st = desk_login(&s->desk, s->store, &login, err)))
		return st;
	st = actor_identify(s->repo, &s->wf.roles, login, &s->who, err);
	free(login);
	return st;
}

enum kf_status session_open(struct session *s, int use_env, enum session_mode mode,
			    enum role role, workflows_problem_fn fn, void *ctx,
			    struct kf_err *err)
{
	enum kf_status st, opened = KF_OK;
	char *uri = NULL;
	memset(s, 0, sizeof(*s));
	if ((st = desk_find(&s->desk, use_env, err)))
		return st;
	if ((st = repo_open(s->desk.root, &s->repo, err)))
		goto fail;
	if ((st = workflows_load(s->repo, &s->wf, fn, ctx, err)))
		goto fail;
	if ((st = desk_store_uri(&s->desk, &uri, err)))
		goto fail;
	/*
	 * A database server says who is connected, so it is asked first; a
	 * file is made only for someone allowed to write in it.
	 */
	if (uri)
		opened = store_pg_open(uri, mode == SESSION_WRITE ? STORE_WRITE : STORE_READ,
				       &s->store, err);
	if (opened && !(opened == KF_ENOTFOUND && mode == SESSION_READ)) {
		st = opened;
		goto fail;
	}
	if (mode == SESSION_WRITE) {
		if (!s->wf.has_roles) {
			st = kf_fail(err, KF_EPERM, "refused: main has no workflows/roles.yaml");
			goto fail;
		}
		if ((st = identify(s, err)))
			goto fail;
		if ((st = actor_permit(&s->wf.roles, role, &s->who, err)))
			goto fail;
		if ((st = desk_make_state_dir(&s->desk, err)))
			goto fail;
	} else if ((st = kf_now(&s->who.when, err))) {
		goto fail;
	}
	if (!uri)
		opened = store_open(s->desk.desk_db,
				    mode == SESSION_WRITE ? STORE_WRITE : STORE_READ, &s->store, err);
	st = opened;
	if (st == KF_ENOTFOUND && mode == SESSION_READ) {
		/*
		 * Nothing written yet: readers see an empty desk, made in memory,
		 * so that reading never writes (a read-only desk stays readable).
		 */
		st = store_open_memory(&s->store, err);
	}
	if (st)
		goto fail;
	free(uri);
	return KF_OK;
fail:
	free(uri);
	session_close(s);
	return st;
}

enum kf_status session_identify(struct session *s, struct kf_err *err)
{
	if (s->who.email)
		return KF_OK;
	struct instant when = s->who.when;
	enum kf_status st = identify(s, err);
	s->who.when = when;
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
	/* As a writer is known: bound to the login where roles.yaml has any. */
	if ((st = session_identify(s, err)))
		return st;
	if (!s->wf.has_roles)
		return kf_fail(err, KF_EPERM, "refused: main has no workflows/roles.yaml");
	return actor_permit(&s->wf.roles, role, &s->who, err);
}

const struct person *session_person(const struct session *s)
{
	return s->who.email ? roles_find(&s->wf.roles, s->who.email) : NULL;
}
