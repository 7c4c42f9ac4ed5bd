/*
 * terms: the index's table of terms, kept beside FTS5 so that a search
 * ranks without reading every entry that holds a common word.
 *
 *	terms(term TEXT PRIMARY KEY, df INTEGER, bw INTEGER, brow INTEGER,
 *	      list BLOB) WITHOUT ROWID
 *
 * For each term: df, the number of entries holding it, and list, its best
 * entries as (rowid, w) pairs, w being the term's weight in the entry
 * (rank.h), in rank order: w descending, then rowid ascending. When the
 * list is cut short, (bw, brow) is its boundary: every entry holding the
 * term that the list leaves out comes after the boundary in that order.
 * A complete list has bw = 0. The number of entries is meta "docs".
 *
 * A writer collects the changes of one transaction: each entry added or
 * removed with its column texts, and folds them into the table when the
 * transaction commits. A full rebuild starts from an empty table.
 */
#ifndef KEFU_TERMS_H
#define KEFU_TERMS_H

#include <sqlite3.h>
#include <stddef.h>

#include "rank.h"
#include "status.h"

struct terms_writer;

/* The entries a term's list holds at most on a desk of ndocs entries. */
size_t terms_list_size(sqlite3_int64 ndocs);
/* ...and on any desk. */
#define TERMS_LIST_MAX 1024

/*
 * A writer for a table that starts empty (fresh) or as it is, expecting
 * about ndocs entries once done (it sizes the lists by it).
 */
struct terms_writer *terms_writer_new(int fresh, sqlite3_int64 ndocs);
void terms_writer_free(struct terms_writer *w);

/*
 * Entry rowid, with its FTS column texts (NULL for none), was added
 * (sign 1) or removed (sign -1).
 */
void terms_writer_doc(struct terms_writer *w, sqlite3_int64 rowid,
		      const char *const cols[RANK_NCOLS], int sign);

/*
 * Fold the changes into the terms table of db, whose FTS table already
 * holds them, and set meta "docs". Inside the caller's transaction.
 * Returns KF_OK or KF_EDB.
 */
enum kf_status terms_writer_flush(struct terms_writer *w, sqlite3 *db, struct kf_err *err);

/*
 * Call fn once for each distinct term of an entry, with its weight w.
 * A non-zero return from fn stops the walk and is returned.
 */
typedef int (*terms_fn)(void *ctx, const char *term, size_t n, int w);
int terms_of_entry(const char *const cols[RANK_NCOLS], terms_fn fn, void *ctx);

/* One row of the table, as a search reads it. */
struct term_list {
	sqlite3_int64 df;
	int bw;           /* 0: the list is complete */
	sqlite3_int64 brow;
	size_t n;
	sqlite3_int64 *rowid;
	unsigned char *w;
};

/*
 * Read term's row with st, a statement "SELECT df, bw, brow, list FROM
 * terms WHERE term = ?1". A term in no entry reads as df 0, an empty
 * list. Returns KF_OK, or KF_EDB for a damaged row.
 */
enum kf_status terms_read(sqlite3_stmt *st, const char *term, struct term_list *l,
			  struct kf_err *err);
void term_list_release(struct term_list *l);

#endif
