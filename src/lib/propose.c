#include "propose.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "kbtree.h"
#include "sbuf.h"

#define BRANCHES "refs/heads/" PROPOSAL_PREFIX
/* Numbers taken, one ref each, so that no two proposals share one. */
#define NUMBERS "refs/kefu/proposals/"

/* Turn entry changes into tree updates against the tree base. */
static enum kf_status plan_changes(git_repository *g, git_tree *base,
				   const struct entry_change *ch, size_t n, struct updates *u,
				   struct kf_err *err)
{
	for (size_t i = 0; i < n; i++) {
		char *old = NULL;
		kbtree_find_id(g, base, ch[i].id, &old);
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
	struct updates u = UPDATES_INIT;
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
	if (kbtree_main(g, &main_id, main_c) < 0 || git_oid_fromstr(&base_id, p->base) < 0 ||
	    git_commit_lookup(&fork, g, &base_id) < 0 || git_commit_tree(&fork_t, fork) < 0 ||
	    git_commit_tree(&main_t, *main_c) < 0) {
		st = repo_fail(err, "cannot read main");
		goto out;
	}
	if ((st = kbtree_plan_merge(g, fork_t, *base, main_t, &u, &conflicts, &nconflicts, err)))
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
	struct updates u = UPDATES_INIT;
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
	} else if (kbtree_main(g, &parent_id, &parent) < 0) {
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
	if (actor_signature(who, &sig) < 0 || git_tree_lookup(&tree, g, &tree_id) < 0 ||
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
