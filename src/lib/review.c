#include "review.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "entry.h"
#include "history.h"
#include "trailers.h"
#include "notify.h"
#include "output.h"
#include "sbuf.h"
#include "strmap.h"
#include "treediff.h"
#include "worktree.h"

#define MAIN "refs/heads/main"
#define BRANCHES "refs/heads/" PROPOSAL_PREFIX
/* Numbers taken, one ref each, so that no two proposals share one. */
#define NUMBERS "refs/kefu/proposals/"

const char *prop_state_name(enum prop_state s)
{
	switch (s) {
	case PROP_PENDING:
		return "pending";
	case PROP_REJECTED:
		return "rejected";
	case PROP_APPROVED:
		return "approved";
	}
	return "?";
}

const char *proposal_state_name(const struct proposal *p)
{
	return p->state == PROP_APPROVED && p->unverified ? "approved (unverified)"
							   : prop_state_name(p->state);
}

static int make_sig(git_signature **s, const struct actor *a)
{
	return git_signature_new(s, a->name, a->email, (git_time_t)a->when.t, a->when.off / 60);
}

static void hex_of(const git_oid *oid, char hex[41])
{
	git_oid_tostr(hex, 41, oid);
}

static void add_unique(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcasecmp((*v)[i], s))
			return;
	*v = xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
	(*v)[*n] = NULL;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The number n of refs/heads/proposal/<n>-..., or -1. */
