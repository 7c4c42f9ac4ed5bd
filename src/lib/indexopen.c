#include "indexopen.h"

#include <stdlib.h>
#include <string.h>

#include "reffile.h"
#include "sbuf.h"
#include "spawn.h"

static int at_main(const struct desk *d, struct kbindex *ix)
{
	char hex[65];
	char *commit = NULL;
	int ok = 0;
	if (reffile_read(d->root, DESK_MAIN_REF, hex, NULL) != KF_OK)
		return 0;
	if (kbindex_meta_get(ix, "commit", &commit, NULL) == KF_OK && commit)
		ok = !strcmp(commit, hex);
	free(commit);
	return ok;
}

/*
 * An approval killed before the work tree followed main left its record
 * (worktree.h); kb-index, opening the repository, finishes it.
 */
static int half_done(const struct desk *d)
{
	char hex[65];
	return reffile_read(d->root, "kefu/worktree", hex, NULL) == KF_OK;
}

/*
 * Each line kb-index wrote, to fn, but the last one when it failed: its
 * reason, "kb-index: reason", which becomes ours.
 */
enum kf_status kb_index_run(const struct desk *d, int full, problem_fn fn, void *ctx,
			    struct kf_err *err)
{
	char *argv[] = { "kb-index", "-q", "-C", d->root, full ? "--full" : NULL, NULL };
	struct sbuf said = SBUF_INIT;
	int code;
	enum kf_status st = spawn_sibling_capture("kb-index", argv, &code, &said, err);
	if (st) {
		sbuf_release(&said);
		return st;
	}
	sbuf_trim_newlines(&said);
	char *reason = said.buf + said.len; /* none while it succeeded */
	if (code) {
		char *nl = strrchr(said.buf, '\n');
		reason = nl ? nl + 1 : said.buf;
		if (nl)
			*nl = '\0';
	}
	for (char *line = said.buf; fn && line < reason;) {
		size_t n = strcspn(line, "\n");
		line[n] = '\0';
		if (n)
			fn(ctx, line);
		line += n + 1;
	}
	if (code) {
		if (!strncmp(reason, "kb-index: ", 10))
			reason += 10;
		if (*reason)
			st = kf_fail(err, KF_EDB, "cannot bring the index up to date: %s", reason);
		else
			st = kf_fail(err, KF_EDB,
				     "cannot bring the index up to date (kb-index exited %d)", code);
	}
	sbuf_release(&said);
	return st;
}

/*
 * Open for reading, all reads in one transaction: one snapshot, and one
 * lock taken instead of one a statement.
 */
static enum kf_status open_snapshot(const struct desk *d, struct kbindex *ix, struct kf_err *err)
{
	enum kf_status st = kbindex_open_read(ix, d->index_db, err);
	if (st == KF_OK && sqlite3_exec(ix->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		st = kf_fail(err, KF_EDB, "index '%s': %s", d->index_db, sqlite3_errmsg(ix->db));
		kbindex_close(ix);
	}
	return st;
}

enum kf_status kb_index_open_current(const struct desk *d, struct kbindex *ix,
				     struct kf_err *behind, problem_fn fn, void *ctx,
				     struct kf_err *err)
{
	if (behind) {
		behind->status = KF_OK;
		behind->msg[0] = '\0';
	}
	enum kf_status st = open_snapshot(d, ix, err);
	if (st == KF_OK && at_main(d, ix) && !half_done(d))
		return KF_OK;
	if (st == KF_OK)
		kbindex_close(ix);
	if ((st = kb_index_run(d, 0, fn, ctx, err)) == KF_OK)
		return open_snapshot(d, ix, err);
	/* It could not be updated (a full disk...): the last good one still answers. */
	struct kf_err why = *err;
	if (!behind || open_snapshot(d, ix, err) != KF_OK) {
		*err = why;
		return st;
	}
	char *commit = NULL;
	kbindex_meta_get(ix, "commit", &commit, NULL);
	kf_fail(behind, st, "index '%s' is behind main (at commit %.12s): %s", d->index_db,
		commit ? commit : "none", why.msg);
	free(commit);
	return KF_OK;
}
