#include "receive.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "message.h"
#include "roles.h"
#include "sbuf.h"
#include "treediff.h"

const char *receive_pusher(void)
{
	static const char *const vars[] = { "KEFU_PUSHER", "GITEA_PUSHER_EMAIL", "GL_USERNAME",
					    "GL_USER", "REMOTE_USER", NULL };
	for (const char *const *v = vars; *v; v++) {
		const char *s = getenv(*v);
		if (s && *s)
			return s;
	}
	return NULL;
}

static int zero(const char *hex)
{
	return strspn(hex, "0") == strlen(hex);
}

/* A person by email, or by the email's local part (a server user name). */
static const struct person *who(const struct roles *roles, const char *id)
{
	const struct person *p = roles_find(roles, id);
	for (size_t i = 0; !p && i < roles->n; i++) {
		const char *e = roles->v[i].email;
		size_t n = strcspn(e, "@");
		if (strlen(id) == n && !strncasecmp(e, id, n))
			p = &roles->v[i];
	}
	return p;
}

static int supervisor(const struct roles *roles, const char *id)
{
	const struct person *p = who(roles, id);
	return p && (p->roles & ROLE_SUPERVISOR);
}

/* Does c change anything under dir (against its first parent)? */
static int touches(git_repository *g, git_commit *c, const char *dir)
{
	git_commit *parent = NULL;
	struct tree_diff d = { NULL, 0, 0 };
	int yes = 1; /* when in doubt, check it */

	if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) < 0)
		return yes;
	if (tree_diff_commits(g, parent, c, dir, &d) == 0)
		yes = d.n > 0;
	tree_diff_release(&d);
	git_commit_free(parent);
	return yes;
}

/* Did id propose or amend what the merge's second parent brings? */
static int authored(git_commit *merge, const char *id,
		    const struct roles *roles)
{
	git_commit *c = NULL, *next;
	const struct person *judge = who(roles, id);
	int found = 0;
	if (git_commit_parent(&c, merge, 1) < 0)
		return 0;
	for (int steps = 0; c && steps < 10000 && !found; steps++) {
		struct message m;
		message_parse(git_commit_message(c), &m);
		const char *by = message_trailer(&m, "Proposed-by");
		const char *amended = message_trailer(&m, "Amended-by");
		const char *rejected = message_trailer(&m, "Rejected-by");
		char *email = by ? trailer_email(by) : amended ? trailer_email(amended) : NULL;
		if (!email && !rejected)
			email = xstrdup(git_commit_author(c)->email);
		if (email && (!strcasecmp(email, id) || (judge && who(roles, email) == judge)))
			found = 1;
		free(email);
		int start = by != NULL;
		message_release(&m);
		next = NULL;
		if (start || git_commit_parentcount(c) == 0 || git_commit_parent(&next, c, 0) < 0)
			next = NULL;
		git_commit_free(c);
		c = next;
	}
	git_commit_free(c);
	return found;
}

static enum kf_status load_roles(git_repository *g, git_commit *c, struct roles *roles,
				 struct kf_err *err)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	struct diags probs = DIAGS_INIT;
	enum kf_status st = KF_OK;

	if (git_commit_tree(&t, c) < 0 || git_tree_entry_bypath(&e, t, "workflows/roles.yaml") < 0 ||
	    git_blob_lookup(&b, g, git_tree_entry_id(e)) < 0) {
		st = kf_fail(err, KF_EPERM, "refused: the new main has no workflows/roles.yaml");
		goto out;
	}
	if (roles_parse(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), roles, &probs)) {
		char *line = diag_format("workflows/roles.yaml", &probs.v[0]);
		st = kf_fail(err, KF_EPERM, "refused: the new main's roles are invalid: %s", line);
		free(line);
	}
out:
	diags_release(&probs);
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(t);
	return st;
}

/* Who may change what a commit changes: a supervisor by these roles. */
static enum kf_status judge(const struct roles *roles, const char *which, const char *whose,
			    const char *hex, const char *id, const char *what,
			    struct kf_err *err)
{
	if (supervisor(roles, id))
		return KF_OK;
	return kf_fail(err, KF_EPERM,
		       "refused: %.10s changes %s and '%s'%s is not a supervisor in %s",
		       hex, what, id, whose, which);
}

