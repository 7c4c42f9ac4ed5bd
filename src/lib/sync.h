/*
 * sync: bring .kefu/index.db to the commit on main.
 *
 * From the indexed commit, only the git diff is applied; without one (a
 * new, deleted, corrupt or foreign index, or full set) everything is
 * read again. Either way it is one transaction: readers see the index
 * before or after, never between. An invalid entry on main is skipped
 * with a warning, and any older version of it leaves the index.
 */
#ifndef KEFU_SYNC_H
#define KEFU_SYNC_H

#include "desk.h"
#include "status.h"
#include "store.h"

struct sync_stats {
	int full;         /* everything was read again */
	int uptodate;     /* nothing to do */
	long added, updated, deleted, skipped;
	long entries;     /* in the index afterwards */
	char commit[41];  /* main's commit, now indexed */
};

/* Told about each entry skipped, as "FILE:LINE: key: problem". */
typedef void (*sync_warn_fn)(void *ctx, const char *msg);

/* KF_ENOTFOUND (no main), KF_EGIT, KF_EDB or KF_EIO. */
enum kf_status kb_sync(const struct desk *d, int full, sync_warn_fn warn, void *ctx,
		       struct sync_stats *stats, struct kf_err *err);

/*
 * A desk whose tickets are in PostgreSQL: copy how often entries were
 * used into the index, where kb-search, which starts once a keystroke
 * and never connects to a server, reads them. id: that entry's count
 * only (kb-use, just after recording it), else every entry's (kb-index,
 * from the hook or cron). st: the desk's store if open, else NULL.
 * Nothing to do for a desk kept in desk.db. KF_EDB, KF_EIO, KF_EINVAL.
 */
enum kf_status kb_sync_uses(const struct desk *d, struct store *st, const char *id,
			    struct kf_err *err);

#endif
