/*
 * receive: the server's check of a push to main (kb-receive, run as the
 * bare repository's pre-receive hook).
 *
 * Every commit the push adds to main's first-parent line that changes
 * kb/ must come from a supervisor of the new main's roles.yaml: the
 * authenticated pusher when the server says who that is, else the
 * commit's committer (or approver, for a merge). A merge's approver
 * (Approved-by:, else its committer) must also be a supervisor and must
 * not have proposed or amended what it merges.
 */
#ifndef KEFU_RECEIVE_H
#define KEFU_RECEIVE_H

#include "repo.h"
#include "status.h"

/*
 * The authenticated pusher, from the first of $KEFU_PUSHER,
 * $GITEA_PUSHER_EMAIL, $GL_USERNAME, $GL_USER, $REMOTE_USER; NULL when
 * the server says nothing.
 */
const char *receive_pusher(void);

/*
 * Check the update of ref from old to new (hex; all zeros for none).
 * KF_OK to accept, KF_EPERM to refuse (the message says which commit and
 * why), KF_EGIT.
 */
enum kf_status receive_check(struct repo *r, const char *old, const char *new,
			     const char *ref, const char *pusher, struct kf_err *err);

#endif
