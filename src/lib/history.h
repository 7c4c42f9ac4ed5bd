/*
 * history: the knowledge base's history, read from git alone.
 *
 * Every commit reachable from main or a proposal branch that touches
 * kb/ (or records a review) is one event, newest first:
 *   proposed, amended, rejected   commits on a proposal branch (by trailers;
 *                                 an untrailered commit there is an amendment)
 *   approved          a merge on main with Approved-by: naming its
 *                     committer, or a plain git merge of a proposal
 *                     branch (by its committer)
 *   approved (unverified)  a merge whose Approved-by: names someone else
 *                     than its committer (who: the name it claims)
 *   merged directly   a merge on main of anything else
 *   edited directly   a commit made on main itself (an Approved-by: on
 *                     a commit that merges nothing approves nothing)
 *
 * Ownership: items passed to the callback live until it returns.
 */
#ifndef KEFU_HISTORY_H
#define KEFU_HISTORY_H

#include <stddef.h>

#include "isotime.h"
#include "repo.h"

struct log_item {
	struct instant date;
	const char *action;
	const char *who;      /* an email */
	const char *why;      /* the reason or comment; may be "" */
	const char *commit;   /* hex */
	const char *proposal; /* NULL when none */
	char **ids;           /* the entries concerned */
	size_t nids;
};

/* Non-zero stops the walk. */
typedef int (*history_fn)(void *ctx, const struct log_item *it);

/* Walk the history, only events concerning id when id is not NULL. KF_EGIT. */
enum kf_status history_walk(struct repo *r, const char *id, history_fn fn, void *ctx,
			    struct kf_err *err);

/*
 * Called for each commit reachable from main whose Approved-by: names
 * someone other than its committer (roles_same_person(), by email).
 */
typedef void (*history_claim_fn)(void *ctx, const char *commit, const char *claimed,
				 const char *committer);
/* Find them all, newest first. KF_EGIT. */
enum kf_status history_claims(struct repo *r, history_claim_fn fn, void *ctx,
			      struct kf_err *err);

#endif
