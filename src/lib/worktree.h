/*
 * worktree: the work tree and .git/index of a desk follow main when a
 * kefu command moves main under them (an approval).
 *
 * Main, the index and the work tree are separate files: no single write
 * moves them together. So before main moves, <common dir>/kefu/worktree
 * records the commit the index and the work tree still show (old main),
 * and the record goes only once they show main. A kill at any instant
 * leaves either no record (old or new state, whole) or one that says
 * exactly what is left to do; the next kefu command that opens the
 * repository (repo_open) does it.
 *
 * Following main, a file is replaced (write and rename, never in place)
 * only when it holds what old main or new main has; a file edited
 * locally is left alone, its index entry pointed at main's version, so
 * that git diff shows the local edit against what was published.
 *
 * Whoever moves main through kefu holds <common dir>/kefu/lock, an
 * flock(2): one approval at a time, and the kernel releases it when its
 * holder dies, so a kill never leaves it taken.
 *
 * Ownership: worktree_unlock() releases what worktree_lock() took.
 */
#ifndef KEFU_WORKTREE_H
#define KEFU_WORKTREE_H

#include "repo.h"
#include "status.h"

struct worktree_lock {
	int fd; /* -1 when not held */
};

/* Told of each file left as it was, as one message. */
typedef void (*worktree_warn_fn)(void *ctx, const char *msg);

/*
 * Take the lock, waiting up to wait_ms milliseconds for its holder.
 * KF_EEXIST when it stays taken, KF_EIO.
 */
enum kf_status worktree_lock(struct repo *r, int wait_ms, struct worktree_lock *l,
			     struct kf_err *err);
void worktree_unlock(struct worktree_lock *l);

/*
 * Before main moves away from old_hex, under the lock: record that the
 * index and the work tree show old_hex, when they follow main at all (a
 * work tree whose HEAD is main). A record already there is older and
 * kept. KF_EIO.
 */
enum kf_status worktree_begin(struct repo *r, const char *old_hex, struct kf_err *err);

/*
 * Under the lock: bring the index and the work tree from the recorded
 * commit to main, then drop the record; nothing to do without one.
 * warn (may be NULL) hears of files left as they were. KF_EGIT, KF_EIO.
 */
enum kf_status worktree_follow(struct repo *r, worktree_warn_fn warn, void *ctx,
			       struct kf_err *err);

/*
 * What repo_open() runs: when a record is there and nobody holds the
 * lock (its writer died), follow main. KF_OK also when a live writer
 * holds the lock (it will finish); KF_EGIT or KF_EIO, with the command
 * that finishes it named, when it cannot be done.
 */
enum kf_status worktree_finish(struct repo *r, struct kf_err *err);

#endif
