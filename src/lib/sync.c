#include "sync.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "deskstore.h"
#include "entry.h"
#include "index.h"
#include "repo.h"
#include "sbuf.h"
#include "strmap.h"

struct change {
	enum repo_delta what;
	char *path;
	char blob[41];
};

struct changes {
	struct change *v;
	size_t n, alloc;
};

static int add_change(void *ctx, enum repo_delta what, const char *path, const char *blob)
{
	struct changes *cs = ctx;
	ALLOC_GROW(cs->v, cs->n + 1, cs->alloc);
	struct change *c = &cs->v[cs->n++];
	c->what = what;
	c->path = xstrdup(path);
	snprintf(c->blob, sizeof(c->blob), "%s", blob ? blob : "");
	return 0;
}

static void changes_release(struct changes *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free(cs->v[i].path);
	free(cs->v);
}

/* Dates for the paths that need one: newest commit that touched each. */
struct dating {
	struct strmap want; /* path -> "" until dated */
	struct strmap date; /* path -> YYYY-MM-DD */
	size_t left;
};

static int date_one(void *ctx, const char *path, const char *date)
{
	struct dating *dt = ctx;
	if (strmap_get(&dt->want, path) && !strmap_get(&dt->date, path)) {
		strmap_put(&dt->date, path, date);
		dt->left--;
	}
	return dt->left == 0;
}

/* An entry's path has the shape kb/<category>/<name>.yaml. */
static int entry_shaped(const char *path)
{
	const char *rest = path + 3; /* after "kb/" */
	const char *slash = strchr(rest, '/');
	return slash && slash > rest && !strchr(slash + 1, '/');
}

static int yaml_name(const char *path)
{
	size_t n = strlen(path);
	return n > 5 && !strcmp(path + n - 5, ".yaml");
}

static void report(sync_warn_fn warn, void *ctx, const char *path, const struct diags *probs)
{
	for (size_t i = 0; i < probs->n; i++) {
		char *line = diag_format(path, &probs->v[i]);
		warn(ctx, line);
		free(line);
	}
}

static enum kf_status apply(struct repo *r, struct kbindex *ix, struct changes *cs,
			    struct dating *dt, const char *head_date, sync_warn_fn warn,
			    void *wctx, struct sync_stats *stats, struct kf_err *err)
{
	struct sbuf buf = SBUF_INIT;
	enum kf_status st = KF_OK;

	/* Deletions first, so an entry moved to another category keeps its id. */
	for (int pass = 0; pass < 2 && !st; pass++) {
		for (size_t i = 0; i < cs->n && !st; i++) {
			struct change *c = &cs->v[i];
			if ((c->what == REPO_DELETED) != (pass == 0))
				continue;
			if (!yaml_name(c->path))
				continue; /* READMEs and the like live beside entries */
			if ((st = kbindex_delete_path(ix, c->path, err)))
				break;
			if (c->what == REPO_DELETED) {
				stats->deleted++;
				continue;
			}
			struct diags probs = DIAGS_INIT;
			struct entry e;
			if (!entry_shaped(c->path)) {
				diag_add(&probs, 0, NULL,
					 "not an entry's place: entries live in kb/<category>/<id>.yaml");
				report(warn, wctx, c->path, &probs);
				diags_release(&probs);
				stats->skipped++;
				continue;
			}
			sbuf_reset(&buf);
			if ((st = repo_blob(r, c->blob, 0, &buf, err)))
				break;
			if (entry_parse(buf.buf, buf.len, c->path, &e, &probs) != KF_OK) {
				report(warn, wctx, c->path, &probs);
				diags_release(&probs);
				stats->skipped++;
				continue;
			}
			const char *date = strmap_get(&dt->date, c->path);
			st = kbindex_put(ix, c->path, &e, buf.buf, buf.len, date ? date : head_date,
					 err);
			if (st == KF_EEXIST) {
				diag_add(&probs, 0, "id", "%s", err->msg);
				report(warn, wctx, c->path, &probs);
				stats->skipped++;
				st = KF_OK;
			} else if (!st) {
				if (c->what == REPO_ADDED)
					stats->added++;
				else
					stats->updated++;
			}
			diags_release(&probs);
			entry_release(&e);
		}
	}
	sbuf_release(&buf);
	return st;
}

static enum kf_status sync_once(const struct desk *d, struct repo *r, int full,
				const char *head, sync_warn_fn warn, void *wctx,
				struct sync_stats *stats, int *rc, struct kf_err *err)
{
	struct kbindex ix;
	struct changes cs = { NULL, 0, 0 };
	struct dating dt = { STRMAP_INIT, STRMAP_INIT, 0 };
	char *old = NULL;
	char head_date[11];
	int fresh;
	enum kf_status st;

