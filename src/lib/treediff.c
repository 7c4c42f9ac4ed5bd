#include "treediff.h"

#include <string.h>

#include "sbuf.h"

static int is_tree(const git_tree_entry *e)
{
	return git_tree_entry_type(e) == GIT_OBJECT_TREE;
}

/* git's order of tree entries: a directory's name as if it ended in '/'. */
static int entry_cmp(const git_tree_entry *x, const git_tree_entry *y)
{
	const char *a = git_tree_entry_name(x), *b = git_tree_entry_name(y);
	size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
	int c = memcmp(a, b, n);
	if (c)
		return c;
	unsigned char ca = la > n ? (unsigned char)a[n] : is_tree(x) ? '/' : 0;
	unsigned char cb = lb > n ? (unsigned char)b[n] : is_tree(y) ? '/' : 0;
	return (ca > cb) - (ca < cb);
}

static void add(struct tree_diff *d, enum tree_change status, const char *path,
		const git_tree_entry *old, const git_tree_entry *new)
{
	ALLOC_GROW(d->v, d->n + 1, d->alloc);
	struct tree_delta *t = &d->v[d->n++];
	memset(t, 0, sizeof(*t));
	t->status = status;
	t->path = xstrdup(path);
	if (old) {
		git_oid_cpy(&t->old_id, git_tree_entry_id(old));
		t->old_mode = git_tree_entry_filemode(old);
	}
	if (new) {
		git_oid_cpy(&t->new_id, git_tree_entry_id(new));
		t->new_mode = git_tree_entry_filemode(new);
	}
}

static int walk(git_repository *g, git_tree *a, git_tree *b, struct sbuf *path,
		struct tree_diff *d);

/* One side's entry alone: a file, or a directory to enter with nothing opposite. */
static int one_side(git_repository *g, const git_tree_entry *e, int added, struct sbuf *path,
		    struct tree_diff *d)
{
	if (!is_tree(e)) {
		add(d, added ? TREE_ADDED : TREE_DELETED, path->buf, added ? NULL : e,
		    added ? e : NULL);
		return 0;
	}
	git_tree *t;
	int rc = git_tree_lookup(&t, g, git_tree_entry_id(e));
	if (rc < 0)
		return rc;
	rc = walk(g, added ? NULL : t, added ? t : NULL, path, d);
	git_tree_free(t);
	return rc;
}

static int both_trees(git_repository *g, const git_tree_entry *x, const git_tree_entry *y,
		      struct sbuf *path, struct tree_diff *d)
{
	git_tree *a = NULL, *b = NULL;
	int rc = git_tree_lookup(&a, g, git_tree_entry_id(x));
	if (rc == 0)
		rc = git_tree_lookup(&b, g, git_tree_entry_id(y));
	if (rc == 0)
		rc = walk(g, a, b, path, d);
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}

static int walk(git_repository *g, git_tree *a, git_tree *b, struct sbuf *path,
		struct tree_diff *d)
{
	size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0, base = path->len;
	int rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *x = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *y = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !x ? 1 : !y ? -1 : entry_cmp(x, y);
		const git_tree_entry *e = c <= 0 ? x : y;
		sbuf_setlen(path, base);
		if (base)
			sbuf_addch(path, '/');
		sbuf_adds(path, git_tree_entry_name(e));
		if (c < 0) {
			rc = one_side(g, x, 0, path, d);
			i++;
		} else if (c > 0) {
			rc = one_side(g, y, 1, path, d);
			j++;
		} else {
			if (!git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)) ||
			    git_tree_entry_filemode(x) != git_tree_entry_filemode(y)) {
				if (is_tree(x))
					rc = both_trees(g, x, y, path, d);
				else
					add(d, TREE_MODIFIED, path->buf, x, y);
			}
			i++;
			j++;
		}
	}
	sbuf_setlen(path, base);
	return rc;
}

int tree_diff(git_repository *g, git_tree *a, git_tree *b, const char *prefix,
	      struct tree_diff *d)
{
	struct sbuf path = SBUF_INIT;
	memset(d, 0, sizeof(*d));
	if (prefix)
		sbuf_adds(&path, prefix);
	int rc = walk(g, a, b, &path, d);
	sbuf_release(&path);
	return rc;
}

int tree_subtree(git_repository *g, git_commit *c, const char *dir, git_tree **tree)
{
	git_tree *root;
	git_tree_entry *ent;
	*tree = NULL;
	if (!c)
		return 0;
	int rc = git_commit_tree(&root, c);
	if (rc < 0)
		return rc;
	rc = git_tree_entry_bypath(&ent, root, dir);
	if (rc == 0) {
		if (git_tree_entry_type(ent) == GIT_OBJECT_TREE)
			rc = git_tree_lookup(tree, g, git_tree_entry_id(ent));
		git_tree_entry_free(ent);
	} else if (rc == GIT_ENOTFOUND) {
		rc = 0;
	}
	git_tree_free(root);
	return rc;
}

int tree_diff_commits(git_repository *g, git_commit *a, git_commit *b, const char *dir,
		      struct tree_diff *d)
{
	git_tree *ta = NULL, *tb = NULL;
	int rc;
	memset(d, 0, sizeof(*d));
	if ((rc = tree_subtree(g, a, dir, &ta)) == 0 && (rc = tree_subtree(g, b, dir, &tb)) == 0)
		rc = tree_diff(g, ta, tb, dir, d);
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

void tree_diff_release(struct tree_diff *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].path);
	free(d->v);
	memset(d, 0, sizeof(*d));
}
