/*
 * kbtree: the knowledge base as git trees, for the review: where an
 * entry's file is, tree updates, and the merge of a proposal into main
 * entry by entry (proposal.c, propose.c, approve.c).
 *
 * A merge goes file by file: a file the proposal changed that main
 * changed too since the proposal began is a conflict, named; the rest
 * applies. No line merging: an entry is one person's text.
 *
 * Ownership: struct updates owns its paths (updates_release()); the
 * conflicts are the caller's (names_free()).
 */
#ifndef KEFU_KBTREE_H
#define KEFU_KBTREE_H

#include <git2.h>
#include <stddef.h>

#include "status.h"

/* Main's commit id into oid, and the commit into *c when c is not NULL: 0 or < 0. */
int kbtree_main(git_repository *g, git_oid *oid, git_commit **c);

/*
 * How many files kb/<category>/<id>.yaml the tree holds; *path (when
 * path is not NULL) a new string naming the first, or NULL.
 */
int kbtree_find_id(git_repository *g, git_tree *root, const char *id, char **path);

/* Tree updates, with the paths they own. */
struct updates {
	git_tree_update *v;
	size_t n, alloc;
};

#define UPDATES_INIT { NULL, 0, 0 }

void updates_add(struct updates *u, git_tree_update_t action, const git_oid *id,
		 git_filemode_t mode, const char *path);
void updates_release(struct updates *u);

/*
 * Plan the merge of base..tip into main: what to apply into u, and the
 * files main changed too into conflicts (names_add()). KF_EGIT.
 */
enum kf_status kbtree_plan_merge(git_repository *g, git_tree *base, git_tree *tip,
				 git_tree *main, struct updates *u, char ***conflicts,
				 size_t *nconflicts, struct kf_err *err);

/* A list of names, each once without regard to case, NULL-terminated. */
void names_add(char ***v, size_t *n, const char *s);
void names_free(char **v, size_t n);

#endif
