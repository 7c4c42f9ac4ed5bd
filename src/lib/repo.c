#include "repo.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "sbuf.h"
#include "treediff.h"
#include "worktree.h"

struct repo {
	git_repository *git;
};

enum kf_status repo_fail(struct kf_err *err, const char *what)
{
	const git_error *e = git_error_last();
	return kf_fail(err, KF_EGIT, "%s: %s", what, e && e->message ? e->message : "unknown error");
}

static void hex_of(const git_oid *oid, char hex[41])
{
	git_oid_tostr(hex, 41, oid);
}

char *repo_system_config(void)
{
	const char *no = getenv("GIT_CONFIG_NOSYSTEM");
	const char *path = getenv("GIT_CONFIG_SYSTEM");
	if (no && *no && strcmp(no, "0") && strcmp(no, "false"))
		return NULL;
	return xstrdup(path && *path ? path : "/etc/gitconfig");
}

struct vouching {
	const char *root;
	size_t len;
	int yes;
};

static int vouches(const git_config_entry *e, void *ctx)
{
	struct vouching *v = ctx;
	size_t n = strlen(e->value);
	while (n > 1 && e->value[n - 1] == '/')
		n--;
	if (!*e->value)
		v->yes = 0; /* an empty value forgets those before it, in git */
	else if (!strcmp(e->value, "*") || (n == v->len && !strncmp(e->value, v->root, n)))
		v->yes = 1;
	return 0;
}

/*
 * Whether git's system configuration names root in safe.directory, as
 * git reads it. libgit2 reads /etc/gitconfig alone, whatever
 * $GIT_CONFIG_SYSTEM or $GIT_CONFIG_NOSYSTEM say; kefu follows git, so
 * that the two trust the same repositories.
 */
static int vouched(const char *root)
{
	char *path = repo_system_config();
	git_config *cfg = NULL;
	struct vouching v = { root, strlen(root), 0 };
	while (v.len > 1 && root[v.len - 1] == '/')
		v.len--;
	if (path && git_config_open_ondisk(&cfg, path) == 0)
		git_config_get_multivar_foreach(cfg, "safe.directory", NULL, vouches, &v);
	git_config_free(cfg);
	free(path);
	return v.yes;
}

/*
 * Open root's repository. One another user owns (a desk shared with a
 * group) opens when git's system configuration vouches for it: only
 * there, where only root writes, may one user trust another's
 * repository for everyone (git's safe.directory).
 */
