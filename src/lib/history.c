#include "history.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "entry.h"
#include "trailers.h"
#include "review.h"
#include "sbuf.h"
#include "strmap.h"
#include "treediff.h"

struct walk {
	git_repository *g;
	struct strmap on_main;  /* commits of main's first-parent line */
	struct strmap proposal; /* commit -> the proposal branch it belongs to */
};

int history_verified(const char *claimed, const char *committer)
{
	return claimed && committer && !strcasecmp(claimed, committer);
}

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

/* Each proposal's own commits: its first parents back to where it began. */
static void mark_proposals(struct walk *w)
{
	git_reference_iterator *it;
	git_reference *ref;
	char hex[41];
	if (git_reference_iterator_glob_new(&it, w->g, "refs/heads/" PROPOSAL_PREFIX "*") < 0)
		return;
	while (git_reference_next(&ref, it) == 0) {
		const char *name = git_reference_name(ref) + strlen("refs/heads/");
		git_commit *c = NULL, *next;
		if (git_reference_target(ref))
			git_commit_lookup(&c, w->g, git_reference_target(ref));
		while (c) {
			key_of(git_commit_id(c), hex);
			if (strmap_get(&w->on_main, hex) || strmap_get(&w->proposal, hex))
				break;
			strmap_put(&w->proposal, hex, name);
			struct commit_msg m;
			commit_msg_parse(git_commit_message(c), &m);
			int start = commit_msg_trailer(&m, "Proposed-by") != NULL;
			commit_msg_release(&m);
			next = NULL;
			if (start || git_commit_parentcount(c) == 0 || git_commit_parent(&next, c, 0) < 0)
				next = NULL;
			git_commit_free(c);
			c = next;
		}
		git_commit_free(c);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
}

static void add_id(char ***v, size_t *n, const char *id)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], id))
			return;
	*v = xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(id);
	(*v)[*n] = NULL;
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
				add_id(ids, n, id);
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
	struct commit_msg m;
	struct log_item it;
	char hex[41];
	char **ids = NULL;
	size_t nids = 0;
	char *who = NULL;
	const char *t;
	int rc = 0;

	key_of(git_commit_id(c), hex);
	commit_msg_parse(git_commit_message(c), &m);
	memset(&it, 0, sizeof(it));
	it.commit = hex;
	it.date.t = (int64_t)git_commit_time(c);
	it.date.off = git_commit_time_offset(c) * 60;
	/* kefu's commits give their reason in the body; others, in the subject. */
	it.why = *m.body || m.ntrailers ? m.body : m.subject;
	it.proposal = strmap_get(&w->proposal, hex);
	int on_main = strmap_get(&w->on_main, hex) != NULL;
	int merge = git_commit_parentcount(c) > 1;

	if (merge && (t = commit_msg_trailer(&m, "Approved-by"))) {
		/* A trailer is a claim; the committer is who made the merge. */
		who = trailer_email(t);
		it.action = history_verified(who, git_commit_committer(c)->email)
				    ? "approved"
				    : "approved (unverified)";
		it.proposal = commit_msg_trailer(&m, "Proposal");
	} else if ((t = commit_msg_trailer(&m, "Rejected-by"))) {
		it.action = "rejected";
		who = trailer_email(t);
	} else if ((t = commit_msg_trailer(&m, "Proposed-by"))) {
		it.action = "proposed";
		who = trailer_email(t);
	} else if ((t = commit_msg_trailer(&m, "Amended-by"))) {
		it.action = "amended";
		who = trailer_email(t);
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
	for (size_t i = 0; i < m.ntrailers; i++)
		if (!strcasecmp(m.trailers[i].key, "Entry"))
			add_id(&ids, &nids, m.trailers[i].value);
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
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	free(who);
	commit_msg_release(&m);
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

	if (git_reference_name_to_id(&main_id, w.g, "refs/heads/main") < 0 ||
	    git_commit_lookup(&head, w.g, &main_id) < 0 || git_revwalk_new(&rw, w.g) < 0 ||
	    git_revwalk_push(rw, &main_id) < 0 ||
	    git_revwalk_push_glob(rw, "refs/heads/" PROPOSAL_PREFIX "*") < 0) {
		st = repo_fail(err, "cannot read the history");
		goto out;
	}
	mark_main(&w, head);
	mark_proposals(&w);
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

	if (git_reference_name_to_id(&main_id, g, "refs/heads/main") < 0 ||
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
		const char *t = commit_msg_trailer(&m, "Approved-by");
		char *claimed = t ? trailer_email(t) : NULL;
		const char *committer = git_commit_committer(c)->email;
		if (claimed && !history_verified(claimed, committer)) {
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
