/*
 * session: what every ticket command starts from: the desk, its
 * repository, the workflows on main, who is acting, and the desk's
 * store (tickets and the rest: store.h).
 *
 * Ownership: session_close() releases everything session_open() took.
 */
#ifndef KEFU_SESSION_H
#define KEFU_SESSION_H

#include "actor.h"
#include "desk.h"
#include "repo.h"
#include "store.h"
#include "workflows.h"

struct ticket_hooks;

struct session {
	struct desk desk;
	struct repo *repo;
	struct workflows wf;
	struct actor who; /* when.t is "now" for the whole command */
	struct store *store;
	/* Hooks of ticket events, run once their change is committed (tickethook.h). */
	struct ticket_hooks *hooks;
	/* Told, one line, of a hook that failed; NULL: nobody is told. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

enum session_mode {
	SESSION_READ = 0,  /* anyone may read: no role needed */
	SESSION_WRITE = 1, /* role required; the store created if need be */
};

/*
 * Open a session. use_env: whether $KEFU_DIR counts (not after -C).
 * With SESSION_WRITE, who must be allowed to act as role. Problems of
 * the workflow files go to fn. KF_ENOTFOUND, KF_EINVAL, KF_EPERM,
 * KF_EGIT, KF_EDB.
 */
enum kf_status session_open(struct session *s, int use_env, enum session_mode mode,
			    enum role role, workflows_problem_fn fn, void *ctx,
			    struct kf_err *err);
void session_close(struct session *s);

/*
 * Who is reading (s->who), for a reader that asks ("my tickets"): as a
 * writer is known (actor.h), without a role. KF_ENOTFOUND, KF_EPERM, KF_EDB.
 */
enum kf_status session_identify(struct session *s, struct kf_err *err);

/*
 * In a reading session, what only some may read: who acts, known as
 * session_identify() knows them, must be allowed role (a supervisor, to
 * read customers' contacts unmasked). KF_ENOTFOUND, KF_EPERM, KF_EDB.
 */
enum kf_status session_require(struct session *s, enum role role, struct kf_err *err);

/* The person acting, as roles.yaml knows them (NULL when reading only). */
const struct person *session_person(const struct session *s);

#endif