static long proposal_number(const char *refname)
{
	const char *p = refname + strlen(BRANCHES);
	char *end;
	long n = strtol(p, &end, 10);
	return end > p && (*end == '-' || !*end) ? n : -1;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* refs/heads/<name> for a name given as "proposal/3-x", "3-x" or "3". */
static enum kf_status resolve_name(git_repository *g, const char *name, char **refname,
				   struct kf_err *err)
{
	git_reference_iterator *it;
	git_reference *ref;
	char *want = NULL;
	char **found = NULL;
	size_t nfound = 0;
	long num = -1;
	char *end;

	if (!strncmp(name, "refs/heads/", 11))
		name += 11;
	if (!strncmp(name, PROPOSAL_PREFIX, strlen(PROPOSAL_PREFIX)))
		want = xasprintf("refs/heads/%s", name);
	else if ((num = strtol(name, &end, 10)) >= 0 && end > name && !*end)
		; /* a bare number */
	else
		want = xasprintf(BRANCHES "%s", name);
	if (git_reference_iterator_glob_new(&it, g, BRANCHES "*") < 0) {
		free(want);
		return repo_fail(err, "cannot list proposals");
	}
	*refname = NULL;
	while (git_reference_next(&ref, it) == 0) {
		const char *rn = git_reference_name(ref);
		if (want ? !strcmp(rn, want) : proposal_number(rn) == num)
			add_unique(&found, &nfound, rn);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	free(want);
	if (!nfound)
		return kf_fail(err, KF_ENOTFOUND, "no proposal '%s' (kb-proposals lists them)", name);
	if (nfound > 1) {
		/* Made in two clones, say: which one is meant is not ours to guess. */
		struct sbuf sb = SBUF_INIT;
		qsort(found, nfound, sizeof(*found), by_string);
		for (size_t i = 0; i < nfound; i++)
			sbuf_addf(&sb, "%s%s", i ? ", " : "", found[i] + strlen("refs/heads/"));
		kf_fail(err, KF_EINVAL, "proposal %s is ambiguous: %s (give the full name)", name,
			sb.buf);
		sbuf_release(&sb);
		free_strv(found, nfound);
		return KF_EINVAL;
	}
	*refname = found[0];
	free(found);
	return KF_OK;
}

static int lookup_main(git_repository *g, git_oid *oid, git_commit **c)
{
	if (git_reference_name_to_id(oid, g, MAIN) < 0)
		return -1;
	return c ? git_commit_lookup(c, g, oid) : 0;
}

/* How many files kb/<category>/<id>.yaml the tree holds; *path the first. */
static int find_id(git_repository *g, git_tree *root, const char *id, char **path)
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

/* Tree updates, with the paths they own. */
struct updates {
	git_tree_update *v;
	size_t n, alloc;
};

static void updates_add(struct updates *u, git_tree_update_t action, const git_oid *id,
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

static void updates_release(struct updates *u)
{
	for (size_t i = 0; i < u->n; i++)
		free((char *)u->v[i].path);
	free(u->v);
	memset(u, 0, sizeof(*u));
}

/* Turn entry changes into tree updates against the tree base. */
static enum kf_status plan_changes(git_repository *g, git_tree *base,
				   const struct entry_change *ch, size_t n, struct updates *u,
				   struct kf_err *err)
{
	for (size_t i = 0; i < n; i++) {
		char *old = NULL;
		find_id(g, base, ch[i].id, &old);
		if (!ch[i].data) {
			if (!old)
				return kf_fail(err, KF_ENOTFOUND, "cannot delete '%s': no such entry",
					       ch[i].id);
			updates_add(u, GIT_TREE_UPDATE_REMOVE, NULL, 0, old);
			free(old);
			continue;
		}
		char *path = xasprintf("kb/%s/%s.yaml", ch[i].category, ch[i].id);
		git_oid blob;
		if (git_blob_create_from_buffer(&blob, g, ch[i].data, ch[i].len) < 0) {
			free(path);
			free(old);
			return repo_fail(err, "cannot store entry");
		}
		/* A new category moves the entry: its old file goes. */
		if (old && strcmp(old, path))
			updates_add(u, GIT_TREE_UPDATE_REMOVE, NULL, 0, old);
		updates_add(u, GIT_TREE_UPDATE_UPSERT, &blob, GIT_FILEMODE_BLOB, path);
		free(path);
		free(old);
	}
	return KF_OK;
}

static enum kf_status plan_merge(git_repository *g, git_tree *base, git_tree *tip,
				 git_tree *main, struct updates *u, char ***conflicts,
				 size_t *nconflicts, struct kf_err *err);

/*
 * For an amendment of a proposal in conflict with main: the tree of main
 * with the proposal's other changes on it, to which the amendment is
 * applied; *main_c becomes the second parent. Refused (KF_ECONFLICT)
 * unless the amendment gives every entry in conflict.
 */
static enum kf_status rebase_on_main(git_repository *g, const struct proposal *p,
				     const struct entry_change *ch, size_t n, git_tree **base,
				     git_commit **main_c, struct kf_err *err)
{
	git_oid main_id, base_id;
	git_commit *fork = NULL;
	git_tree *fork_t = NULL, *main_t = NULL;
	struct updates u = { NULL, 0, 0 };
	char **conflicts = NULL;
	size_t nconflicts = 0;
	git_oid tree_id;
	enum kf_status st = KF_OK;

	for (size_t i = 0; i < p->nconflicts; i++) {
		char *id = entry_path_id(p->conflicts[i]);
		int given = 0;
		for (size_t k = 0; id && k < n && !given; k++)
			given = !strcmp(ch[k].id, id);
		free(id);
		if (!given)
			return kf_fail(err, KF_ECONFLICT,
				       "cannot amend '%s': main changed '%s' since it was proposed; "
				       "give that entry's new version too",
				       p->name, p->conflicts[i]);
	}
	if (lookup_main(g, &main_id, main_c) < 0 || git_oid_fromstr(&base_id, p->base) < 0 ||
	    git_commit_lookup(&fork, g, &base_id) < 0 || git_commit_tree(&fork_t, fork) < 0 ||
	    git_commit_tree(&main_t, *main_c) < 0) {
		st = repo_fail(err, "cannot read main");
		goto out;
	}
	if ((st = plan_merge(g, fork_t, *base, main_t, &u, &conflicts, &nconflicts, err)))
		goto out;
	git_tree *merged = NULL;
	if (git_tree_create_updated(&tree_id, g, main_t, u.n, u.v) < 0 ||
	    git_tree_lookup(&merged, g, &tree_id) < 0) {
		st = repo_fail(err, "cannot build the proposal's tree");
		goto out;
	}
	git_tree_free(*base);
	*base = merged;
out:
	updates_release(&u);
	for (size_t i = 0; i < nconflicts; i++)
		free(conflicts[i]);
	free(conflicts);
	git_tree_free(fork_t);
	git_tree_free(main_t);
	git_commit_free(fork);
	return st;
}

static char *propose_message(const struct actor *who, const char *reason,
			     const struct entry_change *ch, size_t n, const char *amend)
{
	struct sbuf sb = SBUF_INIT;
	if (amend) {
		sbuf_addf(&sb, "Amend %s", amend);
	} else {
		sbuf_adds(&sb, "Propose ");
		for (size_t i = 0; i < n && i < 3; i++)
			sbuf_addf(&sb, "%s%s%s", i ? ", " : "", ch[i].data ? "" : "deleting ", ch[i].id);
		if (n > 3)
			sbuf_addf(&sb, " and %zu more", n - 3);
		if (n == 1 && ch[0].title)
			sbuf_addf(&sb, ": %s", ch[0].title);
	}
	sbuf_adds(&sb, "\n\n");
	if (reason && *reason)
		sbuf_addf(&sb, "%s\n\n", reason);
	sbuf_addf(&sb, "%s: %s <%s>\n", amend ? "Amended-by" : "Proposed-by", who->name, who->email);
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&sb, "Entry: %s\n", ch[i].id);
	return sbuf_detach(&sb);
}

/* The highest number of the refs under prefix, named <prefix><n>[-...]. */
static long max_number(git_repository *g, const char *prefix, long max)
{
	git_reference_iterator *it;
	git_reference *ref;
	char *glob = xasprintf("%s*", prefix);
	int rc = git_reference_iterator_glob_new(&it, g, glob);
	free(glob);
	if (rc < 0)
		return max;
	while (git_reference_next(&ref, it) == 0) {
		const char *p = git_reference_name(ref) + strlen(prefix);
		char *end;
		long n = strtol(p, &end, 10);
		if (end > p && (*end == '-' || !*end) && n > max)
			max = n;
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	return max;
}

/* Past every proposal's number, and every number ever reserved. */
static long next_number(git_repository *g)
{
	return max_number(g, NUMBERS, max_number(g, BRANCHES, 0)) + 1;
}

/*
 * Take a number for a new proposal of commit: the first free one from
 * next_number(), by creating its ref, which only one creator can.
 */
static enum kf_status reserve_number(git_repository *g, const git_oid *commit, long *num,
				     git_reference **ref, struct kf_err *err)
{
	git_oid none;
	memset(&none, 0, sizeof(none));
	for (long n = next_number(g); n < LONG_MAX; n++) {
		char *name = xasprintf(NUMBERS "%ld", n);
		/*
		 * "Was absent", checked under the ref's lock: libgit2 checks a
		 * plain create's absence before it takes the lock, so two
		 * creators at once can both succeed.
		 */
		int rc = git_reference_create_matching(ref, g, name, commit, 0, &none,
						       "kb-propose: reserve");
		free(name);
		if (rc == 0) {
			*num = n;
			return KF_OK;
		}
		/* Taken, or being taken right now by another: the next one. */
		if (rc != GIT_EEXISTS && rc != GIT_EMODIFIED && rc != GIT_ELOCKED)
			return repo_fail(err, "cannot reserve the proposal's number");
	}
	return kf_fail(err, KF_EGIT, "cannot reserve the proposal's number: none is left");
}

enum kf_status review_propose(struct repo *r, const struct actor *who, const char *reason,
			      const struct entry_change *ch, size_t n, const char *amend,
			      const struct review_out *out, char **name, struct kf_err *err)
{
	git_repository *g = repo_git(r);
	git_commit *parent = NULL, *main_c = NULL;
	git_tree *base = NULL;
	git_signature *sig = NULL;
	git_reference *ref = NULL, *number = NULL;
	struct updates u = { NULL, 0, 0 };
	struct proposal p = { 0 };
	char *refname = NULL, *msg = NULL;
	git_oid parent_id, tree_id, commit_id;
	enum kf_status st = KF_OK;

	*name = NULL;
	if (amend) {
		if ((st = review_load(r, amend, &p, err)))
			goto out;
		if (p.state == PROP_APPROVED) {
			st = kf_fail(err, KF_EINVAL, "cannot amend '%s': it was approved", p.name);
			goto out;
		}
		refname = xasprintf("refs/heads/%s", p.name);
		if (git_oid_fromstr(&parent_id, p.tip) < 0 ||
		    git_commit_lookup(&parent, g, &parent_id) < 0) {
			st = repo_fail(err, "cannot read proposal");
			goto out;
		}
	} else if (lookup_main(g, &parent_id, &parent) < 0) {
		st = repo_fail(err, "cannot read branch 'main'");
		goto out;
	}
	if (git_commit_tree(&base, parent) < 0) {
		st = repo_fail(err, "cannot read tree");
		goto out;
	}
	if (amend && p.nconflicts && n) {
		/* Bring it up to date with main; the amendment settles the conflicts. */
		if ((st = rebase_on_main(g, &p, ch, n, &base, &main_c, err)))
			goto out;
	}
	if ((st = plan_changes(g, base, ch, n, &u, err)))
		goto out;
	if (git_tree_create_updated(&tree_id, g, base, u.n, u.v) < 0) {
		st = repo_fail(err, "cannot build the proposal's tree");
		goto out;
	}
	/* Without files, an amendment only says something: a resubmission. */
	if (n && !main_c && git_oid_equal(&tree_id, git_tree_id(base))) {
		st = kf_fail(err, KF_EEMPTY, "nothing to propose: %s the same as %s",
			     n == 1 ? "the entry is" : "the entries are",
			     amend ? "the proposal already has" : "on main");
		goto out;
	}
	msg = propose_message(who, reason, ch, n, amend ? p.name : NULL);
	const git_commit *parents[] = { parent, main_c };
	git_tree *tree = NULL;
	if (make_sig(&sig, who) < 0 || git_tree_lookup(&tree, g, &tree_id) < 0 ||
	    git_commit_create(&commit_id, g, NULL, sig, sig, NULL, msg, tree, main_c ? 2 : 1,
			      parents) < 0) {
		git_tree_free(tree);
		st = repo_fail(err, "cannot commit the proposal");
		goto out;
	}
	git_tree_free(tree);
	if (amend) {
		/* Said first: what cannot be said is not done. */
		if ((st = out->announce(out->ctx, p.name, err)))
			goto out;
		/* Only if nobody else moved the branch meanwhile. */
		if (git_reference_create_matching(&ref, g, refname, &commit_id, 1, &parent_id,
						  "kb-propose --amend") < 0) {
			st = repo_fail(err, "cannot update the proposal");
			goto out;
		}
		*name = xstrdup(p.name);
		goto out;
	}
	long num = 0;
	if ((st = reserve_number(g, &commit_id, &num, &number, err)))
		goto out;
	refname = xasprintf(BRANCHES "%ld-%s", num, ch[0].id);
	if ((st = out->announce(out->ctx, refname + strlen("refs/heads/"), err)) ||
	    git_reference_create(&ref, g, refname, &commit_id, 0, "kb-propose") < 0) {
		if (!st)
			st = repo_fail(err, "cannot create the proposal's branch");
		/* Nothing proposed: the number is free again. */
		git_reference_delete(number);
		goto out;
	}
	*name = xstrdup(refname + strlen("refs/heads/"));
out:
	git_reference_free(number);
	git_reference_free(ref);
	git_signature_free(sig);
	git_tree_free(base);
	git_commit_free(parent);
	git_commit_free(main_c);
	updates_release(&u);
	proposal_release(&p);
	free(refname);
	free(msg);
	return st;
}

/* The files changed between two trees. */
static int diff_trees(git_repository *g, git_tree *a, git_tree *b, struct tree_diff *d)
{
	int rc = tree_diff(g, a, b, NULL, d);
	if (rc < 0)
		tree_diff_release(d);
	return rc;
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

/*
 * Plan the merge of base..tip into main, file by file: what to apply,
 * and which files main changed too.
 */
static enum kf_status plan_merge(git_repository *g, git_tree *base, git_tree *tip,
				 git_tree *main, struct updates *u, char ***conflicts,
				 size_t *nconflicts, struct kf_err *err)
{
	struct tree_diff d;
	if (diff_trees(g, base, tip, &d) < 0)
		return repo_fail(err, "cannot compare the proposal with main");
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
			add_unique(conflicts, nconflicts, dl->path);
		}
	}
	tree_diff_release(&d);
	return KF_OK;
}

static void parse_commit(git_commit *c, struct commit_msg *m)
{
	commit_msg_parse(git_commit_message(c), m);
}

static void take_ids(struct proposal *p, const struct commit_msg *m)
{
	for (size_t i = 0; i < m->ntrailers; i++)
		if (!strcasecmp(m->trailers[i].key, "Entry"))
			add_unique(&p->ids, &p->nids, m->trailers[i].value);
}

/* Ids from the files a diff touches under kb/, for branches made by hand. */
static void ids_from_diff(git_repository *g, git_tree *a, git_tree *b, struct proposal *p)
{
	struct tree_diff d;
	if (diff_trees(g, a, b, &d) < 0)
		return;
	for (size_t i = 0; i < d.n; i++) {
		const char *path = d.v[i].path;
		char *id = entry_path_id(path);
		if (id && !strncmp(path, "kb/", 3))
			add_unique(&p->ids, &p->nids, id);
		free(id);
	}
	tree_diff_release(&d);
}

/*
 * Which merge brought each commit into main as its second (or later)
 * parent: the record of an approval. Built once, when first needed.
 */
struct merges {
	int built;
	struct strmap by_parent;
};

static void merges_build(git_repository *g, const git_oid *main_id, struct merges *mg)
{
	git_revwalk *rw = NULL;
	git_oid oid;
	char parent[41], merge[41];
	mg->built = 1;
	if (git_revwalk_new(&rw, g) < 0 || git_revwalk_push(rw, main_id) < 0) {
		git_revwalk_free(rw);
		return;
	}
	/* Newest first: an older merge of the same commit, the first, wins. */
	while (git_revwalk_next(&oid, rw) == 0) {
		git_commit *c;
		if (git_commit_lookup(&c, g, &oid) < 0)
			continue;
		hex_of(&oid, merge);
		for (unsigned k = 1; k < git_commit_parentcount(c); k++) {
			hex_of(git_commit_parent_id(c, k), parent);
			strmap_put(&mg->by_parent, parent, merge);
		}
		git_commit_free(c);
	}
	git_revwalk_free(rw);
}

/*
 * Whether the approval of tip can be attributed: a merge of it on main,
 * whose Approved-by:, when it has one, names its committer.
 */
static int approval_verified(git_repository *g, const git_oid *main_id, const char *tip,
			     struct merges *mg)
{
	git_oid id;
	git_commit *m = NULL;
	struct commit_msg msg;
	if (!mg->built)
		merges_build(g, main_id, mg);
	const char *hex = strmap_get(&mg->by_parent, tip);
	if (!hex || git_oid_fromstr(&id, hex) < 0 || git_commit_lookup(&m, g, &id) < 0)
		return 0; /* fast-forwarded onto main: nobody approved it */
	commit_msg_parse(git_commit_message(m), &msg);
	const char *t = commit_msg_trailer(&msg, "Approved-by");
	char *claimed = t ? trailer_email(t) : NULL;
	int ok = !claimed || history_verified(claimed, git_commit_committer(m)->email);
	free(claimed);
	commit_msg_release(&msg);
	git_commit_free(m);
	return ok;
}

static enum kf_status load(struct repo *r, const char *name, struct proposal *p,
			   struct merges *mg, struct kf_err *err);

enum kf_status review_load(struct repo *r, const char *name, struct proposal *p,
			   struct kf_err *err)
{
	struct merges mg = { 0, STRMAP_INIT };
	enum kf_status st = load(r, name, p, &mg, err);
	strmap_release(&mg.by_parent);
	return st;
}

static enum kf_status load(struct repo *r, const char *name, struct proposal *p,
			   struct merges *mg, struct kf_err *err)
{
	git_repository *g = repo_git(r);
	git_oid tip_id, main_id, base_id;
	git_commit *c = NULL, *first = NULL;
	git_tree *main_tree = NULL, *base_tree = NULL, *tip_tree = NULL;
	git_commit *main_c = NULL, *base_c = NULL, *tip_c = NULL;
	char *refname = NULL;
	enum kf_status st;

	memset(p, 0, sizeof(*p));
	if ((st = resolve_name(g, name, &refname, err)))
		return st;
	p->name = xstrdup(refname + strlen("refs/heads/"));
	if (git_reference_name_to_id(&tip_id, g, refname) < 0 ||
	    lookup_main(g, &main_id, &main_c) < 0 || git_commit_lookup(&tip_c, g, &tip_id) < 0) {
		st = repo_fail(err, "cannot read proposal");
		goto out;
	}
	hex_of(&tip_id, p->tip);
	int merged = git_oid_equal(&tip_id, &main_id) ||
		     git_graph_descendant_of(g, &main_id, &tip_id) == 1;
	if (git_merge_base(&base_id, g, &main_id, &tip_id) < 0) {
		st = repo_fail(err, "proposal has no history in common with main");
		goto out;
	}
	hex_of(&base_id, p->base);

	/* Oldest first: walk the first parents back to where it began. */
	git_commit **chain = NULL;
	size_t nchain = 0, chain_alloc = 0;
	if (git_commit_dup(&c, tip_c) < 0) {
		st = repo_fail(err, "cannot read proposal");
		goto out;
	}
	while (c) {
		if (!merged && git_oid_equal(git_commit_id(c), &base_id))
			break;
		struct commit_msg m;
		parse_commit(c, &m);
		int start = commit_msg_trailer(&m, "Proposed-by") != NULL;
		commit_msg_release(&m);
		ALLOC_GROW(chain, nchain + 1, chain_alloc);
		chain[nchain++] = c;
		c = NULL;
		if (start || git_commit_parentcount(chain[nchain - 1]) == 0 ||
		    git_commit_parent(&c, chain[nchain - 1], 0) < 0)
			break;
	}
	git_commit_free(c);
	c = NULL;
	if (merged && nchain && git_commit_parentcount(chain[nchain - 1]) > 0) {
		/* Approved: it began where its first commit branched off. */
		git_oid_cpy(&base_id, git_commit_parent_id(chain[nchain - 1], 0));
		hex_of(&base_id, p->base);
	}
	for (size_t k = nchain; k-- > 0;) {
		git_commit *cm = chain[k];
		struct commit_msg m;
		const git_signature *au = git_commit_author(cm);
		struct instant when = { (int64_t)git_commit_time(cm), git_commit_time_offset(cm) * 60 };
		parse_commit(cm, &m);
		const char *by = commit_msg_trailer(&m, "Proposed-by");
		const char *amended = commit_msg_trailer(&m, "Amended-by");
		const char *rejected = commit_msg_trailer(&m, "Rejected-by");
		take_ids(p, &m);
		if (k == nchain - 1) {
			char *email = by ? trailer_email(by) : xstrdup(au->email);
			p->author = email;
			p->author_name = xstrdup(au->name);
			p->proposed = when;
			p->reason = xstrdup(m.body);
			p->title = xstrdup(m.subject);
			add_unique(&p->editors, &p->neditors, email);
		} else if (rejected) {
			free(p->rejected_by);
			free(p->rejection);
			p->rejected_by = trailer_email(rejected);
			p->rejection = xstrdup(m.body);
		} else {
			char *email = amended ? trailer_email(amended) : xstrdup(au->email);
			add_unique(&p->editors, &p->neditors, email);
			free(email);
			/* An amendment answers a rejection. */
			free(p->rejected_by);
			free(p->rejection);
			p->rejected_by = p->rejection = NULL;
		}
		p->updated = when;
		commit_msg_release(&m);
		git_commit_free(cm);
	}
	free(chain);
	if (!p->author) {
		p->author = xstrdup(git_commit_author(tip_c)->email);
		p->author_name = xstrdup(git_commit_author(tip_c)->name);
		p->reason = xstrdup("");
		p->title = xstrdup(git_commit_summary(tip_c) ? git_commit_summary(tip_c) : "");
	}
	p->state = merged ? PROP_APPROVED : p->rejected_by ? PROP_REJECTED : PROP_PENDING;
	if (merged && mg)
		p->unverified = !approval_verified(g, &main_id, p->tip, mg);

	if (git_commit_lookup(&base_c, g, &base_id) < 0 || git_commit_tree(&base_tree, base_c) < 0 ||
	    git_commit_tree(&tip_tree, tip_c) < 0 || git_commit_tree(&main_tree, main_c) < 0) {
		st = repo_fail(err, "cannot read trees");
		goto out;
	}
	if (!p->nids)
		ids_from_diff(g, base_tree, tip_tree, p);
	if (!merged) {
		struct updates u = { NULL, 0, 0 };
		st = plan_merge(g, base_tree, tip_tree, main_tree, &u, &p->conflicts,
				&p->nconflicts, err);
		updates_release(&u);
		p->clean = !p->nconflicts;
	} else {
		p->clean = 1;
	}
out:
	git_commit_free(first);
	git_tree_free(main_tree);
	git_tree_free(base_tree);
	git_tree_free(tip_tree);
	git_commit_free(main_c);
	git_commit_free(base_c);
	git_commit_free(tip_c);
	free(refname);
	if (st)
		proposal_release(p);
	return st;
}

static int by_number(const void *a, const void *b)
{
	const struct proposal *x = a, *y = b;
	long nx = strtol(x->name + strlen(PROPOSAL_PREFIX), NULL, 10);
	long ny = strtol(y->name + strlen(PROPOSAL_PREFIX), NULL, 10);
	return nx < ny ? -1 : nx > ny;
}

enum kf_status review_list(struct repo *r, int all, struct proposal **out, size_t *n,
			   struct kf_err *err)
{
	git_repository *g = repo_git(r);
	git_reference_iterator *it;
	git_reference *ref;
	struct merges mg = { 0, STRMAP_INIT };
	size_t alloc = 0;
	enum kf_status st = KF_OK;

	*out = NULL;
	*n = 0;
	if (git_reference_iterator_glob_new(&it, g, BRANCHES "*") < 0)
		return repo_fail(err, "cannot list proposals");
	while (!st && git_reference_next(&ref, it) == 0) {
		char *name = xstrdup(git_reference_name(ref) + strlen("refs/heads/"));
		git_reference_free(ref);
		struct proposal p;
		/* Whose approval stands is read only when approved ones are shown. */
		st = load(r, name, &p, all ? &mg : NULL, err);
		free(name);
		if (st)
			break;
		if (p.state == PROP_APPROVED && !all) {
			proposal_release(&p);
			continue;
		}
		ALLOC_GROW(*out, *n + 1, alloc);
		(*out)[(*n)++] = p;
	}
	git_reference_iterator_free(it);
	strmap_release(&mg.by_parent);
	if (st) {
		proposals_free(*out, *n);
		*out = NULL;
		*n = 0;
		return st;
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), by_number);
	return KF_OK;
}

/* Every entry the updates bring must be valid and its id unique. */
static void check_entries(git_repository *g, git_tree *tree, const struct updates *u,
			  struct diags *probs)
{
	for (size_t i = 0; i < u->n; i++) {
		const git_tree_update *t = &u->v[i];
		size_t len = strlen(t->path);
		if (t->action != GIT_TREE_UPDATE_UPSERT || strncmp(t->path, "kb/", 3) || len < 6 ||
		    strcmp(t->path + len - 5, ".yaml"))
			continue;
		git_blob *b;
		struct diags one = DIAGS_INIT;
		struct entry e;
		if (git_blob_lookup(&b, g, &t->id) < 0)
			continue;
		if (entry_parse(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), t->path, &e,
				&one) == KF_OK) {
			if (find_id(g, tree, e.id, NULL) > 1)
				diag_add(&one, 1, "id", "'%s' is also used by another entry on main",
					 e.id);
			entry_release(&e);
		}
		for (size_t k = 0; k < one.n; k++) {
			char *line = diag_format(t->path, &one.v[k]);
			diag_add(probs, 0, NULL, "%s", line);
			free(line);
		}
		diags_release(&one);
		git_blob_free(b);
	}
}

