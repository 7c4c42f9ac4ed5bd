/*
 * rank: the relevance of an entry to a query, as kb-search orders them.
 *
 * For each term of the query, f is the sum of the weights of the columns
 * the term occurs in (title 10, keywords 8, scenario 4, tags 3, category
 * 2, answer 1, notes 0.5), however often it occurs there, and the entry
 * scores
 *
 *	idf * f * (k1 + 1) / (f + k1),	k1 = 1.2,
 *	idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
 *
 * summed over the terms in query order: the Okapi BM25 of FTS5's bm25()
 * without length normalisation (b = 0) and with a column's repetitions
 * counted once. Entries are short; their titles and keywords decide the
 * order, and on the sets of make eval neither the lengths nor repeated
 * words moved MRR by 0.01. In exchange f takes few values, all in whole
 * halves, and an entry's score is known from which columns hold each
 * term: the term lists of terms.h rank without reading the full-text
 * index at all.
 *
 * Two views compute it, and must agree to the last bit: kefu_rank(fts),
 * an FTS5 function over the rows of a MATCH (negated, so that ORDER BY
 * ascending puts the best first), and rank_term() over term lists.
 */
#ifndef KEFU_RANK_H
#define KEFU_RANK_H

#include <sqlite3.h>

#include "status.h"

/* The FTS columns, in table order, and their weights in halves. */
#define RANK_NCOLS 7
extern const unsigned char rank_w2[RANK_NCOLS];

/* The weight, in halves, of a set of columns (bit i: column i). */
int rank_f2(unsigned mask);

/* The inverse document frequency of a term in df of ndocs entries. */
double rank_idf(sqlite3_int64 ndocs, sqlite3_int64 df);

/* What one term adds to an entry's score, f2 its weight in halves. */
double rank_term(double idf, int f2);

/*
 * Register with the FTS5 of db kefu_rank(fts); kefu_f2(fts), the weight
 * in halves of the query's first phrase in the current row; and
 * kefu_masks(fts), a blob of a byte a phrase (up to 256): the columns of
 * the current row holding it, as a bit set. Returns KF_OK or KF_EDB.
 */
enum kf_status rank_register(sqlite3 *db, struct kf_err *err);

#endif
