/*
 * review: knowledge changes proposed on branches and approved into main,
 * all in git through libgit2. The review history is git history.
 *
 * - A proposal is a branch refs/heads/proposal/<n>-<id> from main. Its
 *   first commit carries the reason and the trailers Proposed-by: and
 *   Entry: (one per entry); amendments carry Amended-by:, a rejection is
 *   an empty commit carrying Rejected-by:. The tip says the state.
 * - Proposing builds trees in memory: main, the index and the work tree
 *   are never touched.
 * - A new proposal's number is reserved by creating refs/kefu/proposals/<n>
 *   (never forced): of two proposals made at once, each gets its own.
 * - Approving merges entry by entry: a file the proposal changed that
 *   main changed too since the branch began is a conflict, refused with
 *   the files named. Approvals take turns (worktree.h's lock); the merge
 *   commit (trailers Approved-by:, Proposal:) moves main only if main is
 *   still where it was read (compare and swap), else it is redone on the
 *   new main, so two approvals at once both land; the index and the work
 *   tree then follow main (worktree.h).
 * - Both print their result before they publish it (review_out): a
 *   result that cannot be written leaves everything as it was.
 *
 * Ownership: a struct proposal owns its strings (proposal_release());
 * names returned through char ** are the caller's.
 */
#ifndef KEFU_REVIEW_H
#define KEFU_REVIEW_H

#include <stddef.h>

#include "actor.h"
#include "problems.h"
#include "isotime.h"
#include "repo.h"
#include "status.h"

#define PROPOSAL_PREFIX "proposal/"

enum prop_state { PROP_PENDING, PROP_REJECTED, PROP_APPROVED };

struct proposal {
	char *name; /* proposal/3-refund-7day */
	char tip[41], base[41];
	char **ids;
	size_t nids;
	char *author, *author_name; /* who proposed it */
	char **editors;             /* who proposed or amended it: not its judges */
	size_t neditors;
	struct instant proposed, updated;
	char *reason;     /* why it was proposed */
	char *title;      /* its subject line */
	enum prop_state state;
	int unverified;    /* approved, but no merge committed by its approver records it */
	char *rejected_by; /* when rejected: who and why */
	char *rejection;
	int clean;         /* merges into main without conflict */
	char **conflicts;  /* else: the files in conflict */
	size_t nconflicts;
};

/* One entry to propose: its file, or data NULL to delete entry id. */
struct entry_change {
	const char *id;
	const char *category; /* where the file goes: kb/<category>/<id>.yaml */
	const char *title;
	const char *data;
	size_t len;
};

const char *prop_state_name(enum prop_state s);
/* The state as kb-proposals shows it: "approved (unverified)" too. */
const char *proposal_state_name(const struct proposal *p);

/*
 * How a writing review command speaks: announce gets the result (the
 * proposal's name, the approval's commit) before the branch or main
 * moves, and when it fails (stdout cannot be written) nothing is
 * published; warn (may be NULL) hears of what was done all the same.
 */
struct review_out {
	enum kf_status (*announce)(void *ctx, const char *result, struct kf_err *err);
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
};

/*
 * Commit changes on a new proposal branch from main, or on top of the
 * proposal amend (when not NULL). *name is set to the proposal's name.
 * KF_EEMPTY when nothing would change, KF_ENOTFOUND for a deletion of an
 * entry that does not exist or an unknown proposal, KF_EINVAL for an
 * approved proposal, KF_EGIT, or what out->announce returned.
 */
enum kf_status review_propose(struct repo *r, const struct actor *who, const char *reason,
			      const struct entry_change *ch, size_t n, const char *amend,
			      const struct review_out *out, char **name, struct kf_err *err);

/*
 * The proposal called name ("proposal/3-refund-7day", or just "3").
 * KF_ENOTFOUND, KF_EINVAL for a number two branches share, KF_EGIT.
 */
enum kf_status review_load(struct repo *r, const char *name, struct proposal *p,
			   struct kf_err *err);

/* Every proposal (approved ones only when all), by number. KF_EGIT. */
enum kf_status review_list(struct repo *r, int all, struct proposal **out, size_t *n,
			   struct kf_err *err);

/*
 * Merge proposal name into main for who. Checks nothing about roles (the
 * caller does) except that who did not propose or amend it (KF_EPERM).
 * KF_EINVAL when it is not pending, KF_ECONFLICT with the files named,
 * KF_EINVAL with probs filled when an entry it brings is invalid, or
 * what out->announce returned. merged receives the merge commit; the
 * index and the work tree, when they show main, follow it.
 */
enum kf_status review_approve(struct repo *r, const struct actor *who, const char *name,
			      const char *comment, const struct review_out *out, char merged[41],
			      struct diags *probs, struct kf_err *err);

/* Record on the branch that who rejected it, and why. KF_EINVAL, KF_EGIT. */
enum kf_status review_reject(struct repo *r, const struct actor *who, const char *name,
			     const char *reason, struct kf_err *err);

/* A file a proposal changes: an entry when id is set. */
struct review_change {
	char *id;                 /* NULL for a file that is not an entry */
	char *old_path, *new_path; /* NULL when absent on that side */
	struct sbuf old, new;      /* the file on each side */
};

/*
 * What proposal p changes, from where it began to its tip, one item per
 * entry (a move between categories is one item). KF_EGIT.
 */
enum kf_status review_changes(struct repo *r, const struct proposal *p,
			      struct review_change **out, size_t *n, struct kf_err *err);
void review_changes_free(struct review_change *v, size_t n);

/*
 * Run workflows/hooks/<hook> of the desk at root, if any, with the JSON
 * object: event, proposal, ids, by, name, text (reason or comment),
 * commit, at. KF_OK, or KF_EIO when the hook failed (never undoing).
 */
enum kf_status review_notify(const char *root, const char *hook, const char *event,
			     const struct proposal *p, const struct actor *who, const char *text,
			     const char *commit, struct kf_err *err);

void proposal_release(struct proposal *p);
void proposals_free(struct proposal *v, size_t n);

#endif
