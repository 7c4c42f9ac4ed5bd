/*
 * approve: a supervisor's verdict on a proposal: approval, merged into
 * main, or rejection, recorded on its branch (kb-approve, kb-reject).
 *
 * - Approving merges entry by entry (kbtree.h): a file the proposal
 *   changed that main changed too since the branch began is a conflict,
 *   refused with the files named. Approvals take turns (worktree.h's
 *   lock); the merge commit (trailers Approved-by:, Proposal:) moves
 *   main only if main is still where it was read (compare and swap),
 *   else it is redone on the new main, so two approvals at once both
 *   land; the index and the work tree then follow main (worktree.h).
 * - The commit is said (review_out) before main moves: a result that
 *   cannot be written leaves everything as it was.
 */
#ifndef KEFU_APPROVE_H
#define KEFU_APPROVE_H

#include "problems.h"
#include "proposal.h"

/*
 * Merge proposal name into main for who. Checks nothing about roles (the
 * caller does) except that who did not propose or amend it (KF_EPERM),
 * by proposal_edited_by() with main's roles. KF_EINVAL when it is not
 * pending, KF_ECONFLICT with the files named, KF_EINVAL with probs filled
 * when an entry it brings (or main's roles) is invalid, or what
 * out->announce returned. merged receives the merge commit; the index
 * and the work tree, when they show main, follow it.
 */
enum kf_status review_approve(struct repo *r, const struct actor *who, const char *name,
			      const char *comment, const struct review_out *out, char merged[41],
			      struct diags *probs, struct kf_err *err);

/* Record on the branch that who rejected it, and why. KF_EINVAL, KF_EGIT. */
enum kf_status review_reject(struct repo *r, const struct actor *who, const char *name,
			     const char *reason, struct kf_err *err);

#endif