static int open_git(git_repository **git, const char *root)
{
	int rc = git_repository_open_ext(git, root, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	/* libgit2 1.5 says so by GIT_EOWNER, or by failing to find safe.directory. */
	if (rc >= 0 || !vouched(root))
		return rc;
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	rc = git_repository_open_ext(git, root, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 1);
	return rc;
}

enum kf_status repo_open(const char *root, struct repo **out, struct kf_err *err)
{
	git_libgit2_init();
	struct repo *r = xcalloc(1, sizeof(*r));
	if (open_git(&r->git, root) < 0) {
		free(r);
		char what[512];
		snprintf(what, sizeof(what), "cannot open repository '%s'", root);
		return repo_fail(err, what);
	}
	/* An approval killed half-way is finished by whoever comes next. */
	enum kf_status st = worktree_finish(r, err);
	if (st) {
		repo_close(r);
		return st;
	}
	*out = r;
	return KF_OK;
}

enum kf_status repo_open_env(struct repo **out, struct kf_err *err)
{
	git_libgit2_init();
	struct repo *r = xcalloc(1, sizeof(*r));
	if (git_repository_open_ext(&r->git, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0) {
		free(r);
		return repo_fail(err, "cannot open the repository of this hook");
	}
	*out = r;
	return KF_OK;
}

void repo_close(struct repo *r)
{
	if (!r)
		return;
	git_repository_free(r->git);
	free(r);
	git_libgit2_shutdown();
}

struct git_repository *repo_git(struct repo *r)
{
	return r->git;
}

const char *repo_git_dir(struct repo *r)
{
	return git_repository_commondir(r->git);
}

enum kf_status repo_config_set(const char *root, const char *key, const char *value,
			       struct kf_err *err)
{
	git_repository *git = NULL;
	git_config *cfg = NULL;
	enum kf_status st = KF_OK;
	git_libgit2_init();
	if (open_git(&git, root) < 0 || git_repository_config(&cfg, git) < 0 ||
	    git_config_set_string(cfg, key, value) < 0)
		st = repo_fail(err, "cannot set the repository's configuration");
	git_config_free(cfg);
	git_repository_free(git);
	git_libgit2_shutdown();
	return st;
}

const char *repo_workdir(struct repo *r)
{
	return git_repository_workdir(r->git);
}

static int lookup_commit(struct repo *r, const char *hex, git_commit **c)
{
	git_oid oid;
	if (git_oid_fromstr(&oid, hex) < 0)
		return -1;
	return git_commit_lookup(c, r->git, &oid);
}

enum kf_status repo_resolve(struct repo *r, const char *rev, char hex[41], struct kf_err *err)
{
	git_object *obj = NULL;
	if (git_revparse_single(&obj, r->git, rev) < 0)
		return kf_fail(err, KF_ENOTFOUND, "no such revision '%s'", rev);
	git_object *commit = NULL;
	int rc = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return kf_fail(err, KF_ENOTFOUND, "'%s' is not a commit", rev);
	hex_of(git_object_id(commit), hex);
	git_object_free(commit);
	return KF_OK;
}

int repo_is_commit(struct repo *r, const char *hex)
{
	git_commit *c;
	if (lookup_commit(r, hex, &c) < 0)
		return 0;
	git_commit_free(c);
	return 1;
}

static int diff_kb(struct repo *r, git_commit *old, git_commit *new, struct tree_diff *diff)
{
	return tree_diff_commits(r->git, old, new, "kb", diff) < 0 ? -1 : 0;
}

static int regular(git_filemode_t m)
{
	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

int repo_is_child(struct repo *r, const char *hex, const char *parent_hex)
{
	git_commit *c;
	git_oid parent;
	if (git_oid_fromstr(&parent, parent_hex) < 0 || lookup_commit(r, hex, &c) < 0)
		return 0;
	const git_oid *first = git_commit_parentcount(c) ? git_commit_parent_id(c, 0) : NULL;
	int yes = first && git_oid_equal(first, &parent);
	git_commit_free(c);
	return yes;
}

enum kf_status repo_kb_changes(struct repo *r, const char *old_hex, const char *new_hex,
			       repo_delta_fn fn, void *ctx, struct kf_err *err)
{
	git_commit *old = NULL, *new = NULL;
	struct tree_diff diff = { NULL, 0, 0 };
	enum kf_status st = KF_OK;
	char blob[41];

	if ((old_hex && lookup_commit(r, old_hex, &old) < 0) || lookup_commit(r, new_hex, &new) < 0 ||
	    diff_kb(r, old, new, &diff) < 0) {
		st = repo_fail(err, "cannot compare commits");
		goto out;
	}
	for (size_t i = 0; i < diff.n; i++) {
		const struct tree_delta *d = &diff.v[i];
		enum repo_delta what;
		if (d->status == TREE_DELETED || !regular(d->new_mode))
			what = REPO_DELETED;
		else if (d->status == TREE_ADDED)
			what = REPO_ADDED;
		else
			what = REPO_MODIFIED;
		if (what != REPO_DELETED)
			hex_of(&d->new_id, blob);
		if (fn(ctx, what, d->path, what == REPO_DELETED ? NULL : blob))
			break;
	}
out:
	tree_diff_release(&diff);
	git_commit_free(old);
	git_commit_free(new);
	return st;
}

enum kf_status repo_blob(struct repo *r, const char *hex, size_t max, struct sbuf *out,
			 struct kf_err *err)
{
	git_oid oid;
	git_blob *b;
	if (git_oid_fromstr(&oid, hex) < 0 || git_blob_lookup(&b, r->git, &oid) < 0)
		return repo_fail(err, "cannot read blob");
	size_t n = (size_t)git_blob_rawsize(b);
	if (max && n > max) {
		git_blob_free(b);
		return kf_fail(err, KF_EINVAL, "file too large (%zu bytes; the limit is %zu)", n, max);
	}
	sbuf_add(out, git_blob_rawcontent(b), n);
	git_blob_free(b);
	return KF_OK;
}

static void commit_date(git_commit *c, char date[11])
{
	struct instant at = { (int64_t)git_commit_time(c), git_commit_time_offset(c) * 60 };
	iso_date(&at, date);
}

enum kf_status repo_commit_date(struct repo *r, const char *hex, char date[11],
				struct kf_err *err)
{
	git_commit *c;
	if (lookup_commit(r, hex, &c) < 0)
		return repo_fail(err, "cannot read commit");
	commit_date(c, date);
	git_commit_free(c);
	return KF_OK;
}

enum kf_status repo_kb_dates(struct repo *r, const char *head_hex, const char *stop_hex,
			     repo_date_fn fn, void *ctx, struct kf_err *err)
{
	git_commit *c = NULL;
	git_oid stop;
	enum kf_status st = KF_OK;
	char date[11];
	int stopped = 0;

	if (stop_hex && git_oid_fromstr(&stop, stop_hex) < 0)
		stop_hex = NULL;
	if (lookup_commit(r, head_hex, &c) < 0)
		return repo_fail(err, "cannot read commit");
	while (c && !stopped) {
		if (stop_hex && git_oid_equal(git_commit_id(c), &stop))
			break;
		git_commit *parent = NULL;
		if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) < 0) {
			st = repo_fail(err, "cannot read commit");
			break;
		}
		struct tree_diff diff;
		if (diff_kb(r, parent, c, &diff) < 0) {
			tree_diff_release(&diff);
			git_commit_free(parent);
			st = repo_fail(err, "cannot compare commits");
			break;
		}
		commit_date(c, date);
		for (size_t i = 0; i < diff.n && !stopped; i++)
			if (diff.v[i].status != TREE_DELETED)
				stopped = fn(ctx, diff.v[i].path, date);
		tree_diff_release(&diff);
		git_commit_free(c);
		c = parent;
	}
	git_commit_free(c);
	return st;
}

enum kf_status repo_read_path(struct repo *r, const char *rev, const char *path,
			      struct sbuf *out, struct kf_err *err)
{
	char hex[41];
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *ent = NULL;
	enum kf_status st;

	if ((st = repo_resolve(r, rev, hex, err)))
		return st;
	if (lookup_commit(r, hex, &c) < 0 || git_commit_tree(&tree, c) < 0) {
		st = repo_fail(err, "cannot read commit");
		goto out;
	}
	if (git_tree_entry_bypath(&ent, tree, path) < 0 ||
	    git_tree_entry_type(ent) != GIT_OBJECT_BLOB) {
		st = kf_fail(err, KF_ENOTFOUND, "no file '%s' at '%s'", path, rev);
		goto out;
	}
	char blob[41];
	hex_of(git_tree_entry_id(ent), blob);
	st = repo_blob(r, blob, 0, out, err);
out:
	git_tree_entry_free(ent);
	git_tree_free(tree);
	git_commit_free(c);
	return st;
}

enum kf_status repo_find_entry(struct repo *r, const char *rev, const char *id, char **path,
			       struct sbuf *out, struct kf_err *err)
{
	char hex[41];
	git_commit *c = NULL;
	git_tree *kb = NULL;
	enum kf_status st = KF_ENOTFOUND;
	char *file = xasprintf("%s.yaml", id);

	if ((st = repo_resolve(r, rev, hex, err)))
		goto out;
	if (lookup_commit(r, hex, &c) < 0 || tree_subtree(r->git, c, "kb", &kb) < 0) {
		st = repo_fail(err, "cannot read commit");
		goto out;
	}
	st = KF_ENOTFOUND;
	size_t n = kb ? git_tree_entrycount(kb) : 0;
	for (size_t i = 0; i < n && st == KF_ENOTFOUND; i++) {
		const git_tree_entry *cat = git_tree_entry_byindex(kb, i);
		git_tree *sub;
		if (git_tree_entry_type(cat) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&sub, r->git, git_tree_entry_id(cat)) < 0)
			continue;
		const git_tree_entry *ent = git_tree_entry_byname(sub, file);
		if (ent && git_tree_entry_type(ent) == GIT_OBJECT_BLOB) {
			char blob[41];
			hex_of(git_tree_entry_id(ent), blob);
			st = repo_blob(r, blob, 0, out, err);
			if (!st)
				*path = xasprintf("kb/%s/%s", git_tree_entry_name(cat), file);
		}
		git_tree_free(sub);
	}
	if (st == KF_ENOTFOUND)
		kf_fail(err, KF_ENOTFOUND, "no entry '%s' at '%s'", id, rev);
out:
	free(file);
	git_tree_free(kb);
	git_commit_free(c);
	return st;
}

