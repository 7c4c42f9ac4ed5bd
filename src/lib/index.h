/*
 * index: .kefu/index.db, the SQLite index of the entries on main.
 *
 * Derived data: it can be deleted at any time and rebuilt from git.
 * Entries live in a table; an FTS5 table over it (tokenizer "kefu")
 * finds them; meta records the commit it was built from. The schema
 * version is PRAGMA user_version; a file of another version or a corrupt
 * one is rebuilt by the writer, never patched.
 *
 * Ownership: rows returned are the caller's to free with kb_row_release().
 */
#ifndef KEFU_INDEX_H
#define KEFU_INDEX_H

#include <sqlite3.h>
#include <stddef.h>

#include "entry.h"
#include "status.h"

/* Bumped whenever the tokenizer or schema changes: older indexes rebuild. */
#define KBINDEX_VERSION 12
#define KBINDEX_VERSION_STR "12"
#define KBINDEX_CACHE 16

struct terms_writer;

struct kbindex {
	sqlite3 *db;
	struct terms_writer *tw; /* a writer's pending changes to the terms table */
	int emptied;		 /* kbindex_clear() in this transaction: no old rows */
	struct {
		const char *sql; /* the statement's text, by address */
		sqlite3_stmt *st;
	} cache[KBINDEX_CACHE];
};

/* An entry as stored: the parsed fields plus where and when. */
struct kb_row {
	struct entry e;
	char *path;    /* kb/<category>/<id>.yaml */
	char *updated; /* YYYY-MM-DD of the last commit on main that changed it */
	char *yaml;    /* the file as committed */
	double score;  /* search only: relevance, higher is better */
	long uses;     /* search only: filled by the caller */
	int mine;      /* from the agent's own entries (mine.h), not the desk's */
};

/*
 * Open the index at path. For reading, KF_ENOTFOUND when it does not
 * exist and KF_EDB when it is unreadable or of another version (the
 * caller asks kb-index to rebuild). For writing, it is created or, when
 * corrupt or of another version, replaced by an empty one; *fresh is
 * set when it starts empty. A file that cannot be read for a passing
 * reason (busy, disk full, I/O error) is left alone: KF_EDB. Returns
 * KF_OK, KF_ENOTFOUND or KF_EDB.
 */
enum kf_status kbindex_open_read(struct kbindex *ix, const char *path, struct kf_err *err);
enum kf_status kbindex_open_write(struct kbindex *ix, const char *path, int *fresh,
				  struct kf_err *err);
void kbindex_close(struct kbindex *ix);
/* Delete the index files at path (database and journals). */
void kbindex_remove(const char *path);

/* Whether a SQLite result code says the file itself is damaged. */
int kbindex_rc_corrupt(int rc);

enum kbindex_health {
	KBINDEX_SOUND,	     /* readable and whole: keep it */
	KBINDEX_UNAVAILABLE, /* cannot be told now (disk full, busy, I/O): keep it */
	KBINDEX_CORRUPT,     /* damaged or of another version: rebuild from git */
};

/*
 * After an operation on the index at path failed with SQLite's result
 * code rc: may it be thrown away? Only a corrupt file may. A failure
 * of the moment (SQLITE_FULL, BUSY, IOERR, READONLY...) never makes it
 * corrupt; any other code is settled by SQLite's quick check.
 */
enum kbindex_health kbindex_check(const char *path, int rc);

/*
 * BEGIN IMMEDIATE: the writer's lock, waiting for another writer. The
 * commit folds the transaction's entries into the terms table (terms.h)
 * first. KF_EDB.
 */
enum kf_status kbindex_begin(struct kbindex *ix, struct kf_err *err);
enum kf_status kbindex_commit(struct kbindex *ix, struct kf_err *err);
void kbindex_rollback(struct kbindex *ix);

/* *val is NULL when key is absent. KF_EDB. */
enum kf_status kbindex_meta_get(struct kbindex *ix, const char *key, char **val,
				struct kf_err *err);
enum kf_status kbindex_meta_set(struct kbindex *ix, const char *key, const char *val,
				struct kf_err *err);

/* Remove every entry, expecting about ndocs to come in. KF_EDB. */
enum kf_status kbindex_clear(struct kbindex *ix, long ndocs, struct kf_err *err);

/*
 * Store e as the entry at path, replacing what was there. KF_EEXIST when
 * another path already holds e->id (the message names it); KF_EDB.
 */
