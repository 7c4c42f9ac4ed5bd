#include "actor.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "deskstore.h"
#include "sbuf.h"

/*
 * The person bound to login, checked against what the user claims: a
 * claim is what named them before logins, so it may say who they are,
 * never someone else.
 */
static enum kf_status bound_person(struct repo *r, const struct roles *roles, const char *login,
				   struct actor *who, struct kf_err *err)
{
	const struct person *p = login ? roles_find_login(roles, login) : NULL;
	if (!p)
		return kf_fail(err, KF_EPERM,
			       "refused: '%s' is bound to nobody in workflows/roles.yaml (login:), "
			       "so may read and search but not write",
			       login ? login : "this user");
	const char *env = getenv("KEFU_USER");
	char *claim = NULL, *name = NULL;
	const char *source = "$KEFU_USER";
	if (env && *env) {
		claim = xstrdup(env);
	} else if (repo_identity(r, &claim, &name, NULL) == KF_OK) {
		source = "git's user.email";
	}
	enum kf_status st = KF_OK;
	if (claim && roles_find_name(roles, claim) != p)
		st = kf_fail(err, KF_EPERM,
			     "refused: %s names '%s', but '%s' is '%s' in workflows/roles.yaml",
			     source, claim, login, p->email);
	free(claim);
	free(name);
	if (st)
		return st;
	who->email = xstrdup(p->email);
	who->name = xstrdup(p->name);
	return KF_OK;
}

enum kf_status actor_identify(struct repo *r, const struct roles *roles, const char *login,
			      struct actor *who, struct kf_err *err)
{
	enum kf_status st;
	memset(who, 0, sizeof(*who));
	if ((st = kf_now(&who->when, err)))
		return st;
	if (roles && roles_have_logins(roles))
		return bound_person(r, roles, login, who, err);
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

/* The name that authenticated this process to r's desk. */
static enum kf_status login_of(struct repo *r, char **login, struct kf_err *err)
{
	const char *dir = repo_workdir(r);
	*login = NULL;
	if (!dir)
		return KF_OK;
	struct desk d;
	desk_at(&d, dir);
	enum kf_status st = desk_login(&d, NULL, login, err);
	desk_release(&d);
	return st;
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
	char *login = NULL;
	enum kf_status st;

	memset(who, 0, sizeof(*who));
	if ((st = actor_roles(r, &roles, probs, err)))
		goto out;
	if (roles_have_logins(&roles) && (st = login_of(r, &login, err)))
		goto out;
	if (!(st = actor_identify(r, &roles, login, who, err)))
		st = actor_permit(&roles, role, who, err);
out:
	free(login);
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
