/*
 * receive: the server's check of a push (kb-receive, run as the bare
 * repository's pre-receive hook).
 *
 * Main only moves forward: no deletion, no rewrite, no ref that git
 * could read for it (a tag or branch named main or HEAD in any case).
 * Who pushes comes from the transport, never from the commits: the Unix
 * login running the hook when roles.yaml binds it to a person, else the
 * server's pusher variable when the hook runs as the repository's owner
 * (a service account that only the server's ssh or web front runs as).
 * Without a pusher, main does not move.
 *
 * Every commit the push adds to main's first-parent line that changes
 * kb/ or workflows/ must be pushed by a supervisor (of the new main's
 * roles, and of the old main's too for workflows/). A merge of a
 * proposal must also be committed by that same supervisor, who neither
 * proposed nor amended it; an Approved-by: trailer must name the
 * committer. The first push of a desk vouches for its history: there a
 * merge's committer, a supervisor who did not write it, is enough.
 */
#ifndef KEFU_RECEIVE_H
#define KEFU_RECEIVE_H

#include "repo.h"
#include "status.h"

/* What the transport says about who pushes. */
struct receive_transport {
	const char *var;   /* the first pusher variable set, "KEFU_PUSHER"...; NULL: none */
	const char *value; /* its value */
	char *login;       /* the Unix user running the hook; NULL when unknown */
	int owner;         /* whether that user owns the repository */
};

/*
 * Fill t from the environment ($KEFU_PUSHER, $GITEA_PUSHER_EMAIL,
 * $GL_USERNAME, $GL_USER, $REMOTE_USER, the first set), the effective
 * user and the owner of r's directory. receive_transport_release()
 * frees it.
 */
void receive_transport(struct repo *r, struct receive_transport *t);
void receive_transport_release(struct receive_transport *t);

/*
 * Check the update of ref from old to new (hex; all zeros for none).
 * KF_OK to accept, KF_EPERM to refuse (the message says which commit and
 * why), KF_EGIT.
 */
enum kf_status receive_check(struct repo *r, const char *old, const char *new,
			     const char *ref, const struct receive_transport *t,
			     struct kf_err *err);

#endif
