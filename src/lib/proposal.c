#include "proposal.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "entry.h"
#include "kbtree.h"
#include "notify.h"
#include "output.h"
#include "strmap.h"
#include "treediff.h"

#define BRANCHES "refs/heads/" PROPOSAL_PREFIX

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

/* ---- A proposal's own commits ---- */

void proposal_step_read(struct git_commit *c, struct proposal_step *s)
{
	s->commit = c;
	git_oid_tostr(s->hex, sizeof(s->hex), git_commit_id(c));
	commit_msg_parse(git_commit_message(c), &s->msg);
	s->proposed_by = commit_msg_email(&s->msg, "Proposed-by");
	s->amended_by = commit_msg_email(&s->msg, "Amended-by");
	s->rejected_by = commit_msg_email(&s->msg, "Rejected-by");
}

void proposal_step_release(struct proposal_step *s)
{
	commit_msg_release(&s->msg);
	free(s->proposed_by);
	free(s->amended_by);
	free(s->rejected_by);
	memset(s, 0, sizeof(*s));
}

/* A commit whose tree is its first parent's: it only says something. */
static int changes_nothing(git_commit *c)
{
	git_commit *parent;
	if (git_commit_parentcount(c) == 0 || git_commit_parent(&parent, c, 0) < 0)
		return 0;
	int same = git_oid_equal(git_commit_tree_id(c), git_commit_tree_id(parent));
	git_commit_free(parent);
	return same;
}

void proposal_step_editors(const struct proposal_step *s, char ***v, size_t *n)
{
	if (s->proposed_by)
		names_add(v, n, s->proposed_by);
	if (s->amended_by)
		names_add(v, n, s->amended_by);
	/* The trailers are what kefu wrote; whoever made the commit edited it too. */
	if (!s->rejected_by || !changes_nothing(s->commit))
		names_add(v, n, git_commit_author(s->commit)->email);
}

int proposal_edited_by(char *const *v, size_t n, const char *who, const struct roles *roles)
{
	for (size_t i = 0; i < n; i++)
		if (roles_same_person(roles, v[i], who))
			return 1;
	return 0;
}

/* Tell fn about c; its answer. */
static int step(git_commit *c, proposal_step_fn fn, void *ctx, int *began)
{
	struct proposal_step s;
	proposal_step_read(c, &s);
	int rc = fn(ctx, &s);
	*began = s.proposed_by != NULL;
	proposal_step_release(&s);
	return rc;
}

/* Everything tip brings that hide lacks. */
static enum kf_status walk_merged(git_repository *g, const git_oid *tip, const git_oid *hide,
				  proposal_step_fn fn, void *ctx, struct kf_err *err)
{
	git_revwalk *rw = NULL;
	git_oid oid;
	enum kf_status st = KF_OK;
	int began;

	if (git_revwalk_new(&rw, g) < 0 || git_revwalk_push(rw, tip) < 0 ||
	    git_revwalk_hide(rw, hide) < 0)
		st = repo_fail(err, "cannot walk a proposal's commits");
	for (int steps = 0; !st && steps < 100000 && git_revwalk_next(&oid, rw) == 0; steps++) {
		git_commit *c;
		if (git_commit_lookup(&c, g, &oid) < 0) {
			st = repo_fail(err, "cannot read a proposal's commit");
			break;
		}
		int rc = step(c, fn, ctx, &began);
		git_commit_free(c);
		if (rc != PROPOSAL_WALK_ON)
			break;
	}
	git_revwalk_free(rw);
	return st;
}

enum kf_status proposal_walk(struct repo *r, const struct git_oid *tip,
			     const struct git_oid *hide, proposal_step_fn fn, void *ctx,
			     struct kf_err *err)
{
	git_repository *g = repo_git(r);
	git_commit *c, *next;
	int began;

	if (hide)
		return walk_merged(g, tip, hide, fn, ctx, err);
	if (git_commit_lookup(&c, g, tip) < 0)
		return repo_fail(err, "cannot read a proposal's commit");
	while (c) {
		int rc = step(c, fn, ctx, &began);
		next = NULL;
		if (rc == PROPOSAL_WALK_ON && !began && git_commit_parentcount(c) > 0 &&
		    git_commit_parent(&next, c, 0) < 0)
			next = NULL;
		git_commit_free(c);
		c = next;
	}
	return KF_OK;
}

/* ---- Reading proposals ---- */

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
			names_add(&found, &nfound, rn);
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
		names_free(found, nfound);
		return KF_EINVAL;
	}
	*refname = found[0];
	free(found);
	return KF_OK;
}

/* The files changed between two trees. */
static int diff_trees(git_repository *g, git_tree *a, git_tree *b, struct tree_diff *d)
{
	int rc = tree_diff(g, a, b, NULL, d);
	if (rc < 0)
		tree_diff_release(d);
	return rc;
}