/* An entry's title in tree, or NULL. */
static char *title_at(git_repository *g, git_tree *tree, const char *path)
{
	git_tree_entry *te = NULL;
	git_blob *b = NULL;
	struct diags probs = DIAGS_INIT;
	struct entry e;
	char *title = NULL;
	if (git_tree_entry_bypath(&te, tree, path) == 0 &&
	    git_blob_lookup(&b, g, git_tree_entry_id(te)) == 0 &&
	    entry_parse(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), path, &e, &probs) ==
		    KF_OK) {
		title = e.title ? xstrdup(e.title) : NULL;
		entry_release(&e);
	}
	diags_release(&probs);
	git_blob_free(b);
	git_tree_entry_free(te);
	return title;
}

/*
 * What an approval publishes, as its subject says it: the entries as the
 * proposal's tip has them, the revision approved, never its first one.
 */
static void add_summary(git_repository *g, git_tree *tip, const struct proposal *p,
			struct sbuf *sb)
{
	for (size_t i = 0; i < p->nids && i < 3; i++) {
		char *path = NULL;
		int present = find_id(g, tip, p->ids[i], &path) > 0;
		char *title = present && p->nids == 1 ? title_at(g, tip, path) : NULL;
		if (title)
			sbuf_addf(sb, ": %s", title);
		else
			sbuf_addf(sb, "%s%s%s", i ? ", " : ": ", present ? "" : "deleting ",
				  p->ids[i]);
		free(title);
		free(path);
	}
	if (p->nids > 3)
		sbuf_addf(sb, " and %zu more", p->nids - 3);
}