	*rc = SQLITE_OK;
	if ((st = desk_make_state_dir(d, err)))
		return st;
	if ((st = kbindex_open_write(&ix, d->index_db, &fresh, err)))
		return st;
	if ((st = kbindex_begin(&ix, err)))
		goto out;
	/* Read under the lock: another kb-index may have just done the work. */
	if ((st = kbindex_meta_get(&ix, "commit", &old, err)))
		goto out;
	if (old && !strcmp(old, head) && !full) {
		stats->uptodate = 1;
		goto done;
	}
	if (fresh || !old || !repo_is_commit(r, old))
		full = 1;
	stats->full = full;
	if ((st = repo_kb_changes(r, full ? NULL : old, head, add_change, &cs, err)))
		goto out;
	if (full && (st = kbindex_clear(&ix, (long)cs.n, err)))
		goto out;
	for (size_t i = 0; i < cs.n; i++) {
		if (cs.v[i].what != REPO_DELETED && strmap_put(&dt.want, cs.v[i].path, ""))
			dt.left++;
	}
	/* One commit on (the usual case, from the hook): it dated them all. */
	if (!full && repo_is_child(r, head, old))
		dt.left = 0;
	if (dt.left && (st = repo_kb_dates(r, head, full ? NULL : old, date_one, &dt, err)))
		goto out;
	if ((st = repo_commit_date(r, head, head_date, err)))
		goto out;
	if ((st = apply(r, &ix, &cs, &dt, head_date, warn, wctx, stats, err)))
		goto out;
	if (full && (st = kbindex_optimize(&ix, err)))
		goto out;
	if ((st = kbindex_meta_set(&ix, "commit", head, err)))
		goto out;
done:
	if ((st = kbindex_count(&ix, &stats->entries, err)))
		goto out;
	st = kbindex_commit(&ix, err);
out:
	if (st == KF_EDB)
		*rc = sqlite3_extended_errcode(ix.db);
	if (st)
		kbindex_rollback(&ix);
	kbindex_close(&ix);
	free(old);
	changes_release(&cs);
	strmap_release(&dt.want);
	strmap_release(&dt.date);
	return st;
}

enum kf_status kb_sync(const struct desk *d, int full, sync_warn_fn warn, void *ctx,
		       struct sync_stats *stats, struct kf_err *err)
{
	struct repo *r;
	enum kf_status st;

	memset(stats, 0, sizeof(*stats));
	if ((st = repo_open(d->root, &r, err)))
		return st;
	if ((st = repo_resolve(r, DESK_MAIN_REF, stats->commit, err))) {
		kf_fail(err, KF_ENOTFOUND, "no branch 'main' in '%s'", d->root);
		goto out;
	}
	int rc;
	st = sync_once(d, r, full, stats->commit, warn, ctx, stats, &rc, err);
	if (st == KF_EDB) {
		struct kf_err first = *err;
		char commit[41];
		memcpy(commit, stats->commit, sizeof(commit));
		enum kbindex_health h = kbindex_check(d->index_db, rc);
		if (h == KBINDEX_SOUND && !full) {
			/* Damaged content in a sound file: read everything again, in place. */
			memset(stats, 0, sizeof(*stats));
			memcpy(stats->commit, commit, sizeof(commit));
			st = sync_once(d, r, 1, stats->commit, warn, ctx, stats, &rc, err);
			if (st == KF_EDB)
				h = kbindex_check(d->index_db, rc);
		}
		if (st == KF_EDB && h == KBINDEX_CORRUPT) {
			/* A corrupt index can fail anywhere: throw it away and read all. */
			memset(stats, 0, sizeof(*stats));
			memcpy(stats->commit, commit, sizeof(commit));
			kbindex_remove(d->index_db);
			st = sync_once(d, r, 1, stats->commit, warn, ctx, stats, &rc, err);
		}
		if (st)
			*err = first;
	}
out:
	repo_close(r);
	return st;
}

static enum kf_status count_uses(void *ctx, const char *const *ids, size_t n, long *uses,
				 struct kf_err *err)
{
	return store_usage_counts(ctx, ids, n, uses, err);
}

enum kf_status kb_sync_uses(const struct desk *d, struct store *st, const char *id,
			    struct kf_err *err)
{
	struct store *mine = NULL;
	struct kbindex ix;
	char *uri;
	int fresh;
	enum kf_status r = desk_store_uri(d, &uri, err);
	int server = uri != NULL;
	free(uri);
	if (r || !server)
		return r;
	if (!st) {
		r = desk_store_open(d, STORE_READ, &mine, err);
		if (r == KF_ENOTFOUND) /* no tickets yet, nor uses */
			r = store_open_memory(&mine, err);
		if (r)
			return r;
		st = mine;
	}
	if (!(r = kbindex_open_write(&ix, d->index_db, &fresh, err))) {
		if (!(r = kbindex_begin(&ix, err))) {
			long n = 0;
			if (id && !(r = store_usage_counts(st, &id, 1, &n, err)))
				r = kbindex_uses_set(&ix, id, n, err);
			else if (!id)
				r = kbindex_uses_copy(&ix, count_uses, st, err);
			r = r ? (kbindex_rollback(&ix), r) : kbindex_commit(&ix, err);
		}
		kbindex_close(&ix);
	}
	store_close(mine);
	return r;
}
