#include "actor.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

enum kf_status actor_identify(struct repo *r, struct actor *who, struct kf_err *err)
{
	enum kf_status st;
	memset(who, 0, sizeof(*who));
	if ((st = kf_now(&who->when, err)))
		return st;
	return repo_identity(r, &who->email, &who->name, err);
}

enum kf_status actor_permit(const struct roles *roles, enum role role, struct actor *who,
			    struct kf_err *err)
{
	enum kf_status st = roles_require(roles, who->email, role, err);
	if (st)
		return st;
	const struct person *p = roles_find(roles, who->email);
	free(who->name);
	who->name = xstrdup(p->name);
	return KF_OK;
}

enum kf_status actor_roles(struct repo *r, struct roles *roles, struct diags *probs,
			   struct kf_err *err)
{
	struct sbuf buf = SBUF_INIT;
	enum kf_status st = KF_OK;
	roles->v = NULL;
	roles->n = 0;
	if (repo_read_path(r, "refs/heads/main", "workflows/roles.yaml", &buf, err)) {
		st = kf_fail(err, KF_EPERM, "refused: main has no workflows/roles.yaml");
	} else if (roles_parse(buf.buf, buf.len, roles, probs)) {
		char *first = diag_format("workflows/roles.yaml", &probs->v[0]);
		st = kf_fail(err, KF_EINVAL, "invalid roles on main: %s", first);
		free(first);
	}
	sbuf_release(&buf);
	return st;
}

enum kf_status actor_get(struct repo *r, enum role role, struct actor *who,
			 struct diags *probs, struct kf_err *err)
{
	struct roles roles;
	enum kf_status st;

	if ((st = actor_identify(r, who, err)))
		return st;
	if (!(st = actor_roles(r, &roles, probs, err)))
		st = actor_permit(&roles, role, who, err);
	roles_release(&roles);
	if (st)
		actor_release(who);
	return st;
}

int actor_signature(const struct actor *who, struct git_signature **sig)
{
	return git_signature_new(sig, who->name, who->email, (git_time_t)who->when.t,
				 who->when.off / 60);
}

void actor_release(struct actor *who)
{
	free(who->email);
	free(who->name);
	who->email = who->name = NULL;
}
