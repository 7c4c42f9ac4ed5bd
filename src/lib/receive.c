#include "receive.h"

#include <git2.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk.h"
#include "kbtree.h"
#include "proposal.h"
#include "roles.h"
#include "sbuf.h"
#include "treediff.h"

#define BRANCHES "refs/heads/" PROPOSAL_PREFIX

void receive_transport(struct repo *r, struct receive_transport *t)
{
	static const char *const vars[] = { "KEFU_PUSHER", "GITEA_PUSHER_EMAIL", "GL_USERNAME",
					    "GL_USER", "REMOTE_USER", NULL };
	struct stat st;
	memset(t, 0, sizeof(*t));
	for (const char *const *v = vars; *v && !t->var; v++) {
		const char *s = getenv(*v);
		if (s && *s) {
			t->var = *v;
			t->value = s;
		}
	}
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		t->login = xstrdup(pw->pw_name);
	t->owner = stat(repo_git_dir(r), &st) == 0 && st.st_uid == geteuid();
}

void receive_transport_release(struct receive_transport *t)
{
	free(t->login);
	memset(t, 0, sizeof(*t));
}

static int zero(const char *hex)
{
	return strspn(hex, "0") == strlen(hex);
}

static int supervisor(const struct roles *roles, const char *id)
{
	const struct person *p = roles_find_name(roles, id);
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

/* Who wrote what a merge brings in, and whether it is a proposal. */
struct editors {
	char **v;
	size_t n;
	int proposal;
};

static int editors_add(void *ctx, const struct proposal_step *s)
{
	struct editors *e = ctx;
	if (s->proposed_by || s->amended_by)
		e->proposal = 1;
	proposal_step_editors(s, &e->v, &e->n);
	return PROPOSAL_WALK_ON;
}

/*
 * The editors of the commits merge brings that its first parent lacks
 * (proposal_step_editors()): a proposal, or anything else merged.
 */
static enum kf_status merge_editors(struct repo *r, git_commit *merge, struct editors *e,
				    struct kf_err *err)
{
	enum kf_status st = KF_OK;
	for (unsigned k = 1; !st && k < git_commit_parentcount(merge); k++)
		st = proposal_walk(r, git_commit_parent_id(merge, k), git_commit_parent_id(merge, 0),
				   editors_add, e, err);
	return st;
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

/*
 * The roles that say who pushes: main's before the push, so that a push
 * cannot bind a login to someone else for itself; the pushed main's only
 * when main does not exist yet. Empty when there are none.
 */
static void identity_roles(git_repository *g, const char *creating, struct roles *roles)
{
	git_oid id;
	git_commit *c = NULL;
	struct kf_err ignored;
	if ((git_reference_name_to_id(&id, g, DESK_MAIN_REF) == 0 ||
	     (creating && git_oid_fromstr(&id, creating) == 0)) &&
	    git_commit_lookup(&c, g, &id) == 0 && load_roles(g, c, roles, &ignored))
		roles_release(roles);
	git_commit_free(c);
}

/*
 * Who pushes, by kb-receive(1)'s rules: the person roles binds to the
 * Unix login, else the pusher variable when the hook runs as the
 * repository's owner. *who is NULL when nobody is authenticated, and
 * *why then says what was missing. KF_EPERM when the two disagree.
 */
static enum kf_status identify(const struct receive_transport *t, const struct roles *roles,
			       char **who, char **why, struct kf_err *err)
{
	const struct person *bound = t->login ? roles_find_login(roles, t->login) : NULL;
	*who = *why = NULL;
	if (bound) {
		/* A variable anyone could have set says nothing against the login. */
		if (t->value && roles_find_name(roles, t->value) != bound)
			return kf_fail(err, KF_EPERM,
				       "refused: $%s names '%s', but this push runs as the Unix "
				       "user '%s', who is '%s' in workflows/roles.yaml",
				       t->var, t->value, t->login, bound->email);
		*who = xstrdup(bound->email);
	} else if (t->value && t->owner) {
		*who = xstrdup(t->value);
	} else if (t->value) {
		*why = xasprintf("$%s is believed only from the repository's owner, which the "
				 "Unix user '%s' is not, and no person of workflows/roles.yaml has "
				 "that login",
				 t->var, t->login ? t->login : "?");
	} else {
		*why = xasprintf("no pusher variable is set, and no person of workflows/roles.yaml "
				 "has the login of the Unix user '%s'",
				 t->login ? t->login : "?");
	}
	return KF_OK;
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

struct push {
	const struct roles *now, *before; /* before: NULL when main had none */
	const char *pusher;
	int creating; /* the desk's first push: main does not exist yet */
};

/* Checks of a merge of a proposal: the four-eyes rule, then who approves. */
static enum kf_status check_approval(const struct editors *ed, const struct push *p,
				     const char *hex, const char *claimed, const char *committer,
				     const char *what, struct kf_err *err)
{
	const char *approver = claimed ? claimed : committer;
	if (proposal_edited_by(ed->v, ed->n, approver, p->now))
		return kf_fail(err, KF_EPERM,
			       "refused: %.10s is approved by '%s', who proposed or amended it", hex,
			       approver);
	if (!p->creating && proposal_edited_by(ed->v, ed->n, p->pusher, p->now))
		return kf_fail(err, KF_EPERM,
			       "refused: %.10s merges a proposal by '%s', who pushes it; another "
			       "supervisor must",
			       hex, p->pusher);
	if (claimed && !roles_same_person(p->now, claimed, committer))
		return KF_OK; /* said by the caller, as for any commit */
	if (p->creating)
		/* The desk's first push: its approvals were made elsewhere. */
		return judge(p->now, "workflows/roles.yaml", ", who committed the approval,", hex,
			     committer, what, err);
	if (!roles_same_person(p->now, committer, p->pusher))
		return kf_fail(err, KF_EPERM,
			       "refused: %.10s approves a proposal: committed by '%s' but pushed by "
			       "'%s'; an approval is pushed by the supervisor who made it",
			       hex, committer, p->pusher);
	return KF_OK;
}

static enum kf_status check_commit(struct repo *r, git_commit *c, const struct push *p,
				   struct kf_err *err)
{
	git_repository *g = repo_git(r);
	struct proposal_step s;
	struct editors ed = { NULL, 0, 0 };
	enum kf_status st = KF_OK;

	proposal_step_read(c, &s);
	const char *hex = s.hex, *committer = git_commit_committer(c)->email;
	char *claimed = commit_msg_email(&s.msg, "Approved-by");
	int kb = touches(g, c, "kb"), wf = touches(g, c, "workflows");
	int merge = git_commit_parentcount(c) > 1;
	const char *what = kb && wf ? "kb/ and workflows/" : kb ? "kb/" : "workflows/";

	if (s.proposed_by || s.amended_by || s.rejected_by) {
		/* A fast-forward would publish a proposal with no approval on record. */
		st = kf_fail(err, KF_EPERM,
			     "refused: %.10s is a proposal's own commit on main; approve it with "
			     "kb-approve or git merge --no-ff",
			     hex);
		goto out;
	}
	if (kb || wf) {
		/* Roles are changed with the permission of the roles before the change. */
		st = judge(p->now, "workflows/roles.yaml", ", who pushes it,", hex, p->pusher, what,
			   err);
		if (!st && wf && p->before)
			st = judge(p->before, "main's workflows/roles.yaml before this push",
				   ", who pushes it,", hex, p->pusher, what, err);
		if (!st && merge && !(st = merge_editors(r, c, &ed, err))) {
			ed.proposal |= claimed || commit_msg_trailer(&s.msg, "Proposal");
			if (ed.proposal)
				st = check_approval(&ed, p, hex, claimed, committer, what, err);
		}
	}
	/* Whatever it changes: kb-log and kb-lint would show the claim forever. */
	if (!st && claimed && !roles_same_person(p->now, claimed, committer))
		st = kf_fail(err, KF_EPERM,
			     "refused: %.10s says Approved-by: '%s' but was committed by '%s': a "
			     "trailer is only a claim",
			     hex, claimed, committer);
out:
	names_free(ed.v, ed.n);
	free(claimed);
	proposal_step_release(&s);
	return st;
}

/*
 * Would git read ref for main? refs/tags/main and refs/main come before
 * refs/heads/main when git looks "main" up, refs/heads/HEAD makes "HEAD"
 * ambiguous, and names differing only in case are one file on some
 * systems.
 */
static int shadows_main(const char *ref)
{
	static const char *const spaces[] = { "heads/", "tags/", "remotes/", NULL };
	const char *s = ref;
	if (strncasecmp(s, "refs/", 5))
		return 1; /* not a ref at all */
	s += 5;
	for (const char *const *sp = spaces; *sp; sp++)
		if (!strncasecmp(s, *sp, strlen(*sp))) {
			s += strlen(*sp);
			break;
		}
	return !strcasecmp(s, "main") || !strcasecmp(s, "HEAD") || !strcasecmp(s, "main/HEAD");
}

/* A new proposal branch may not take a number another branch has. */
static enum kf_status check_number(git_repository *g, const char *ref, struct kf_err *err)
{
	git_reference_iterator *it;
	git_reference *r;
	const char *p = ref + strlen(BRANCHES);
	char *end;
	long num = strtol(p, &end, 10);
	enum kf_status st = KF_OK;
	if (end == p || (*end != '-' && *end))
		return KF_OK;
	if (git_reference_iterator_glob_new(&it, g, BRANCHES "*") < 0)
		return repo_fail(err, "cannot list the proposals");
	while (!st && git_reference_next(&r, it) == 0) {
		const char *q = git_reference_name(r) + strlen(BRANCHES);
		if (strcmp(git_reference_name(r), ref) && strtol(q, &end, 10) == num && end > q &&
		    (*end == '-' || !*end))
			st = kf_fail(err, KF_EPERM,
				     "refused: number %ld is taken by '%s'; push it under a number of "
				     "its own",
				     num, git_reference_name(r) + strlen("refs/heads/"));
		git_reference_free(r);
	}
	git_reference_iterator_free(it);
	return st;
}

static enum kf_status check_main(struct repo *r, const char *old, const char *new,
				 const struct receive_transport *t, struct kf_err *err)
{
	git_repository *g = repo_git(r);
	git_revwalk *rw = NULL;
	git_commit *head = NULL, *was = NULL;
	git_oid new_id, old_id, oid;
	struct roles now = { NULL, 0 }, before = { NULL, 0 }, ids = { NULL, 0 };
	int had_roles = 0;
	char *pusher = NULL, *why = NULL;
	enum kf_status st = KF_OK;

	if (zero(new))
		return kf_fail(err, KF_EPERM, "refused: main cannot be deleted");
	identity_roles(g, zero(old) ? new : NULL, &ids);
	if ((st = identify(t, &ids, &pusher, &why, err)))
		goto out;
	if (!pusher) {
		st = kf_fail(err, KF_EPERM,
			     "refused: nobody authenticated this push to main: %s (see kb-receive(1))",
			     why);
		goto out;
	}
	if (git_oid_fromstr(&new_id, new) < 0 || git_commit_lookup(&head, g, &new_id) < 0) {
		st = repo_fail(err, "cannot read the pushed commit");
		goto out;
	}
	if (!zero(old)) {
		struct kf_err ignored;
		if (git_oid_fromstr(&old_id, old) < 0 || git_commit_lookup(&was, g, &old_id) < 0) {
			st = repo_fail(err, "cannot read main before the push");
			goto out;
		}
		/* What was published stays: main only gains commits. */
		if (!git_oid_equal(&old_id, &new_id) &&
		    git_graph_descendant_of(g, &new_id, &old_id) != 1) {
			st = kf_fail(err, KF_EPERM,
				     "refused: main can only move forward: %.10s does not contain "
				     "%.10s, main as it is; undo with a new commit instead",
				     new, old);
			goto out;
		}
		had_roles = load_roles(g, was, &before, &ignored) == KF_OK;
	}
	if ((st = load_roles(g, head, &now, err)))
		goto out;
	if (git_revwalk_new(&rw, g) < 0 || git_revwalk_push(rw, &new_id) < 0 ||
	    (was && git_revwalk_hide(rw, &old_id) < 0)) {
		st = repo_fail(err, "cannot walk the pushed commits");
		goto out;
	}
	/* What main itself gains; a merge speaks for what it brings in. */
	git_revwalk_simplify_first_parent(rw);
	struct push p = { &now, had_roles ? &before : NULL, pusher, was == NULL };
	while (!st && git_revwalk_next(&oid, rw) == 0) {
		git_commit *c;
		if (git_commit_lookup(&c, g, &oid) < 0) {
			st = repo_fail(err, "cannot read a pushed commit");
			break;
		}
		st = check_commit(r, c, &p, err);
		git_commit_free(c);
	}
out:
	free(pusher);
	free(why);
	git_revwalk_free(rw);
	git_commit_free(head);
	git_commit_free(was);
	roles_release(&now);
	roles_release(&before);
	roles_release(&ids);
	return st;
}

enum kf_status receive_check(struct repo *r, const char *old, const char *new,
			     const char *ref, const struct receive_transport *t,
			     struct kf_err *err)
{
	if (!strcmp(ref, DESK_MAIN_REF))
		return check_main(r, old, new, t, err);
	if (zero(new))
		return KF_OK; /* deleting a proposal withdraws it */
	if (shadows_main(ref))
		return kf_fail(err, KF_EPERM,
			       "refused: '%s' would shadow main: git could read it for main, or "
			       "mistake one for the other",
			       ref);
	if (!strncmp(ref, BRANCHES, strlen(BRANCHES)) && zero(old))
		return check_number(repo_git(r), ref, err);
	return KF_OK; /* proposals and other branches are free */
}
