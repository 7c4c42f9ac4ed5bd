/*
 * deskinit: a new desk (kb-init), made whole or not at all: a git
 * repository on main with kb/, workflows/ and .gitignore, a first
 * commit, the hook that keeps the index in step with main, and the
 * index; or a bare repository for a server, whose pre-receive hook is
 * kb-receive. On any failure what was made is removed: a directory
 * created goes, one that was empty is emptied again.
 */
#ifndef KEFU_DESKINIT_H
#define KEFU_DESKINIT_H

#include "status.h"

/* Told of each entry the first indexing skips, as "FILE: why". */
typedef void (*desk_skip_fn)(void *ctx, const char *msg);

/*
 * A desk in dir (absent or an empty directory): the sample desk when
 * sample, else an empty one whose only person is the founder ($KEFU_USER
 * or git's user.email), agent, editor and supervisor. KF_EEXIST (dir not
 * empty), KF_EINVAL (not a directory), KF_ENOTFOUND (no identity),
 * KF_EIO, KF_EGIT, KF_EDB.
 */
enum kf_status desk_create(const char *dir, int sample, desk_skip_fn skip, void *ctx,
			   struct kf_err *err);

/* A bare repository in dir for a server, its pre-receive hook kb-receive. As above. */
enum kf_status desk_create_server(const char *dir, struct kf_err *err);

#endif
