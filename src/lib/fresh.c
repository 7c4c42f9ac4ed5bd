#include "fresh.h"

#include <stdlib.h>
#include <string.h>

#include "refpeek.h"
#include "spawn.h"

static int at_main(const struct desk *d, struct kbindex *ix)
{
	char hex[65];
	char *commit = NULL;
	int ok = 0;
	if (ref_peek(d->root, DESK_MAIN_REF, hex, NULL) != KF_OK)
		return 0;
	if (kbindex_meta_get(ix, "commit", &commit, NULL) == KF_OK && commit)
		ok = !strcmp(commit, hex);
	free(commit);
	return ok;
}

/*
 * An approval killed before the work tree followed main left its record
 * (worktree.h); kb-index, opening the repository, finishes it.
 */
static int half_done(const struct desk *d)
{
	char hex[65];
	return ref_peek(d->root, "kefu/worktree", hex, NULL) == KF_OK;
}

enum kf_status kb_index_run(const struct desk *d, int full, struct kf_err *err)
{
	char *argv[] = { "kb-index", "-q", "-C", d->root, full ? "--full" : NULL, NULL };
	int code;
	enum kf_status st = spawn_sibling("kb-index", argv, &code, err);
	if (st)
		return st;
	if (code != 0)
		return kf_fail(err, KF_EDB, "cannot bring the index up to date (kb-index exited %d)",
			       code);
	return KF_OK;
}

/*
 * Open for reading, all reads in one transaction: one snapshot, and one
 * lock taken instead of one a statement.
 */
static enum kf_status open_snapshot(const struct desk *d, struct kbindex *ix, struct kf_err *err)
{
	enum kf_status st = kbindex_open_read(ix, d->index_db, err);
	if (st == KF_OK && sqlite3_exec(ix->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		st = kf_fail(err, KF_EDB, "index '%s': %s", d->index_db, sqlite3_errmsg(ix->db));
		kbindex_close(ix);
	}
	return st;
}

enum kf_status kb_index_open_current(const struct desk *d, struct kbindex *ix,
				     struct kf_err *err)
{
	enum kf_status st = open_snapshot(d, ix, err);
	if (st == KF_OK && at_main(d, ix) && !half_done(d))
		return KF_OK;
	if (st == KF_OK)
		kbindex_close(ix);
	if ((st = kb_index_run(d, 0, err)))
		return st;
	return open_snapshot(d, ix, err);
}
