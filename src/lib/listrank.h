/*
 * listrank: the best entries for a query from the term lists (terms.h)
 * instead of a scan of every entry that matches it.
 *
 * Every entry in some term's list is a candidate; what its score lacks
 * (a term whose list is cut short before reaching it) is bounded by that
 * list's boundary, and so is the score of every entry in no list. The
 * candidates are taken best bound first, those with an unknown part
 * read and scored whole, until the k-th best score beats every bound
 * left. The result is then exactly what kefu_rank() over FTS5 would give,
 * ties going to the older entry; when the bounds are too loose to decide
 * within a small budget, it says so and the caller scans.
 */
#ifndef KEFU_LISTRANK_H
#define KEFU_LISTRANK_H

#include <sqlite3.h>
#include <stddef.h>

#include "index.h"
#include "query.h"
#include "status.h"

/* Terms beyond this make a query undecided here. */
#define LISTRANK_MAX_TERMS 32

struct listrank {
	sqlite3_int64 *rowid; /* best first */
	double *score;
	size_t n;
	int decided; /* 0: scan instead; rowid and score are empty */
	size_t resolved; /* candidates read and scored whole */
	size_t expanded; /* lists completed from FTS5 */
	size_t batched;	 /* entries of the complete lists scored in one query */
};

/*
 * The best k entries of db for the terms of q that pass f: in effect on
 * f->today (YYYY-MM-DD; NULL: any day), of f->category (NULL: any) and
 * with every tag of f->tags.
 *
 * A typing term that is a word of the desk already stops typing (it is
 * searched as itself, not also as a prefix): q is updated, for a scan
 * too. A typing term left, or scan set, leaves the result undecided. Returns KF_OK (see r->decided) or KF_EDB.
 */
enum kf_status listrank_run(sqlite3 *db, struct query_terms *q, const struct kb_filter *f,
			    size_t k, int scan, struct listrank *r, struct kf_err *err);
void listrank_release(struct listrank *r);

#endif
