/*
 * desk: where a desk is, and the paths inside it.
 *
 * Ownership: desk_find() fills strings that desk_release() frees.
 */
#ifndef KEFU_DESK_H
#define KEFU_DESK_H

#include "status.h"

/* The branch whose kb/ is published: the truth the index follows. */
#define DESK_MAIN_REF "refs/heads/main"

struct desk {
	char *root;     /* absolute; holds .git and kb/ */
	char *kefu_dir; /* root/.kefu: derived and local state, ignored by git */
	char *index_db; /* root/.kefu/index.db */
	char *desk_db;  /* root/.kefu/desk.db */
};

/*
 * Find the desk: $KEFU_DIR when use_env and it is set, else the nearest
 * directory from the current one upward that holds .git and kb/.
 * In a desk shared with a group (its top directory set-group-id), the
 * umask lets the group write what this process makes. Returns KF_OK or
 * KF_ENOTFOUND.
 */
enum kf_status desk_find(struct desk *d, int use_env, struct kf_err *err);

/* Fill d for the desk rooted at root (no checks). */
void desk_at(struct desk *d, const char *root);

/* Create .kefu/ when missing. Returns KF_OK or KF_EIO. */
enum kf_status desk_make_state_dir(const struct desk *d, struct kf_err *err);

/* The file under .kefu/ that holds a desk's connection string. */
#define DESK_DATABASE_FILE "database"

/*
 * The desk's PostgreSQL connection string into *uri, or NULL when its
 * tickets are in desk.db: $KEFU_DB for one command, else the one line
 * of .kefu/database that `kb-init --db` wrote. The string is libpq's, a
 * URI or key=value words; it stays in the untracked .kefu/, never in
 * git. KF_EIO (the file cannot be read), KF_EINVAL (it is empty).
 */
enum kf_status desk_store_uri(const struct desk *d, char **uri, struct kf_err *err);

void desk_release(struct desk *d);

#endif
