/*
 * indexopen: open the index at main's commit, cheaply, for the commands
 * that read it (kb-search, kb-show, kb-use).
 *
 * They compare the indexed commit with main's ref read from the
 * repository's files (reffile.h); only when they differ, or the index is
 * missing or broken, do they run kb-index, which links libgit2 (sync.h
 * does the work). A search in a desk already indexed never loads git.
 *
 * What kb-index says on stderr never reaches ours directly: the reason
 * it failed comes back in err, any other line to the caller's problem
 * callback (problems.h; NULL drops them).
 */
#ifndef KEFU_INDEXOPEN_H
#define KEFU_INDEXOPEN_H

#include "desk.h"
#include "index.h"
#include "problems.h"

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
				     struct kf_err *behind, problem_fn fn, void *ctx,
				     struct kf_err *err);

/*
 * Run kb-index quietly (--full when full): the index is its business.
 * Its error, if any, comes back in err; what else it says goes to fn.
 */
enum kf_status kb_index_run(const struct desk *d, int full, problem_fn fn, void *ctx,
			    struct kf_err *err);

#endif