static void take_ids(struct proposal *p, const struct commit_msg *m)
{
	for (size_t i = 0; i < m->ntrailers; i++)
		if (!strcasecmp(m->trailers[i].key, "Entry"))
			names_add(&p->ids, &p->nids, m->trailers[i].value);
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
			names_add(&p->ids, &p->nids, id);
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
		git_oid_tostr(merge, sizeof(merge), &oid);
		for (unsigned k = 1; k < git_commit_parentcount(c); k++) {
			git_oid_tostr(parent, sizeof(parent), git_commit_parent_id(c, k));
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
	char *claimed = commit_msg_email(&msg, "Approved-by");
	int ok = !claimed || roles_same_person(NULL, claimed, git_commit_committer(m)->email);
	free(claimed);
	commit_msg_release(&msg);
	git_commit_free(m);
	return ok;
}

/* A proposal's own commits, newest first, from the walk. */
struct chain {
	git_commit **v;
	size_t n, alloc;
	const git_oid *base; /* where it began, when not merged */
};

static int chain_add(void *ctx, const struct proposal_step *s)
{
	struct chain *ch = ctx;
	if (ch->base && git_oid_equal(git_commit_id(s->commit), ch->base))
		return PROPOSAL_WALK_BEFORE;
	ALLOC_GROW(ch->v, ch->n + 1, ch->alloc);
	git_commit_dup(&ch->v[ch->n++], s->commit);
	return PROPOSAL_WALK_ON;
}

/* What the commits say, oldest first: who proposed it, why, who amended and rejected it. */
static void read_chain(struct proposal *p, const struct chain *ch)
{
	for (size_t k = ch->n; k-- > 0;) {
		struct proposal_step s;
		git_commit *cm = ch->v[k];
		const git_signature *au = git_commit_author(cm);
		struct instant when = { (int64_t)git_commit_time(cm), git_commit_time_offset(cm) * 60 };
		proposal_step_read(cm, &s);
		take_ids(p, &s.msg);
		proposal_step_editors(&s, &p->editors, &p->neditors);
		if (k == ch->n - 1) {
			p->author = xstrdup(s.proposed_by ? s.proposed_by : au->email);
			p->author_name = xstrdup(au->name);
			p->proposed = when;
			p->reason = xstrdup(s.msg.body);
			p->title = xstrdup(s.msg.subject);
		} else {
			/* A rejection stands until an amendment answers it. */
			free(p->rejected_by);
			free(p->rejection);
			p->rejected_by = p->rejection = NULL;
			if (s.rejected_by) {
				p->rejected_by = xstrdup(s.rejected_by);
				p->rejection = xstrdup(s.msg.body);
			}
		}
		p->updated = when;
		proposal_step_release(&s);
	}
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
	git_tree *main_tree = NULL, *base_tree = NULL, *tip_tree = NULL;
	git_commit *main_c = NULL, *base_c = NULL, *tip_c = NULL;
	struct chain ch = { NULL, 0, 0, NULL };
	char *refname = NULL;
	enum kf_status st;

	memset(p, 0, sizeof(*p));
	if ((st = resolve_name(g, name, &refname, err)))
		return st;
	p->name = xstrdup(refname + strlen("refs/heads/"));
	if (git_reference_name_to_id(&tip_id, g, refname) < 0 ||
	    kbtree_main(g, &main_id, &main_c) < 0 || git_commit_lookup(&tip_c, g, &tip_id) < 0) {
		st = repo_fail(err, "cannot read proposal");
		goto out;
	}
	git_oid_tostr(p->tip, sizeof(p->tip), &tip_id);
	int merged = git_oid_equal(&tip_id, &main_id) ||
		     git_graph_descendant_of(g, &main_id, &tip_id) == 1;
	if (git_merge_base(&base_id, g, &main_id, &tip_id) < 0) {
		st = repo_fail(err, "proposal has no history in common with main");
		goto out;
	}
	git_oid_tostr(p->base, sizeof(p->base), &base_id);

	ch.base = merged ? NULL : &base_id;
	if ((st = proposal_walk(r, &tip_id, NULL, chain_add, &ch, err)))
		goto out;
	if (merged && ch.n && git_commit_parentcount(ch.v[ch.n - 1]) > 0) {
		/* Approved: it began where its first commit branched off. */
		git_oid_cpy(&base_id, git_commit_parent_id(ch.v[ch.n - 1], 0));
		git_oid_tostr(p->base, sizeof(p->base), &base_id);
	}
	read_chain(p, &ch);
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
		struct updates u = UPDATES_INIT;
		st = kbtree_plan_merge(g, base_tree, tip_tree, main_tree, &u, &p->conflicts,
				       &p->nconflicts, err);
		updates_release(&u);
		p->clean = !p->nconflicts;
	} else {
		p->clean = 1;
	}
out:
	for (size_t k = 0; k < ch.n; k++)
		git_commit_free(ch.v[k]);
	free(ch.v);
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

void proposal_release(struct proposal *p)
{
	free(p->name);
	names_free(p->ids, p->nids);
	free(p->author);
	free(p->author_name);
	names_free(p->editors, p->neditors);
	free(p->reason);
	free(p->title);
	free(p->rejected_by);
	free(p->rejection);
	names_free(p->conflicts, p->nconflicts);
	memset(p, 0, sizeof(*p));
}

void proposals_free(struct proposal *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		proposal_release(&v[i]);
	free(v);
}

/* ---- What a proposal changes ---- */

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

/* ---- Hooks ---- */

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
