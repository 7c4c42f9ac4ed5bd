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

struct desk_options {
	int sample;        /* the sample desk, not an empty one */
	const char *db;    /* tickets in PostgreSQL: a libpq connection string */
	const char *group; /* shared by the members of this Unix group */
};

/*
 * A desk in dir (absent or an empty directory): the sample desk when
 * o->sample, else an empty one whose only person is the founder
 * ($KEFU_USER or git's user.email), agent, editor and supervisor.
 *
 * o->db: its tickets in that PostgreSQL database (the string kept in
 * .kefu/database), whose desk schema is made or checked there. dir may
 * then also be a clone of a desk (it has .git and kb/) that keeps no
 * tickets yet: it joins the database, as a second machine of a team
 * does, and gets the index and its hook.
 *
 * o->group: a desk every member of the Unix group can use (root only):
 * owned by root and the group, directories set-group-id, everything
 * readable and writable by the group as by its owner and by no one
 * else, core.sharedRepository set. git and libgit2 trust a repository
 * its administrator owns, so no member configures anything; commands
 * then make files the group can write (desk_find()).
 *
 * KF_EEXIST (dir not empty), KF_EINVAL (not a directory, an unknown
 * group), KF_EPERM (--shared and not root), KF_ENOTFOUND (no identity),
 * KF_EIO, KF_EGIT, KF_EDB.
 */
enum kf_status desk_create(const char *dir, const struct desk_options *o, desk_skip_fn skip,
			   void *ctx, struct kf_err *err);

/* A bare repository in dir for a server, its pre-receive hook kb-receive. As above. */
enum kf_status desk_create_server(const char *dir, struct kf_err *err);

#endif