static char *config_string(git_config *cfg, const char *key)
{
	git_buf buf = GIT_BUF_INIT;
	char *v = NULL;
	if (cfg && git_config_get_string_buf(&buf, cfg, key) == 0 && buf.ptr && *buf.ptr)
		v = xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	return v;
}

enum kf_status repo_identity(struct repo *r, char **email, char **name, struct kf_err *err)
{
	git_config *cfg = NULL;
	const char *env = getenv("KEFU_USER");

	git_libgit2_init();
	if (r)
		git_repository_config_snapshot(&cfg, r->git);
	else
		git_config_open_default(&cfg);
	*email = env && *env ? xstrdup(env) : config_string(cfg, "user.email");
	*name = config_string(cfg, "user.name");
	git_config_free(cfg);
	git_libgit2_shutdown();
	if (!*email) {
		free(*name);
		*name = NULL;
		return kf_fail(err, KF_ENOTFOUND,
			       "who are you? set $KEFU_USER or git config user.email");
	}
	if (!*name) {
		const char *at = strchr(*email, '@');
		*name = at ? xstrndup(*email, (size_t)(at - *email)) : xstrdup(*email);
	}
	return KF_OK;
}

enum kf_status repo_init_commit(const char *dir, const char *message, char hex[41],
				struct kf_err *err)
{
	git_repository *git = NULL;
	git_index *idx = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_oid tree_id, commit_id;
	char *email = NULL, *name = NULL;
	enum kf_status st;
	git_repository_init_options opts;
	char *all[] = { "." };
	git_strarray paths = { all, 1 };