static char *approve_message(git_repository *g, git_tree *tip, const struct actor *who,
			     const struct proposal *p, const char *comment)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_addf(&sb, "Approve %s", p->name);
	add_summary(g, tip, p, &sb);
	sbuf_adds(&sb, "\n\n");
	if (comment && *comment)
		sbuf_addf(&sb, "%s\n\n", comment);
	sbuf_addf(&sb, "Approved-by: %s <%s>\nProposal: %s\n", who->name, who->email, p->name);
	for (size_t i = 0; i < p->nids; i++)
		sbuf_addf(&sb, "Entry: %s\n", p->ids[i]);
	return sbuf_detach(&sb);
}

/*
 * A lock git or kefu left behind when killed: refs are locked for a few
 * microseconds, so one older than this has no living owner and would
 * block every later approval.
 */
#define STALE_LOCK_SECONDS 10

/* 1 when git's lock of main is there: 0 once a stale one is cleared. */
static int main_locked(git_repository *g)
{
	char *path = xasprintf("%srefs/heads/main.lock", git_repository_commondir(g));
	struct stat st;
	int locked = stat(path, &st) == 0;
	if (locked && time(NULL) - st.st_mtime > STALE_LOCK_SECONDS)
		locked = unlink(path) < 0;
	free(path);
	return locked;
}

