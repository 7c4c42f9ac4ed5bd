#include "kbtree.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "repo.h"
#include "sbuf.h"
#include "treediff.h"

void names_add(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcasecmp((*v)[i], s))
			return;
	*v = xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
	(*v)[*n] = NULL;
}

void names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int kbtree_main(git_repository *g, git_oid *oid, git_commit **c)
{
	if (git_reference_name_to_id(oid, g, DESK_MAIN_REF) < 0)
		return -1;
	return c ? git_commit_lookup(c, g, oid) : 0;
}

int kbtree_find_id(git_repository *g, git_tree *root, const char *id, char **path)
{
	git_tree_entry *kbent;
	git_tree *kb = NULL;
	char *file = xasprintf("%s.yaml", id);
	int found = 0;

	if (path)
		*path = NULL;
	if (git_tree_entry_bypath(&kbent, root, "kb") == 0) {
		if (git_tree_entry_type(kbent) == GIT_OBJECT_TREE)
			git_tree_lookup(&kb, g, git_tree_entry_id(kbent));
		git_tree_entry_free(kbent);
	}
	size_t n = kb ? git_tree_entrycount(kb) : 0;
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *cat = git_tree_entry_byindex(kb, i);
		git_tree *sub;
		if (git_tree_entry_type(cat) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&sub, g, git_tree_entry_id(cat)) < 0)
			continue;
		if (git_tree_entry_byname(sub, file)) {
			if (!found && path)
				*path = xasprintf("kb/%s/%s", git_tree_entry_name(cat), file);
			found++;
		}
		git_tree_free(sub);
	}
	git_tree_free(kb);
	free(file);
	return found;
}

void updates_add(struct updates *u, git_tree_update_t action, const git_oid *id,
		 git_filemode_t mode, const char *path)
{
	ALLOC_GROW(u->v, u->n + 1, u->alloc);
	git_tree_update *t = &u->v[u->n++];
	memset(t, 0, sizeof(*t));
	t->action = action;
	if (id)
		git_oid_cpy(&t->id, id);
	t->filemode = mode;
	t->path = xstrdup(path);
}

void updates_release(struct updates *u)
{
	for (size_t i = 0; i < u->n; i++)
		free((char *)u->v[i].path);
	free(u->v);
	memset(u, 0, sizeof(*u));
}

/* Whether a path holds the same thing (or nothing) in two trees. */
static int same_at(git_tree *t, const char *path, const git_oid *id)
{
	git_tree_entry *e;
	if (git_tree_entry_bypath(&e, t, path) < 0)
		return id == NULL;
	int same = id && git_oid_equal(git_tree_entry_id(e), id);
	git_tree_entry_free(e);
	return same;
}

enum kf_status kbtree_plan_merge(git_repository *g, git_tree *base, git_tree *tip,
				 git_tree *main, struct updates *u, char ***conflicts,
				 size_t *nconflicts, struct kf_err *err)
{
	struct tree_diff d = { NULL, 0, 0 };
	if (tree_diff(g, base, tip, NULL, &d) < 0) {
		tree_diff_release(&d);
		return repo_fail(err, "cannot compare the proposal with main");
	}
	for (size_t i = 0; i < d.n; i++) {
		const struct tree_delta *dl = &d.v[i];
		int removed = dl->status == TREE_DELETED;
		const git_oid *was = dl->status == TREE_ADDED ? NULL : &dl->old_id;
		const git_oid *now = removed ? NULL : &dl->new_id;
		if (same_at(main, dl->path, was)) {
			if (removed)
				updates_add(u, GIT_TREE_UPDATE_REMOVE, NULL, 0, dl->path);
			else
				updates_add(u, GIT_TREE_UPDATE_UPSERT, now, dl->new_mode, dl->path);
		} else if (!same_at(main, dl->path, now)) {
			names_add(conflicts, nconflicts, dl->path);
		}
	}
	tree_diff_release(&d);
	return KF_OK;
}
