#include "index.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rank.h"
#include "sbuf.h"
#include "sqlitedb.h"
#include "terms.h"
#include "tokenizer.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta("
	"  key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	/*
	 * The columns a search filters on come first: reading them never
	 * walks the overflow pages a long answer or file takes.
	 */
	"CREATE TABLE IF NOT EXISTS entries("
	"  rowid INTEGER PRIMARY KEY,"
	"  category TEXT NOT NULL, effective TEXT, expires TEXT,"
	"  id TEXT NOT NULL UNIQUE,"
	"  path TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL, scenario TEXT,"
	"  keywords TEXT, tags TEXT," /* one item a line */
	"  opening TEXT, answer TEXT NOT NULL, closing TEXT, notes TEXT,"
	"  updated TEXT NOT NULL, yaml TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS entries_category ON entries(category);"
	/*
	 * The few entries with dates, apart: the date filter of every search
	 * reads this small table, not a row of entries for each match.
	 */
	"CREATE TABLE IF NOT EXISTS dated("
	"  entry INTEGER PRIMARY KEY, effective TEXT, expires TEXT);"
	/* Keyed by entry first: removing an entry's tags must not scan them all. */
	"CREATE TABLE IF NOT EXISTS entry_tags("
	"  entry INTEGER NOT NULL, tag TEXT NOT NULL,"
	"  PRIMARY KEY(entry, tag)) WITHOUT ROWID;"
	/* And by tag: a search within a tag reads that tag's entries. */
	"CREATE INDEX IF NOT EXISTS entry_tags_tag ON entry_tags(tag, entry);"
	/*
	 * Ranking asks only which columns hold a term (rank.h): no
	 * positions, no lengths (those that count are in lens).
	 */
	"CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5("
	"  title, keywords, scenario, tags, category, answer, notes, id,"
	"  content='entries', content_rowid='rowid', tokenize='kefu',"
	"  detail=column, columnsize=0);"
	/* The lengths ranking needs, packed by rank.h, 4096 entries a row. */
	"CREATE TABLE IF NOT EXISTS lens(chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	/* The desk's Latin words, forwards and reversed, for typos (terms.h). */
	"CREATE TABLE IF NOT EXISTS words(key TEXT PRIMARY KEY) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS terms("
	"  term TEXT PRIMARY KEY, df INTEGER NOT NULL,"
	"  bw INTEGER NOT NULL, brow INTEGER NOT NULL, list BLOB NOT NULL) WITHOUT ROWID;"
	/*
	 * How often each entry was used, copied from a desk whose tickets are
	 * in PostgreSQL: a search never connects to a server (sync.h).
	 */
	"CREATE TABLE IF NOT EXISTS uses(entry TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;";

#define FTS_COLS "title, keywords, scenario, tags, category, answer, notes, id"

static enum kf_status db_fail(struct kbindex *ix, struct kf_err *err, const char *what)
{
	return kf_fail(err, KF_EDB, "index %s: %s", what,
		       ix->db ? sqlite3_errmsg(ix->db) : "cannot open");
}

static enum kf_status exec(struct kbindex *ix, const char *sql, struct kf_err *err)
{
	return sqlite_exec(ix->db, sql, "index", err);
}

int kbindex_rc_corrupt(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/*
 * Failures of the moment: the disk, the lock, the memory or the
 * permissions, not the file. Retrying or rebuilding cannot help.
 */
static int rc_passing(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_NOMEM:
	case SQLITE_PERM:
	case SQLITE_INTERRUPT:
	case SQLITE_PROTOCOL:
	case SQLITE_AUTH:
		return 1;
	}
	return 0;
}

enum kbindex_health kbindex_check(const char *path, int rc)
{
	if (kbindex_rc_corrupt(rc))
		return KBINDEX_CORRUPT;
	if (rc_passing(rc))
		return KBINDEX_UNAVAILABLE;
	if (access(path, F_OK) < 0)
		return KBINDEX_SOUND; /* nothing to throw away */