/*
 * One try at the merge, under the approvers' lock; KF_EEXIST when main
 * moved or is locked before anything was said or done.
 */
static enum kf_status approve_once(struct repo *r, const struct actor *who,
				   const struct proposal *p, const char *comment,
				   const struct review_out *out, char merged[41], struct diags *probs,
				   struct kf_err *err)
{
	git_repository *g = repo_git(r);
	git_oid main_id, base_id, tip_id, tree_id, commit_id, now_id;
	git_commit *main_c = NULL, *base_c = NULL, *tip_c = NULL;
	git_tree *main_t = NULL, *base_t = NULL, *tip_t = NULL, *new_t = NULL;
	git_signature *sig = NULL;
	git_reference *ref = NULL;
	struct updates u = { NULL, 0, 0 };
	char **conflicts = NULL;
	size_t nconflicts = 0;
	char *msg = NULL;
	char main_hex[41], commit_hex[41];
	enum kf_status st = KF_OK;

	if (lookup_main(g, &main_id, &main_c) < 0 || git_oid_fromstr(&tip_id, p->tip) < 0 ||
	    git_commit_lookup(&tip_c, g, &tip_id) < 0 ||
	    git_merge_base(&base_id, g, &main_id, &tip_id) < 0 ||
	    git_commit_lookup(&base_c, g, &base_id) < 0 || git_commit_tree(&main_t, main_c) < 0 ||
	    git_commit_tree(&base_t, base_c) < 0 || git_commit_tree(&tip_t, tip_c) < 0) {
		st = repo_fail(err, "cannot read the proposal and main");
		goto out;
	}
	if ((st = plan_merge(g, base_t, tip_t, main_t, &u, &conflicts, &nconflicts, err)))
		goto out;
	if (nconflicts) {
		struct sbuf sb = SBUF_INIT;
		for (size_t i = 0; i < nconflicts; i++)
			sbuf_addf(&sb, "%s'%s'", i ? ", " : "", conflicts[i]);
		st = kf_fail(err, KF_ECONFLICT,
			     "cannot approve '%s': main changed %s since it was proposed; amend it",
			     p->name, sb.buf);
		sbuf_release(&sb);
		goto out;
	}
	if (git_tree_create_updated(&tree_id, g, main_t, u.n, u.v) < 0 ||
	    git_tree_lookup(&new_t, g, &tree_id) < 0) {
		st = repo_fail(err, "cannot build the merged tree");
		goto out;
	}
	size_t before = probs->n;
	check_entries(g, new_t, &u, probs);
	if (probs->n > before) {
		st = kf_fail(err, KF_EINVAL, "cannot approve '%s': it brings invalid entries",
			     p->name);
		goto out;
	}
	msg = approve_message(g, tip_t, who, p, comment);
	const git_commit *parents[] = { main_c, tip_c };
	if (make_sig(&sig, who) < 0 ||
	    git_commit_create(&commit_id, g, NULL, sig, sig, NULL, msg, new_t, 2, parents) < 0) {
		st = repo_fail(err, "cannot commit the approval");
		goto out;
	}
	/*
	 * Other approvers wait for our lock; anyone else moving main (git)
	 * is seen here, before the commit is announced, and the merge redone.
	 */
	if (git_reference_name_to_id(&now_id, g, MAIN) < 0 || !git_oid_equal(&now_id, &main_id) ||
	    main_locked(g)) {
		st = KF_EEXIST;
		goto out;
	}
	hex_of(&main_id, main_hex);
	hex_of(&commit_id, commit_hex);
	if ((st = out->announce(out->ctx, commit_hex, err)))
		goto out;
	/* From here main may move: first record what the work tree shows. */
	if ((st = worktree_begin(r, main_hex, err)))
		goto out;
	/* The one step that publishes: main moves only from where it was read. */
	int rc = git_reference_create_matching(&ref, g, MAIN, &commit_id, 1, &main_id,
					       "kb-approve");
	if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED)
		st = kf_fail(err, KF_EGIT,
			     "cannot approve '%s': main moved at that very moment; nothing was "
			     "approved: run it again",
			     p->name);
	else if (rc < 0)
		st = repo_fail(err, "cannot move main");
	else
		memcpy(merged, commit_hex, 41);
	/* Published or not, the work tree shows main again. */
	struct kf_err ferr;
	enum kf_status fst = worktree_follow(r, out->warn, out->ctx, &ferr);
	if (fst && out->warn)
		out->warn(out->ctx, ferr.msg);
