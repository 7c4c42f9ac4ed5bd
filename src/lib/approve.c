#include "approve.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "desk.h"
#include "entry.h"
#include "kbtree.h"
#include "sbuf.h"
#include "worktree.h"

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
			if (kbtree_find_id(g, tree, e.id, NULL) > 1)
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
		int present = kbtree_find_id(g, tip, p->ids[i], &path) > 0;
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
	struct updates u = UPDATES_INIT;
	char **conflicts = NULL;
	size_t nconflicts = 0;
	char *msg = NULL;
	char main_hex[41], commit_hex[41];
	enum kf_status st = KF_OK;

	if (kbtree_main(g, &main_id, &main_c) < 0 || git_oid_fromstr(&tip_id, p->tip) < 0 ||
	    git_commit_lookup(&tip_c, g, &tip_id) < 0 ||
	    git_merge_base(&base_id, g, &main_id, &tip_id) < 0 ||
	    git_commit_lookup(&base_c, g, &base_id) < 0 || git_commit_tree(&main_t, main_c) < 0 ||
	    git_commit_tree(&base_t, base_c) < 0 || git_commit_tree(&tip_t, tip_c) < 0) {
		st = repo_fail(err, "cannot read the proposal and main");
		goto out;
	}
	if ((st = kbtree_plan_merge(g, base_t, tip_t, main_t, &u, &conflicts, &nconflicts, err)))
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
	if (actor_signature(who, &sig) < 0 ||
	    git_commit_create(&commit_id, g, NULL, sig, sig, NULL, msg, new_t, 2, parents) < 0) {
		st = repo_fail(err, "cannot commit the approval");
		goto out;
	}
	/*
	 * Other approvers wait for our lock; anyone else moving main (git)
	 * is seen here, before the commit is announced, and the merge redone.
	 */
	if (git_reference_name_to_id(&now_id, g, DESK_MAIN_REF) < 0 || !git_oid_equal(&now_id, &main_id) ||
	    main_locked(g)) {
		st = KF_EEXIST;
		goto out;
	}
	git_oid_tostr(main_hex, sizeof(main_hex), &main_id);
	git_oid_tostr(commit_hex, sizeof(commit_hex), &commit_id);
	if ((st = out->announce(out->ctx, commit_hex, err)))
		goto out;
	/* From here main may move: first record what the work tree shows. */
	if ((st = worktree_begin(r, main_hex, err)))
		goto out;
	/* The one step that publishes: main moves only from where it was read. */
	int rc = git_reference_create_matching(&ref, g, DESK_MAIN_REF, &commit_id, 1, &main_id,
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
	names_free(conflicts, nconflicts);
	free(msg);
	return st;
}

enum kf_status review_approve(struct repo *r, const struct actor *who, const char *name,
			      const char *comment, const struct review_out *out, char merged[41],
			      struct diags *probs, struct kf_err *err)
{
	struct worktree_lock lock;
	struct roles roles;
	enum kf_status st;

	/* Who is who, for the four-eyes rule: two emails may be one person. */
	if ((st = actor_roles(r, &roles, probs, err)))
		return st;
	/* One approval at a time: each finds the work tree showing main. */
	if ((st = worktree_lock(r, 30 * 1000, &lock, err))) {
		roles_release(&roles);
		return st;
	}
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
		} else if (proposal_edited_by(p.editors, p.neditors, who->email, &roles)) {
			st = kf_fail(err, KF_EPERM,
				     "refused: '%s' proposed or amended '%s'; another supervisor must "
				     "approve it",
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
	roles_release(&roles);
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
	    git_commit_tree(&tree, tip) < 0 || actor_signature(who, &sig) < 0 ||
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