	/* Neither: ask SQLite to look at every page. */
	sqlite3 *db = NULL;
	enum kbindex_health h = KBINDEX_SOUND;
	sqlite3_stmt *st = NULL;
	sqlite_configure();
	if ((rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL)) != SQLITE_OK)
		goto classify;
	sqlite3_busy_timeout(db, 10000);
	int v = sqlite_user_version(db, &rc);
	if (v < 0)
		goto classify;
	if (v != KBINDEX_VERSION) {
		h = KBINDEX_CORRUPT;
		goto out;
	}
	if ((rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL)) != SQLITE_OK)
		goto classify;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *verdict = sqlite3_column_text(st, 0);
		if (!verdict || strcmp((const char *)verdict, "ok"))
			h = KBINDEX_CORRUPT;
		goto out;
	}
classify:
	h = kbindex_rc_corrupt(rc) ? KBINDEX_CORRUPT
	    : rc_passing(rc)	   ? KBINDEX_UNAVAILABLE
				   : KBINDEX_SOUND;
out:
	sqlite3_finalize(st);
	sqlite3_close_v2(db);
	return h;
}

static enum kf_status open_db(struct kbindex *ix, const char *path, int flags,
			      struct kf_err *err)
{
	sqlite_configure();
	if (sqlite3_open_v2(path, &ix->db, flags, NULL) != SQLITE_OK) {
		enum kf_status st = kf_fail(err, KF_EDB, "cannot open index '%s': %s", path,
					    ix->db ? sqlite3_errmsg(ix->db) : "out of memory");
		kbindex_close(ix);
		return st;
	}
	sqlite3_busy_timeout(ix->db, 10000);
	if (flags & SQLITE_OPEN_READWRITE) {
		/*
		 * Rebuilds touch every page: map the file and keep pages in
		 * memory (64 MiB at most). A search reads a few pages once, in
		 * a process that lives a millisecond: there a read costs less
		 * than mapping a page and unmapping the file.
		 */
		sqlite3_exec(ix->db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
		sqlite3_exec(ix->db, "PRAGMA cache_size=-65536", NULL, NULL, NULL);
	}
	if (tok_register(ix->db, err) != KF_OK || rank_register(ix->db, err) != KF_OK) {
		kbindex_close(ix);
		return KF_EDB;
	}
	return KF_OK;
}

enum kf_status kbindex_open_read(struct kbindex *ix, const char *path, struct kf_err *err)
{
	memset(ix, 0, sizeof(*ix));
	if (access(path, F_OK) < 0)
		return kf_fail(err, KF_ENOTFOUND, "no index '%s'", path);
	enum kf_status st = open_db(ix, path, SQLITE_OPEN_READONLY, err);
	if (st)
		return st;
	int rc;
	int v = sqlite_user_version(ix->db, &rc);
	if (v != KBINDEX_VERSION) {
		kbindex_close(ix);
		return kf_fail(err, KF_EDB, "index '%s' is %s", path,
			       v < 0 ? "unreadable" : "of another version");
	}
	return KF_OK;
}

void kbindex_remove(const char *path)
{
	static const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };
	for (size_t i = 0; i < 4; i++) {
		char *p = xasprintf("%s%s", path, suffixes[i]);
		unlink(p);
		free(p);
	}
}

