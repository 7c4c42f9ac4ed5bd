#include "history.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "entry.h"
#include "kbtree.h"
#include "proposal.h"
#include "sbuf.h"
#include "strmap.h"
#include "treediff.h"

struct walk {
	git_repository *g;
	struct strmap on_main;  /* commits of main's first-parent line */
	struct strmap proposal; /* commit -> the proposal branch it belongs to */
};

static void key_of(const git_oid *id, char hex[41])
{
	git_oid_tostr(hex, 41, id);
}

static void mark_main(struct walk *w, git_commit *head)
{
	git_commit *c = NULL, *next;
	char hex[41];
	git_commit_dup(&c, head);
	while (c) {
		key_of(git_commit_id(c), hex);
		strmap_put(&w->on_main, hex, "");
		next = NULL;
		if (git_commit_parentcount(c) == 0 || git_commit_parent(&next, c, 0) < 0)
			next = NULL;
		git_commit_free(c);
		c = next;
	}
}

/* The commits of the proposal a mark is walking, until main or another's. */
struct mark {
	struct walk *w;
	const char *name;
};

static int mark_one(void *ctx, const struct proposal_step *s)
{
	struct mark *mk = ctx;
	if (strmap_get(&mk->w->on_main, s->hex) || strmap_get(&mk->w->proposal, s->hex))
		return PROPOSAL_WALK_BEFORE;
	strmap_put(&mk->w->proposal, s->hex, mk->name);
	return PROPOSAL_WALK_ON;
}

/* Each proposal's own commits, named after it. */
static void mark_proposals(struct repo *r, struct walk *w)
{
	git_reference_iterator *it;
	git_reference *ref;
	struct kf_err ignored;
	if (git_reference_iterator_glob_new(&it, w->g, "refs/heads/" PROPOSAL_PREFIX "*") < 0)
		return;
	while (git_reference_next(&ref, it) == 0) {
		struct mark mk = { w, git_reference_name(ref) + strlen("refs/heads/") };
		if (git_reference_target(ref))
			proposal_walk(r, git_reference_target(ref), NULL, mark_one, &mk, &ignored);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
}

/* The entries a commit changes against its first parent. */
static void ids_changed(git_repository *g, git_commit *c, char ***ids, size_t *n)
{
	git_commit *parent = NULL;
	struct tree_diff d = { NULL, 0, 0 };
	if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) < 0)
		return;
	if (tree_diff_commits(g, parent, c, "kb", &d) == 0)
		for (size_t i = 0; i < d.n; i++) {
			char *id = entry_path_id(d.v[i].path);
			if (id)
				names_add(ids, n, id);
			free(id);
		}
	tree_diff_release(&d);
	git_commit_free(parent);
}

static int has_id(char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return 1;
	return 0;
}

/* Classify one commit and report it; returns the callback's verdict. */
static int one(struct walk *w, git_commit *c, const char *only, history_fn fn, void *ctx)
{
	struct proposal_step s;
	struct log_item it;
	char **ids = NULL;
	size_t nids = 0;
	char *who = NULL, *claimed;
	int rc = 0;

	proposal_step_read(c, &s);
	const struct commit_msg *m = &s.msg;
	memset(&it, 0, sizeof(it));
	it.commit = s.hex;
	it.date.t = (int64_t)git_commit_time(c);
	it.date.off = git_commit_time_offset(c) * 60;
	/* kefu's commits give their reason in the body; others, in the subject. */
	it.why = *m->body || m->ntrailers ? m->body : m->subject;
	it.proposal = strmap_get(&w->proposal, s.hex);
	int on_main = strmap_get(&w->on_main, s.hex) != NULL;
	int merge = git_commit_parentcount(c) > 1;

	if (merge && (claimed = commit_msg_email(m, "Approved-by"))) {
		/* A trailer is a claim; the committer is who made the merge. */
		who = claimed;
		it.action = roles_same_person(NULL, who, git_commit_committer(c)->email)
				    ? "approved"
				    : "approved (unverified)";
		it.proposal = commit_msg_trailer(m, "Proposal");
	} else if (s.rejected_by || s.proposed_by || s.amended_by) {
		it.action = s.rejected_by ? "rejected" : s.proposed_by ? "proposed" : "amended";
		who = xstrdup(s.rejected_by ? s.rejected_by : s.proposed_by ? s.proposed_by
									 : s.amended_by);
	} else if (on_main && merge) {
		char second[41];
		key_of(git_commit_parent_id(c, 1), second);
		it.proposal = strmap_get(&w->proposal, second);
		it.action = it.proposal ? "approved" : "merged directly";
		who = xstrdup(git_commit_committer(c)->email);
	} else if (on_main) {
		it.action = "edited directly";
		who = xstrdup(git_commit_author(c)->email);
	} else if (it.proposal) {
		it.action = "amended";
		who = xstrdup(git_commit_author(c)->email);
	} else {
		goto out; /* some other branch's work, merged later */
	}
	for (size_t i = 0; i < m->ntrailers; i++)
		if (!strcasecmp(m->trailers[i].key, "Entry"))
			names_add(&ids, &nids, m->trailers[i].value);
	if (!nids)
		ids_changed(w->g, c, &ids, &nids);
	/* A commit on main that leaves kb/ alone is not knowledge history. */
	if (!nids || (only && !has_id(ids, nids, only)))
		goto out;
	it.who = who;
	it.ids = ids;
	it.nids = nids;
	rc = fn(ctx, &it);
out:
	names_free(ids, nids);
	free(who);
	proposal_step_release(&s);
	return rc;
}