	if ((st = repo_identity(NULL, &email, &name, err)))
		return st;
	git_libgit2_init();
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.initial_head = "main";
	if (git_repository_init_ext(&git, dir, &opts) < 0) {
		st = repo_fail(err, "cannot create repository");
		goto out;
	}
	if (git_repository_index(&idx, git) < 0 ||
	    git_index_add_all(idx, &paths, GIT_INDEX_ADD_DEFAULT, NULL, NULL) < 0 ||
	    git_index_write(idx) < 0 || git_index_write_tree(&tree_id, idx) < 0 ||
	    git_tree_lookup(&tree, git, &tree_id) < 0) {
		st = repo_fail(err, "cannot stage the desk's files");
		goto out;
	}
	struct instant now;
	if ((st = kf_now(&now, err)))
		goto out;
	if (git_signature_new(&sig, name, email, (git_time_t)now.t, now.off / 60) < 0 ||
	    git_commit_create_v(&commit_id, git, "HEAD", sig, sig, NULL, message, tree, 0) < 0) {
		st = repo_fail(err, "cannot commit");
		goto out;
	}
	hex_of(&commit_id, hex);
	st = KF_OK;
out:
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(idx);
	git_repository_free(git);
	git_libgit2_shutdown();
	free(email);
	free(name);
	return st;
}

enum kf_status repo_init_bare(const char *dir, struct kf_err *err)
{
	git_repository *git = NULL;
	git_repository_init_options opts;
	git_libgit2_init();
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT |
		     GIT_REPOSITORY_INIT_BARE;
	opts.initial_head = "main";
	enum kf_status st = KF_OK;
	if (git_repository_init_ext(&git, dir, &opts) < 0)
		st = repo_fail(err, "cannot create repository");
	git_repository_free(git);
	git_libgit2_shutdown();
	return st;
}