static enum kf_status check_commit(git_repository *g, git_commit *c, const struct roles *now,
				   const struct roles *before, const char *pusher,
				   struct kf_err *err)
{
	struct message m;
	char hex[41];
	enum kf_status st = KF_OK;
	char *actor = NULL;

	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	message_parse(git_commit_message(c), &m);
	if (message_trailer(&m, "Proposed-by") || message_trailer(&m, "Amended-by") ||
	    message_trailer(&m, "Rejected-by")) {
		/* A fast-forward would publish a proposal with no approval on record. */
		st = kf_fail(err, KF_EPERM,
			     "refused: %.10s is a proposal's own commit on main; approve it with "
			     "kb-approve or git merge --no-ff",
			     hex);
		goto out;
	}
	int kb = touches(g, c, "kb"), wf = touches(g, c, "workflows");
	if (!kb && !wf)
		goto out;
	const char *what = kb && wf ? "kb/ and workflows/" : kb ? "kb/" : "workflows/";
	const char *t = message_trailer(&m, "Approved-by");
	actor = t ? trailer_email(t) : xstrdup(git_commit_committer(c)->email);
	int merge = git_commit_parentcount(c) > 1;
	/* Roles are changed with the permission of the roles before the change. */
	const struct roles *rules[] = { now, wf ? before : NULL };
	static const char *const which[] = { "workflows/roles.yaml",
					     "main's workflows/roles.yaml before this push" };
	for (size_t i = 0; i < 2 && !st; i++) {
		if (!rules[i])
			continue;
		if (pusher)
			st = judge(rules[i], which[i], ", who pushes it,", hex, pusher, what, err);
		if (!st && (!pusher || merge))
			st = judge(rules[i], which[i], "", hex, actor, what, err);
	}
	if (!st && merge && authored(c, actor, now))
		st = kf_fail(err, KF_EPERM,
			     "refused: %.10s is approved by '%s', who proposed or amended it", hex,
			     actor);
	if (!st && merge && pusher && authored(c, pusher, now))
		st = kf_fail(err, KF_EPERM,
			     "refused: %.10s merges a proposal by '%s', who pushes it; another "
			     "supervisor must",
			     hex, pusher);
out:
	free(actor);
	message_release(&m);
	return st;
}

enum kf_status receive_check(struct repo *r, const char *old, const char *new,
			     const char *ref, const char *pusher, struct kf_err *err)
{
	git_repository *g = repo_git(r);
	git_revwalk *rw = NULL;
	git_commit *head = NULL, *was = NULL;
	git_oid new_id, old_id, oid;
	struct roles roles = { NULL, 0 }, before = { NULL, 0 };
	int had_roles = 0;
	enum kf_status st = KF_OK;

	if (strcmp(ref, "refs/heads/main"))
		return KF_OK; /* proposals and other branches are free */
	if (zero(new))
		return kf_fail(err, KF_EPERM, "refused: main cannot be deleted");
	if (git_oid_fromstr(&new_id, new) < 0 || git_commit_lookup(&head, g, &new_id) < 0)
		return repo_fail(err, "cannot read the pushed commit");
	if ((st = load_roles(g, head, &roles, err)))
		goto out;
	if (!zero(old)) {
		struct kf_err ignored;
		if (git_oid_fromstr(&old_id, old) < 0 || git_commit_lookup(&was, g, &old_id) < 0) {
			st = repo_fail(err, "cannot read main before the push");
			goto out;
		}
		had_roles = load_roles(g, was, &before, &ignored) == KF_OK;
	}
	if (git_revwalk_new(&rw, g) < 0 || git_revwalk_push(rw, &new_id) < 0 ||
	    (was && git_revwalk_hide(rw, &old_id) < 0)) {
		st = repo_fail(err, "cannot walk the pushed commits");
		goto out;
	}
	/* What main itself gains; a merge speaks for what it brings in. */
	git_revwalk_simplify_first_parent(rw);
	while (!st && git_revwalk_next(&oid, rw) == 0) {
		git_commit *c;
		if (git_commit_lookup(&c, g, &oid) < 0) {
			st = repo_fail(err, "cannot read a pushed commit");
			break;
		}
		st = check_commit(g, c, &roles, had_roles ? &before : NULL, pusher, err);
		git_commit_free(c);
	}
out:
	git_revwalk_free(rw);
	git_commit_free(head);
	git_commit_free(was);
	roles_release(&roles);
	roles_release(&before);
	return st;
}
