/*
 * proposal: knowledge changes proposed on branches, as git records them;
 * the review reads them here, makes them in propose.h and judges them in
 * approve.h. The review history is git history.
 *
 * - A proposal is a branch refs/heads/proposal/<n>-<id> from main. Its
 *   first commit carries the reason and the trailers Proposed-by: and
 *   Entry: (one per entry); amendments carry Amended-by:, a rejection is
 *   an empty commit carrying Rejected-by:. The tip says the state.
 * - Its own commits are its first-parent line from the tip back to the
 *   one that proposed it (proposal_walk()); who proposed or amended it,
 *   its editors, may not approve it (proposal_edited_by(), the one check
 *   of that rule, for kb-approve and kb-receive alike).
 *
 * Ownership: a struct proposal owns its strings (proposal_release());
 * names returned through char ** are the caller's.
 */
#ifndef KEFU_PROPOSAL_H
#define KEFU_PROPOSAL_H

#include <stddef.h>

#include "actor.h"
#include "isotime.h"
#include "repo.h"
#include "roles.h"
#include "sbuf.h"
#include "status.h"
#include "trailers.h"

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

const char *prop_state_name(enum prop_state s);
/* The state as kb-proposals shows it: "approved (unverified)" too. */
const char *proposal_state_name(const struct proposal *p);

/*
 * The proposal called name ("proposal/3-refund-7day", or just "3").
 * KF_ENOTFOUND, KF_EINVAL for a number two branches share, KF_EGIT.
 */
enum kf_status review_load(struct repo *r, const char *name, struct proposal *p,
			   struct kf_err *err);

/* Every proposal (approved ones only when all), by number. KF_EGIT. */
enum kf_status review_list(struct repo *r, int all, struct proposal **out, size_t *n,
			   struct kf_err *err);

void proposal_release(struct proposal *p);
void proposals_free(struct proposal *v, size_t n);

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
 * Run workflows/hooks/<hook> of the desk at root, if any, with the JSON
 * object: event, proposal, ids, by, name, text (reason or comment),
 * commit, at. KF_OK, or KF_EIO when the hook failed (never undoing).
 */
enum kf_status review_notify(const char *root, const char *hook, const char *event,
			     const struct proposal *p, const struct actor *who, const char *text,
			     const char *commit, struct kf_err *err);

/* A commit of a proposal, read: what its review trailers say. */
struct git_commit;
struct git_oid;
struct proposal_step {
	struct git_commit *commit;
	char hex[41];
	struct commit_msg msg;
	/* The emails its trailers name, or NULL. */
	char *proposed_by, *amended_by, *rejected_by;
};

/* Read c (still the caller's) into s; proposal_step_release() frees s. */
void proposal_step_read(struct git_commit *c, struct proposal_step *s);
void proposal_step_release(struct proposal_step *s);

/*
 * Who a commit shows proposing or amending the proposal, each added once
 * to (*v, *n) (names_add()): its Proposed-by: and Amended-by:, and its
 * author, but for a rejection that changes no file.
 */
void proposal_step_editors(const struct proposal_step *s, char ***v, size_t *n);

/*
 * Whether who proposed or amended a proposal whose editors are
 * v[0..n): one of them by roles_same_person() (roles may be NULL: by
 * email alone). An approver must not be.
 */
int proposal_edited_by(char *const *v, size_t n, const char *who, const struct roles *roles);

/* What a step function answers: go on, the commit is not the proposal's, stop. */
enum { PROPOSAL_WALK_ON, PROPOSAL_WALK_BEFORE, PROPOSAL_WALK_STOP };
typedef int (*proposal_step_fn)(void *ctx, const struct proposal_step *s);

/*
 * Walk the commits of a proposal whose tip is tip, newest first, each
 * read and told to fn. Without hide: its own line, along first parents
 * back to the commit that proposed it (Proposed-by:) or a root; fn says
 * PROPOSAL_WALK_BEFORE of a commit from before the proposal began (main,
 * where it branched off), which ends the walk without it. With hide:
 * every commit tip brings that hide lacks, whatever it merged (what a
 * merge of it into hide brings in). PROPOSAL_WALK_STOP ends the walk
 * after the commit. KF_EGIT.
 */
enum kf_status proposal_walk(struct repo *r, const struct git_oid *tip,
			     const struct git_oid *hide, proposal_step_fn fn, void *ctx,
			     struct kf_err *err);

#endif