out:
	git_reference_free(ref);
	git_signature_free(sig);
	git_tree_free(new_t);
	git_tree_free(main_t);
	git_tree_free(base_t);
	git_tree_free(tip_t);
	git_commit_free(main_c);
	git_commit_free(base_c);
	git_commit_free(tip_c);
	updates_release(&u);
	free_strv(conflicts, nconflicts);
	free(msg);
	return st;
}

enum kf_status review_approve(struct repo *r, const struct actor *who, const char *name,
			      const char *comment, const struct review_out *out, char merged[41],
			      struct diags *probs, struct kf_err *err)
{
	struct worktree_lock lock;
	enum kf_status st;

	/* One approval at a time: each finds the work tree showing main. */
	if ((st = worktree_lock(r, 30 * 1000, &lock, err)))
		return st;
	if ((st = worktree_follow(r, out->warn, out->ctx, err)))
		goto out;
	/* About five seconds of main moving under it (git) before giving up. */
	for (int attempt = 0; attempt < 250; attempt++) {
		struct proposal p;
		if ((st = review_load(r, name, &p, err)))
			goto out;
		if (p.state != PROP_PENDING) {
			st = kf_fail(err, KF_EINVAL, "cannot approve '%s': it is %s%s", p.name,
				     proposal_state_name(&p),
				     p.state == PROP_REJECTED ? " (amend it first)" : "");
		} else {
			for (size_t i = 0; i < p.neditors && !st; i++)
				if (!strcasecmp(p.editors[i], who->email))
					st = kf_fail(err, KF_EPERM,
						     "refused: '%s' proposed or amended '%s'; "
						     "another supervisor must approve it",
						     who->email, p.name);
		}
		if (!st)
			st = approve_once(r, who, &p, comment, out, merged, probs, err);
		proposal_release(&p);
		if (st != KF_EEXIST)
			goto out;
		struct timespec pause = { 0, (10 + attempt % 10) * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	st = kf_fail(err, KF_EGIT,
		     "cannot approve '%s': main stays locked or keeps moving (a lock older than %d "
		     "seconds is taken as stale: %srefs/heads/main.lock)",
		     name, STALE_LOCK_SECONDS, git_repository_commondir(repo_git(r)));
out:
	worktree_unlock(&lock);
	return st;
}

enum kf_status review_reject(struct repo *r, const struct actor *who, const char *name,
			     const char *reason, struct kf_err *err)
{
	git_repository *g = repo_git(r);
	struct proposal p;
	git_oid tip_id, commit_id;
	git_commit *tip = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_reference *ref = NULL;
	struct sbuf msg = SBUF_INIT;
	enum kf_status st;

	if ((st = review_load(r, name, &p, err)))
		return st;
	if (p.state != PROP_PENDING) {
		st = kf_fail(err, KF_EINVAL, "cannot reject '%s': it is already %s", p.name,
			     proposal_state_name(&p));
		goto out;
	}
	sbuf_addf(&msg, "Reject %s\n\n%s\n\nRejected-by: %s <%s>\nProposal: %s\n", p.name, reason,
		  who->name, who->email, p.name);
	for (size_t i = 0; i < p.nids; i++)
		sbuf_addf(&msg, "Entry: %s\n", p.ids[i]);
	char *refname = xasprintf("refs/heads/%s", p.name);
	const git_commit *parents[1];
	if (git_oid_fromstr(&tip_id, p.tip) < 0 || git_commit_lookup(&tip, g, &tip_id) < 0 ||
	    git_commit_tree(&tree, tip) < 0 || make_sig(&sig, who) < 0 ||
	    (parents[0] = tip,
	     git_commit_create(&commit_id, g, NULL, sig, sig, NULL, msg.buf, tree, 1, parents)) < 0 ||
	    git_reference_create_matching(&ref, g, refname, &commit_id, 1, &tip_id,
					  "kb-reject") < 0)
		st = repo_fail(err, "cannot record the rejection");
	free(refname);
out:
	git_reference_free(ref);
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(tip);
	sbuf_release(&msg);
	proposal_release(&p);
	return st;
}

static void blob_into(git_repository *g, const git_oid *id, struct sbuf *sb)
{
	git_blob *b;
	if (git_blob_lookup(&b, g, id) < 0)
		return;
	sbuf_add(sb, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
}

enum kf_status review_changes(struct repo *r, const struct proposal *p,
			      struct review_change **out, size_t *n, struct kf_err *err)
{
	git_repository *g = repo_git(r);
	git_oid base_id, tip_id;
	git_commit *base_c = NULL, *tip_c = NULL;
	git_tree *base_t = NULL, *tip_t = NULL;
	struct tree_diff d = { NULL, 0, 0 };
	size_t alloc = 0;
	enum kf_status st = KF_OK;

	*out = NULL;
	*n = 0;
	if (git_oid_fromstr(&base_id, p->base) < 0 || git_oid_fromstr(&tip_id, p->tip) < 0 ||
	    git_commit_lookup(&base_c, g, &base_id) < 0 || git_commit_lookup(&tip_c, g, &tip_id) < 0 ||
	    git_commit_tree(&base_t, base_c) < 0 || git_commit_tree(&tip_t, tip_c) < 0 ||
	    diff_trees(g, base_t, tip_t, &d) < 0) {
		st = repo_fail(err, "cannot compare the proposal");
		goto out;
	}
	for (size_t i = 0; i < d.n; i++) {
		const struct tree_delta *dl = &d.v[i];
		int added = dl->status == TREE_ADDED, deleted = dl->status == TREE_DELETED;
		const char *path = dl->path;
		char *id = !strncmp(path, "kb/", 3) ? entry_path_id(path) : NULL;
		struct review_change *rc = NULL;
		/* The other half of a move between categories. */
		for (size_t k = 0; id && k < *n && !rc; k++)
			if ((*out)[k].id && !strcmp((*out)[k].id, id) &&
			    (added ? !(*out)[k].new_path : !(*out)[k].old_path))
				rc = &(*out)[k];
		if (!rc) {
			ALLOC_GROW(*out, *n + 1, alloc);
			rc = &(*out)[(*n)++];
			memset(rc, 0, sizeof(*rc));
			sbuf_init(&rc->old);
			sbuf_init(&rc->new);
			rc->id = id;
			id = NULL;
		}
		free(id);
		if (!added) {
			rc->old_path = xstrdup(path);
			blob_into(g, &dl->old_id, &rc->old);
		}
		if (!deleted) {
			rc->new_path = xstrdup(path);
			blob_into(g, &dl->new_id, &rc->new);
		}
	}
out:
	tree_diff_release(&d);
	git_tree_free(base_t);
	git_tree_free(tip_t);
	git_commit_free(base_c);
	git_commit_free(tip_c);
	return st;
}

void review_changes_free(struct review_change *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].old_path);
		free(v[i].new_path);
		sbuf_release(&v[i].old);
		sbuf_release(&v[i].new);
	}
	free(v);
}

