/*
 * actor: who is running a writing command, as roles.yaml on main knows
 * them, and when. Permissions come from main, never from the work tree,
 * so nobody grants themselves a role by editing a file locally.
 *
 * Who someone is: where any person of roles.yaml has a login, the person
 * bound to the name that authenticated this process (the Unix login on a
 * desk kept in files, the database role on a PostgreSQL desk:
 * deskstore.h's desk_login()). $KEFU_USER or git's user.email naming
 * anyone else is refused, and a login bound to nobody may only read.
 * Without any login (one person's desk), $KEFU_USER, else git's
 * user.email, as before.
 *
 * Ownership: actor_release() frees what actor_get() filled.
 */
#ifndef KEFU_ACTOR_H
#define KEFU_ACTOR_H

#include "problems.h"
#include "isotime.h"
#include "repo.h"
#include "roles.h"

/* Who acts, and when. */
struct actor {
	char *email, *name;
	struct instant when;
};

/*
 * Fill who as above from roles.yaml on main and the desk of r, then
 * check they may act as role. KF_ENOTFOUND (no identity), KF_EINVAL
 * (roles.yaml on main invalid; probs holds why), KF_EPERM, KF_EDB (the
 * desk's database could not say who is connected).
 */
enum kf_status actor_get(struct repo *r, enum role role, struct actor *who,
			 struct diags *probs, struct kf_err *err);
/*
 * The two halves: who and when, by roles (NULL: none) and login, the
 * name that authenticated this process (NULL: none); then whether roles
 * let them act as role. KF_ENOTFOUND, KF_EPERM.
 */
enum kf_status actor_identify(struct repo *r, const struct roles *roles, const char *login,
			      struct actor *who, struct kf_err *err);
enum kf_status actor_permit(const struct roles *roles, enum role role, struct actor *who,
			    struct kf_err *err);
void actor_release(struct actor *who);

/*
 * roles.yaml as main has it. KF_EPERM when main has none, KF_EINVAL
 * when it is invalid (probs holds why).
 */
enum kf_status actor_roles(struct repo *r, struct roles *roles, struct diags *probs,
			   struct kf_err *err);

/* A git signature for who, at who->when: 0 or a libgit2 error code. */
struct git_signature;
int actor_signature(const struct actor *who, struct git_signature **sig);

#endif
