/*
 * fresh: open the index at main's commit, cheaply.
 *
 * Readers (kb-search, kb-show) compare the indexed commit with main's
 * ref read from the repository's files (refpeek); only when they differ,
 * or the index is missing or broken, do they run kb-index, which links
 * libgit2. A search in a desk already indexed never loads git at all.
 */
#ifndef KEFU_FRESH_H
#define KEFU_FRESH_H

#include "desk.h"
#include "index.h"

/*
 * Open d's index for reading, first running kb-index when it is behind
 * main, missing or unreadable. Every read then sees one snapshot (a
 * read transaction, ended by kbindex_close()). Returns KF_OK, or
 * KF_EDB/KF_EIO when even then it cannot be opened (err carries
 * kb-index's reason).
 *
 * When kb-index fails (a full disk, a lock held too long) but an older
 * index can still be read and behind is not NULL, that index is opened
 * and KF_OK returned, with behind->status set and behind->msg saying
 * so, for the caller to warn; otherwise behind->status is KF_OK.
 */
enum kf_status kb_index_open_current(const struct desk *d, struct kbindex *ix,
				     struct kf_err *behind, struct kf_err *err);

/*
 * Run kb-index quietly (--full when full): the index is its business.
 * Its error, if any, comes back in err rather than on stderr.
 */
enum kf_status kb_index_run(const struct desk *d, int full, struct kf_err *err);

#endif
