#include "actor.h"

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

enum kf_status actor_get(struct repo *r, enum role role, struct actor *who,
			 struct diags *probs, struct kf_err *err)
{
	struct sbuf buf = SBUF_INIT;
	struct roles roles = { NULL, 0 };
	enum kf_status st;

	if ((st = actor_identify(r, who, err)))
		return st;
	if ((st = repo_read_path(r, "refs/heads/main", "workflows/roles.yaml", &buf, err))) {
		st = kf_fail(err, KF_EPERM, "refused: main has no workflows/roles.yaml");
		goto out;
	}
	if (roles_parse(buf.buf, buf.len, &roles, probs)) {
		char *first = diag_format("workflows/roles.yaml", &probs->v[0]);
		st = kf_fail(err, KF_EINVAL, "invalid roles on main: %s", first);
		free(first);
		goto out;
	}
	st = actor_permit(&roles, role, who, err);
out:
	roles_release(&roles);
	sbuf_release(&buf);
	if (st)
		actor_release(who);
	return st;
}

void actor_release(struct actor *who)
{
	free(who->email);
	free(who->name);
	who->email = who->name = NULL;
}