enum kf_status kbindex_open_write(struct kbindex *ix, const char *path, int *fresh,
				  struct kf_err *err)
{
	enum kf_status st;
	int rc;
	*fresh = 0;
	memset(ix, 0, sizeof(*ix));
	for (int attempt = 0; attempt < 2; attempt++) {
		sqlite_touch(path);
		st = open_db(ix, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err);
		if (st)
			return st;
		/* Derived data: a crash is survived by the journal, a power cut by a rebuild. */
		exec(ix, "PRAGMA synchronous=OFF", NULL);
		int v = sqlite_user_version(ix->db, &rc);
		if (v == KBINDEX_VERSION)
			return KF_OK;
		if (v == 0) {
			/* New, or being created by another writer: settle it under the lock. */
			if ((st = exec(ix, "BEGIN IMMEDIATE", err)))
				goto fail;
			if (sqlite_user_version(ix->db, &rc) == 0) {
				if ((st = exec(ix, schema, err)) ||
				    (st = exec(ix, "PRAGMA user_version=" KBINDEX_VERSION_STR, err))) {
					kbindex_rollback(ix);
					goto fail;
				}
				*fresh = 1;
			}
			if ((st = kbindex_commit(ix, err)))
				goto fail;
			return KF_OK;
		}
		if (v < 0 && !kbindex_rc_corrupt(rc)) {
			/* Busy, unreadable or out of space: the file may be sound, keep it. */
			st = kf_fail(err, KF_EDB, "cannot read index '%s': %s", path,
				     sqlite3_errstr(rc));
			goto fail;
		}
		/* Corrupt or of another version: derived data, so start again. */
		kbindex_close(ix);
		kbindex_remove(path);
	}
	return kf_fail(err, KF_EDB, "cannot create index '%s'", path);
fail:
	kbindex_close(ix);
	return st;
}

void kbindex_close(struct kbindex *ix)
{
	terms_writer_free(ix->tw);
	ix->tw = NULL;
	for (size_t i = 0; i < KBINDEX_CACHE; i++)
		if (ix->cache[i].st)
			sqlite3_finalize(ix->cache[i].st);
	memset(ix->cache, 0, sizeof(ix->cache));
	if (ix->db)
		sqlite3_close_v2(ix->db);
	ix->db = NULL;
}

enum kf_status kbindex_begin(struct kbindex *ix, struct kf_err *err)
{
	char *docs = NULL;
	enum kf_status st = exec(ix, "BEGIN IMMEDIATE", err);
	if (st)
		return st;
	if ((st = kbindex_meta_get(ix, "docs", &docs, err))) {
		kbindex_rollback(ix);
		return st;
	}
	terms_writer_free(ix->tw);
	ix->tw = terms_writer_new(0, docs ? atoll(docs) : 0);
	ix->emptied = 0;
	free(docs);
	return KF_OK;
}

enum kf_status kbindex_commit(struct kbindex *ix, struct kf_err *err)
{
	if (ix->tw) {
		enum kf_status st = terms_writer_flush(ix->tw, ix->db, err);
		terms_writer_free(ix->tw);
		ix->tw = NULL;
		if (st)
			return st;
	}
	return exec(ix, "COMMIT", err);
}

void kbindex_rollback(struct kbindex *ix)
{
	terms_writer_free(ix->tw);
	ix->tw = NULL;
	if (ix->db && !sqlite3_get_autocommit(ix->db))
		sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
}