enum kf_status history_walk(struct repo *r, const char *id, history_fn fn, void *ctx,
			    struct kf_err *err)
{
	struct walk w = { repo_git(r), STRMAP_INIT, STRMAP_INIT };
	git_revwalk *rw = NULL;
	git_oid main_id, oid;
	git_commit *head = NULL;
	enum kf_status st = KF_OK;

	if (git_reference_name_to_id(&main_id, w.g, DESK_MAIN_REF) < 0 ||
	    git_commit_lookup(&head, w.g, &main_id) < 0 || git_revwalk_new(&rw, w.g) < 0 ||
	    git_revwalk_push(rw, &main_id) < 0 ||
	    git_revwalk_push_glob(rw, "refs/heads/" PROPOSAL_PREFIX "*") < 0) {
		st = repo_fail(err, "cannot read the history");
		goto out;
	}
	mark_main(&w, head);
	mark_proposals(r, &w);
	/* Newest first, but never a commit before its children. */
	git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while (git_revwalk_next(&oid, rw) == 0) {
		git_commit *c;
		if (git_commit_lookup(&c, w.g, &oid) < 0) {
			st = repo_fail(err, "cannot read a commit");
			break;
		}
		int stop = one(&w, c, id, fn, ctx);
		git_commit_free(c);
		if (stop)
			break;
	}
out:
	git_revwalk_free(rw);
	git_commit_free(head);
	strmap_release(&w.on_main);
	strmap_release(&w.proposal);
	return st;
}

enum kf_status history_claims(struct repo *r, history_claim_fn fn, void *ctx,
			      struct kf_err *err)
{
	git_repository *g = repo_git(r);
	git_revwalk *rw = NULL;
	git_oid main_id, oid;
	enum kf_status st = KF_OK;

	if (git_reference_name_to_id(&main_id, g, DESK_MAIN_REF) < 0 ||
	    git_revwalk_new(&rw, g) < 0 || git_revwalk_push(rw, &main_id) < 0) {
		st = repo_fail(err, "cannot read the history");
		goto out;
	}
	git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while (git_revwalk_next(&oid, rw) == 0) {
		git_commit *c;
		struct commit_msg m;
		char hex[41];
		if (git_commit_lookup(&c, g, &oid) < 0) {
			st = repo_fail(err, "cannot read a commit");
			break;
		}
		commit_msg_parse(git_commit_message(c), &m);
		char *claimed = commit_msg_email(&m, "Approved-by");
		const char *committer = git_commit_committer(c)->email;
		if (claimed && !roles_same_person(NULL, claimed, committer)) {
			key_of(&oid, hex);
			fn(ctx, hex, claimed, committer);
		}
		free(claimed);
		commit_msg_release(&m);
		git_commit_free(c);
	}
out:
	git_revwalk_free(rw);
	return st;
}