static char *event_json(const char *event, const struct proposal *p, const struct actor *who,
			const char *text, const char *commit)
{
	char at[32];
	struct out o;
	iso_format(&who->when, 0, at);
	out_init(&o, NULL, OUT_JSON);
	out_begin(&o);
	out_str(&o, "event", event);
	out_str(&o, "proposal", p->name);
	out_list(&o, "ids", p->ids, p->nids);
	out_str(&o, "by", who->email);
	out_str(&o, "name", who->name);
	out_str(&o, "text", text);
	out_str(&o, "commit", commit);
	out_str(&o, "at", at);
	return out_end_string(&o);
}

enum kf_status review_notify(const char *root, const char *hook, const char *event,
			     const struct proposal *p, const struct actor *who, const char *text,
			     const char *commit, struct kf_err *err)
{
	char *json = event_json(event, p, who, text, commit);
	enum kf_status st = notify_hook(root, hook, json, err);
	free(json);
	return st;
}

void proposal_release(struct proposal *p)
{
	free(p->name);
	free_strv(p->ids, p->nids);
	free(p->author);
	free(p->author_name);
	free_strv(p->editors, p->neditors);
	free(p->reason);
	free(p->title);
	free(p->rejected_by);
	free(p->rejection);
	free_strv(p->conflicts, p->nconflicts);
	memset(p, 0, sizeof(*p));
}

void proposals_free(struct proposal *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		proposal_release(&v[i]);
	free(v);
}