static enum kf_status prepare(struct kbindex *ix, const char *sql, sqlite3_stmt **st,
			      struct kf_err *err)
{
	if (sqlite3_prepare_v2(ix->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(ix, err, "query");
	return KF_OK;
}

/*
 * A statement run once per entry, prepared once per connection: a full
 * rebuild runs each a hundred thousand times. Callers reset, not finalize.
 */
static enum kf_status cached(struct kbindex *ix, const char *sql, sqlite3_stmt **st,
			     struct kf_err *err)
{
	for (size_t i = 0; i < KBINDEX_CACHE; i++) {
		if (ix->cache[i].sql == sql) {
			*st = ix->cache[i].st;
			sqlite3_reset(*st);
			sqlite3_clear_bindings(*st);
			return KF_OK;
		}
		if (!ix->cache[i].sql) {
			if (sqlite3_prepare_v3(ix->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
					       NULL) != SQLITE_OK)
				return db_fail(ix, err, "query");
			ix->cache[i].sql = sql;
			ix->cache[i].st = *st;
			return KF_OK;
		}
	}
	return prepare(ix, sql, st, err);
}

/* Done with a statement from cached() or prepare(). */
static void done(struct kbindex *ix, sqlite3_stmt *st)
{
	for (size_t i = 0; i < KBINDEX_CACHE; i++)
		if (ix->cache[i].st == st) {
			sqlite3_reset(st);
			return;
		}
	sqlite3_finalize(st);
}

enum kf_status kbindex_meta_get(struct kbindex *ix, const char *key, char **val,
				struct kf_err *err)
{
	sqlite3_stmt *st;
	*val = NULL;
	if (prepare(ix, "SELECT value FROM meta WHERE key = ?1", &st, err))
		return KF_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*val = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(ix, err, "read");
	return KF_OK;
}

enum kf_status kbindex_meta_set(struct kbindex *ix, const char *key, const char *val,
				struct kf_err *err)
{
	sqlite3_stmt *st;
	if (prepare(ix, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)", &st, err))
		return KF_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, val, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KF_OK : db_fail(ix, err, "write");
}

enum kf_status kbindex_clear(struct kbindex *ix, long ndocs, struct kf_err *err)
{
	if (ix->tw) {
		terms_writer_free(ix->tw);
		ix->tw = terms_writer_new(1, ndocs);
	}
	ix->emptied = 1;
	/*
	 * No merging while everything is written: kbindex_optimize() merges
	 * once at the end, instead of rewriting each doclist level by level.
	 */
	return exec(ix,
		    "INSERT INTO fts(fts) VALUES('delete-all');"
		    "INSERT INTO fts(fts, rank) VALUES('automerge', 0);"
		    "DELETE FROM entry_tags; DELETE FROM dated; DELETE FROM entries;"
		    "DELETE FROM terms; DELETE FROM lens; DELETE FROM words;",
		    err);
}

static char *join_lines(char *const *v, size_t n)
{
	if (!n)
		return NULL;
	struct sbuf sb = SBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_addch(&sb, '\n');
		sbuf_adds(&sb, v[i]);
	}
	return sbuf_detach(&sb);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Tell the terms writer the entry at path is going. */
static enum kf_status forget_terms(struct kbindex *ix, const char *path, struct kf_err *err)
{
	sqlite3_stmt *st;
	if (!ix->tw)
		return KF_OK;
	if (cached(ix, "SELECT rowid, " FTS_COLS " FROM entries WHERE path = ?1", &st, err))
		return KF_EDB;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *cols[RANK_NCOLS];
		for (int i = 0; i < RANK_NCOLS; i++)
			cols[i] = (const char *)sqlite3_column_text(st, i + 1);
		terms_writer_doc(ix->tw, sqlite3_column_int64(st, 0), cols, -1);
	}
	done(ix, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(ix, err, "delete");
	return KF_OK;
}

enum kf_status kbindex_delete_path(struct kbindex *ix, const char *path, struct kf_err *err)
{
	static const char *const steps[] = {
		/* An external-content FTS table forgets a row given its old text. */
		"INSERT INTO fts(fts, rowid, " FTS_COLS ") SELECT 'delete', rowid, " FTS_COLS
		" FROM entries WHERE path = ?1",
		"DELETE FROM dated WHERE entry IN (SELECT rowid FROM entries WHERE path = ?1)",
		"DELETE FROM entry_tags WHERE entry IN (SELECT rowid FROM entries WHERE path = ?1)",
		"DELETE FROM entries WHERE path = ?1",
	};
	if (forget_terms(ix, path, err))
		return KF_EDB;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		sqlite3_stmt *st;
		if (cached(ix, steps[i], &st, err))
			return KF_EDB;
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		done(ix, st);
		if (rc != SQLITE_DONE)
			return db_fail(ix, err, "delete");
	}
	return KF_OK;
}

enum kf_status kbindex_put(struct kbindex *ix, const char *path, const struct entry *e,
			   const char *yaml, size_t yamllen, const char *updated,
			   struct kf_err *err)
{
	sqlite3_stmt *st;
	enum kf_status ret = KF_OK;

	/* After kbindex_clear() each path comes once: nothing to replace. */
	if (!ix->emptied && kbindex_delete_path(ix, path, err))
		return KF_EDB;
	if (cached(ix, "SELECT path FROM entries WHERE id = ?1", &st, err))
		return KF_EDB;
	sqlite3_bind_text(st, 1, e->id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		ret = kf_fail(err, KF_EEXIST, "id '%s' is already used by '%s'", e->id,
			      (const char *)sqlite3_column_text(st, 0));
	done(ix, st);
	if (ret)
		return ret;

	char *kw = join_lines(e->keywords, e->nkeywords);
	char *tags = join_lines(e->tags, e->ntags);
	if (cached(ix,
		    "INSERT INTO entries(id, path, title, category, scenario, keywords, tags,"
		    " opening, answer, closing, notes, effective, expires, updated, yaml)"
		    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
		    &st, err)) {
		ret = KF_EDB;
		goto out;
	}
	sqlite3_bind_text(st, 1, e->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, e->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e->category, -1, SQLITE_STATIC);
	bind_opt(st, 5, e->scenario);
	bind_opt(st, 6, kw);
	bind_opt(st, 7, tags);
	bind_opt(st, 8, e->opening);
	sqlite3_bind_text(st, 9, e->answer, -1, SQLITE_STATIC);
	bind_opt(st, 10, e->closing);
	bind_opt(st, 11, e->notes);
	bind_opt(st, 12, e->effective);
	bind_opt(st, 13, e->expires);
	sqlite3_bind_text(st, 14, updated, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, yaml, (int)yamllen, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	done(ix, st);
	if (rc != SQLITE_DONE) {
		ret = db_fail(ix, err, "insert");
		goto out;
	}
	sqlite3_int64 rowid = sqlite3_last_insert_rowid(ix->db);

	if (cached(ix,
		   "INSERT INTO fts(rowid, " FTS_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		    &st, err)) {
		ret = KF_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_text(st, 2, e->title, -1, SQLITE_STATIC);
	bind_opt(st, 3, kw);
	bind_opt(st, 4, e->scenario);
	bind_opt(st, 5, tags);
	sqlite3_bind_text(st, 6, e->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, e->answer, -1, SQLITE_STATIC);
	bind_opt(st, 8, e->notes);
	sqlite3_bind_text(st, 9, e->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	done(ix, st);
	if (rc != SQLITE_DONE) {
		ret = db_fail(ix, err, "insert");
		goto out;
	}
	if (ix->tw) {
		const char *cols[RANK_NCOLS] = { e->title,    kw,	 e->scenario, tags,
						 e->category, e->answer, e->notes,    e->id };
		terms_writer_doc(ix->tw, rowid, cols, 1);
	}

	if (e->effective[0] || e->expires[0]) {
		if (cached(ix, "INSERT INTO dated(entry, effective, expires) VALUES(?1, ?2, ?3)", &st,
			   err)) {
			ret = KF_EDB;
			goto out;
		}
		sqlite3_bind_int64(st, 1, rowid);
		bind_opt(st, 2, e->effective);
		bind_opt(st, 3, e->expires);
		rc = sqlite3_step(st);
		done(ix, st);
		if (rc != SQLITE_DONE) {
			ret = db_fail(ix, err, "insert");
			goto out;
		}
	}
	if (cached(ix, "INSERT OR IGNORE INTO entry_tags(entry, tag) VALUES(?2, ?1)", &st, err)) {
		ret = KF_EDB;
		goto out;
	}
	for (size_t i = 0; i < e->ntags && !ret; i++) {
		sqlite3_bind_text(st, 1, e->tags[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, rowid);
		if (sqlite3_step(st) != SQLITE_DONE)
			ret = db_fail(ix, err, "insert");
		sqlite3_reset(st);
	}
	done(ix, st);
out:
	free(kw);
	free(tags);
	return ret;
}

enum kf_status kbindex_optimize(struct kbindex *ix, struct kf_err *err)
{
	/*
	 * One segment: each term of a search is then one doclist to read.
	 * Later small updates merge as they come again (FTS5's default).
	 */
	return exec(ix,
		    "INSERT INTO fts(fts) VALUES('optimize');"
		    "INSERT INTO fts(fts, rank) VALUES('automerge', 4);",
		    err);
}

enum kf_status kbindex_count(struct kbindex *ix, long *n, struct kf_err *err)
{
	sqlite3_stmt *st;
	if (prepare(ix, "SELECT count(*) FROM entries", &st, err))
		return KF_EDB;
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? KF_OK : db_fail(ix, err, "read");
}

enum kf_status kbindex_uses_get(struct kbindex *ix, const char *const *ids, size_t n,
			       long *uses, struct kf_err *err)
{
	sqlite3_stmt *st;
	if (prepare(ix, "SELECT n FROM uses WHERE entry = ?1", &st, err))
		return KF_EDB;
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < n && (rc == SQLITE_DONE || rc == SQLITE_ROW); i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		uses[i] = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? KF_OK : db_fail(ix, err, "read");
}

enum kf_status kbindex_uses_set(struct kbindex *ix, const char *id, long uses,
				struct kf_err *err)
{
	sqlite3_stmt *st;
	if (prepare(ix, "INSERT OR REPLACE INTO uses(entry, n) VALUES(?1, ?2)", &st, err))
		return KF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, uses);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KF_OK : db_fail(ix, err, "write");
}

enum kf_status kbindex_uses_copy(struct kbindex *ix, kbindex_uses_fn fn, void *ctx,
				 struct kf_err *err)
{
	sqlite3_stmt *st;
	char **ids = NULL;
	size_t n = 0, alloc = 0;
	if (prepare(ix, "SELECT id FROM entries ORDER BY id", &st, err))
		return KF_EDB;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(ids, n + 1, alloc);
		ids[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	long *uses = xcalloc(n + 1, sizeof(*uses));
	enum kf_status ret = rc == SQLITE_DONE ? KF_OK : db_fail(ix, err, "read");
	if (!ret)
		ret = fn(ctx, (const char *const *)ids, n, uses, err);
	if (!ret)
		ret = exec(ix, "DELETE FROM uses", err);
	for (size_t i = 0; i < n && !ret; i++)
		if (uses[i])
			ret = kbindex_uses_set(ix, ids[i], uses[i], err);
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(uses);
	return ret;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? xstrdup((const char *)s) : NULL;
}

static char **split_lines(const char *s, size_t *n)
{
	*n = 0;
	if (!s || !*s)
		return NULL;
	size_t count = 1;
	for (const char *p = s; *p; p++)
		count += *p == '\n';
	char **v = xcalloc(count + 1, sizeof(*v));
	const char *p = s;
	for (;;) {
		const char *nl = strchr(p, '\n');
		v[(*n)++] = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		if (!nl)
			break;
		p = nl + 1;
	}
	return v;
}

static void copy_date(char dst[11], sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	snprintf(dst, 11, "%s", s ? (const char *)s : "");
}

/* Columns read into a kb_row, in this order. */
#define ROW_COLS                                                                           \
	"e.id, e.path, e.title, e.category, e.scenario, e.keywords, e.tags, e.opening,"    \
	" e.answer, e.closing, e.notes, e.effective, e.expires, e.updated, e.yaml"

/* What a search shows of an entry: the short columns at each row's head. */
#define MATCH_COLS "e.id, e.title, e.category, e.scenario, e.keywords, e.tags, e.updated"

static void read_match_row(sqlite3_stmt *st, struct kb_row *r)
{
	memset(r, 0, sizeof(*r));
	r->e.id = col_dup(st, 0);
	r->e.title = col_dup(st, 1);
	r->e.category = col_dup(st, 2);
	r->e.scenario = col_dup(st, 3);
	r->e.keywords = split_lines((const char *)sqlite3_column_text(st, 4), &r->e.nkeywords);
	r->e.tags = split_lines((const char *)sqlite3_column_text(st, 5), &r->e.ntags);
	r->updated = col_dup(st, 6);
}

static void read_row(sqlite3_stmt *st, struct kb_row *r)
{
	memset(r, 0, sizeof(*r));
	r->e.id = col_dup(st, 0);
	r->path = col_dup(st, 1);
	r->e.title = col_dup(st, 2);
	r->e.category = col_dup(st, 3);
	r->e.scenario = col_dup(st, 4);
	r->e.keywords = split_lines((const char *)sqlite3_column_text(st, 5), &r->e.nkeywords);
	r->e.tags = split_lines((const char *)sqlite3_column_text(st, 6), &r->e.ntags);
	r->e.opening = col_dup(st, 7);
	r->e.answer = col_dup(st, 8);
	r->e.closing = col_dup(st, 9);
	r->e.notes = col_dup(st, 10);
	copy_date(r->e.effective, st, 11);
	copy_date(r->e.expires, st, 12);
	r->updated = col_dup(st, 13);
	r->yaml = col_dup(st, 14);
}

enum kf_status kbindex_get(struct kbindex *ix, const char *id, struct kb_row *row,
			   struct kf_err *err)
{
	sqlite3_stmt *st;
	if (prepare(ix, "SELECT " ROW_COLS " FROM entries e WHERE e.id = ?1", &st, err))
		return KF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_row(st, row);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return KF_OK;
	if (rc == SQLITE_DONE)
		return kf_fail(err, KF_ENOTFOUND, "no entry '%s'", id);
	return db_fail(ix, err, "read");
}

enum kf_status kbindex_list(struct kbindex *ix, const char *today, kbindex_list_fn fn,
			    void *ctx, struct kf_err *err)
{
	sqlite3_stmt *st;
	if (prepare(ix,
		    "SELECT id, title FROM entries WHERE ?1 IS NULL OR"
		    " ((effective IS NULL OR effective = '' OR effective <= ?1) AND"
		    " (expires IS NULL OR expires = '' OR expires > ?1)) ORDER BY id",
		    &st, err))
		return KF_EDB;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	int rc;
	enum kf_status ret = KF_OK;
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW)
		ret = fn(ctx, (const char *)sqlite3_column_text(st, 0),
			 (const char *)sqlite3_column_text(st, 1), err);
	sqlite3_finalize(st);
	if (!ret && rc != SQLITE_DONE)
		return db_fail(ix, err, "read");
	return ret;
}

enum kf_status kbindex_rank(struct kbindex *ix, const char *match, const unsigned char *m8,
			    size_t nm, const struct kb_filter *f, size_t limit, sqlite3_int64 **ids,
			    double **scores, size_t *n, struct kf_err *err)
{
	return kbindex_rank_beside(ix, match, m8, nm, NULL, f, limit, ids, scores, n, err);
}

enum kf_status kbindex_rank_beside(struct kbindex *ix, const char *match,
				   const unsigned char *m8, size_t nm,
				   const sqlite3_int64 *elsewhere, const struct kb_filter *f,
				   size_t limit, sqlite3_int64 **ids, double **scores, size_t *n,
				   struct kf_err *err)
{
	struct sbuf sql = SBUF_INIT;
	sqlite3_stmt *st;
	const char *today = f->today;
	int join = f->category || f->ntags;

	*ids = NULL;
	*scores = NULL;
	*n = 0;
	/*
	 * Rank in the full-text index alone; only the few best rows are read,
	 * afterwards. A filter joins the small columns at each row's head.
	 */
	sbuf_addf(&sql, "SELECT fts.rowid, kefu_rank(fts, ?5%s) AS r FROM fts%s"
			" WHERE fts MATCH ?1",
		  elsewhere ? ", ?6" : "", join ? " JOIN entries e ON e.rowid = fts.rowid" : "");
	if (today)
		sbuf_adds(&sql, " AND NOT EXISTS (SELECT 1 FROM dated d WHERE d.entry = fts.rowid"
				" AND (d.effective > ?2 OR d.expires <= ?2))");
	if (f->category)
		sbuf_adds(&sql, " AND e.category = ?3");
	for (size_t i = 0; i < f->ntags; i++)
		sbuf_addf(&sql, " AND EXISTS (SELECT 1 FROM entry_tags t"
				" WHERE t.entry = e.rowid AND t.tag = ?%zu)", i + 7);
	/* Ties go to the older entry, as in the term lists' order. */
	sbuf_adds(&sql, " ORDER BY r, fts.rowid LIMIT ?4");
	enum kf_status ret = prepare(ix, sql.buf, &st, err);
	sbuf_release(&sql);
	if (ret)
		return ret;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	if (today)
		sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	if (f->category)
		sqlite3_bind_text(st, 3, f->category, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
	if (m8)
		sqlite3_bind_blob(st, 5, m8, (int)nm, SQLITE_STATIC);
	if (elsewhere)
		sqlite3_bind_blob(st, 6, elsewhere, (int)((nm + 1) * sizeof(*elsewhere)),
				  SQLITE_STATIC);
	for (size_t i = 0; i < f->ntags; i++)
		sqlite3_bind_text(st, (int)i + 7, f->tags[i], -1, SQLITE_STATIC);
	int rc;
	size_t ids_alloc = 0, sc_alloc = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(*ids, *n + 1, ids_alloc);
		ALLOC_GROW(*scores, *n + 1, sc_alloc);
		(*ids)[*n] = sqlite3_column_int64(st, 0);
		(*scores)[(*n)++] = -sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		free(*scores);
		*ids = NULL;
		*scores = NULL;
		*n = 0;
		return db_fail(ix, err, "search");
	}
	return KF_OK;
}

enum kf_status kbindex_df(struct kbindex *ix, const char *term, const char *phrase,
			  sqlite3_int64 *df, struct kf_err *err)
{
	sqlite3_stmt *st;
	*df = 0;
	if (term) {
		if (cached(ix, "SELECT df FROM terms WHERE term = ?1", &st, err))
			return KF_EDB;
		sqlite3_bind_text(st, 1, term, -1, SQLITE_STATIC);
	} else {
		if (cached(ix, "SELECT count(*) FROM fts WHERE fts MATCH ?1", &st, err))
			return KF_EDB;
		sqlite3_bind_text(st, 1, phrase, -1, SQLITE_STATIC);
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*df = sqlite3_column_int64(st, 0);
	done(ix, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(ix, err, "read");
	return KF_OK;
}

enum kf_status kbindex_fetch(struct kbindex *ix, const sqlite3_int64 *ids, const double *scores,
			     size_t n, struct kb_row **rows, struct kf_err *err)
{
	sqlite3_stmt *st;
	enum kf_status ret;

	*rows = NULL;
	if (!n)
		return KF_OK;
	if ((ret = prepare(ix, "SELECT " MATCH_COLS " FROM entries e WHERE rowid = ?1", &st, err)))
		return ret;
	*rows = xcalloc(n, sizeof(**rows));
	for (size_t i = 0; i < n && !ret; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) == SQLITE_ROW) {
			read_match_row(st, &(*rows)[i]);
			(*rows)[i].score = scores[i];
		} else {
			ret = db_fail(ix, err, "search");
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (ret) {
		kb_rows_free(*rows, n);
		*rows = NULL;
	}
	return ret;
}

void kb_row_release(struct kb_row *r)
{
	entry_release(&r->e);
	free(r->path);
	free(r->updated);
	free(r->yaml);
	memset(r, 0, sizeof(*r));
}

void kb_rows_free(struct kb_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kb_row_release(&rows[i]);
	free(rows);
}
