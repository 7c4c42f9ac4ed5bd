/*
 * propose: knowledge changes committed on a proposal branch, for review
 * (kb-propose), and amended there.
 *
 * - Proposing builds trees in memory: main, the index and the work tree
 *   are never touched.
 * - A new proposal's number is reserved by creating refs/kefu/proposals/<n>
 *   (never forced): of two proposals made at once, each gets its own.
 * - The name is said (review_out) before the branch exists: a name that
 *   cannot be written leaves nothing proposed.
 */
#ifndef KEFU_PROPOSE_H
#define KEFU_PROPOSE_H

#include <stddef.h>

#include "proposal.h"

/* One entry to propose: its file, or data NULL to delete entry id. */
struct entry_change {
	const char *id;
	const char *category; /* where the file goes: kb/<category>/<id>.yaml */
	const char *title;
	const char *data;
	size_t len;
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

#endif