enum kf_status kbindex_put(struct kbindex *ix, const char *path, const struct entry *e,
			   const char *yaml, size_t yamllen, const char *updated,
			   struct kf_err *err);
/* Remove the entry at path, if any. KF_EDB. */
enum kf_status kbindex_delete_path(struct kbindex *ix, const char *path, struct kf_err *err);

enum kf_status kbindex_count(struct kbindex *ix, long *n, struct kf_err *err);

/*
 * The uses of entries, as copied from a desk whose store is a server
 * (sync.h's kb_sync_uses()): kbindex_uses_get() fills uses[0..n) for
 * ids[0..n), 0 for one never copied; kbindex_uses_set() sets one;
 * kbindex_uses_copy() replaces them all with what fn gives for the ids
 * of every entry indexed, in the caller's transaction. KF_EDB, or fn's.
 */
typedef enum kf_status (*kbindex_uses_fn)(void *ctx, const char *const *ids, size_t n,
					  long *uses, struct kf_err *err);
enum kf_status kbindex_uses_get(struct kbindex *ix, const char *const *ids, size_t n,
				long *uses, struct kf_err *err);
enum kf_status kbindex_uses_set(struct kbindex *ix, const char *id, long uses,
				struct kf_err *err);
enum kf_status kbindex_uses_copy(struct kbindex *ix, kbindex_uses_fn fn, void *ctx,
				 struct kf_err *err);

/* Merge the full-text index into one segment (after a rebuild). KF_EDB. */
enum kf_status kbindex_optimize(struct kbindex *ix, struct kf_err *err);

/* The entry with this id. KF_ENOTFOUND or KF_EDB. */
enum kf_status kbindex_get(struct kbindex *ix, const char *id, struct kb_row *row,
			   struct kf_err *err);

/*
 * Every entry in effect on today (YYYY-MM-DD; NULL: every entry), by id:
 * fn with its id and title, valid during the call; anything but KF_OK
 * stops the walk and is returned. KF_EDB.
 */
typedef enum kf_status (*kbindex_list_fn)(void *ctx, const char *id, const char *title,
					   struct kf_err *err);
enum kf_status kbindex_list(struct kbindex *ix, const char *today, kbindex_list_fn fn,
			    void *ctx, struct kf_err *err);

struct kb_filter {
	const char *today;    /* hide entries not in effect on this date; NULL: show all */
	const char *category; /* NULL: any */
	char *const *tags;    /* all of these */
	size_t ntags;
};

/*
 * The rowids of the best limit entries for an FTS5 MATCH expression, by
 * kefu_rank() (rank.h) with m8[0..nm) the share of each of its phrases
 * (NULL: all full), ties to the older, with their scores (higher is
 * better); *ids and *scores are allocated. KF_EDB.
 */
enum kf_status kbindex_rank(struct kbindex *ix, const char *match, const unsigned char *m8,
			    size_t nm, const struct kb_filter *f, size_t limit, sqlite3_int64 **ids,
			    double **scores, size_t *n, struct kf_err *err);

/*
 * The same, ranked as if other entries were in this index too:
 * elsewhere[0] their number, elsewhere[1 + i] how many of them hold
 * phrase i (nm + 1 in all). KF_EDB.
 */
enum kf_status kbindex_rank_beside(struct kbindex *ix, const char *match,
				   const unsigned char *m8, size_t nm,
				   const sqlite3_int64 *elsewhere, const struct kb_filter *f,
				   size_t limit, sqlite3_int64 **ids, double **scores, size_t *n,
				   struct kf_err *err);

/*
 * How many entries hold a term: from the terms table when term is given
 * (exact, one lookup), else by counting the rows of the FTS5 expression
 * phrase (a prefix, say). KF_EDB.
 */
enum kf_status kbindex_df(struct kbindex *ix, const char *term, const char *phrase,
			  sqlite3_int64 *df, struct kf_err *err);

/*
 * The rows of n entries by rowid, with their scores, as a result list
 * shows them: id, title, category, scenario, keywords, tags and updated.
 * *rows (n of them) is allocated. KF_EDB.
 */
enum kf_status kbindex_fetch(struct kbindex *ix, const sqlite3_int64 *ids, const double *scores,
			     size_t n, struct kb_row **rows, struct kf_err *err);

void kb_row_release(struct kb_row *row);
void kb_rows_free(struct kb_row *rows, size_t n);

#endif
