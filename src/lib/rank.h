/*
 * rank: the relevance function of kb-search, kefu_rank(fts, w0, w1, ...).
 *
 * The Okapi BM25 of FTS5's bm25() without its length normalisation
 * (b = 0): for each phrase of the query, with f its occurrences in a row,
 * each weighted by its column's weight (w0, w1, ... in the table's order;
 * missing ones are 1),
 *
 *	idf * f * (k1 + 1) / (f + k1),	k1 = 1.2
 *
 * summed, and negated so that ORDER BY ascending puts the best first.
 *
 * Why not bm25(): the length of a row is a lookup in another table, which
 * costs five times the rest of ranking the row, and a common word matches
 * thousands of rows of a large desk. Entries are short and their titles
 * and keywords, weighted most, decide the order: on the evaluation sets
 * of make eval the lengths moved MRR by less than 0.01.
 */
#ifndef KEFU_RANK_H
#define KEFU_RANK_H

#include <sqlite3.h>

#include "status.h"

/* Register kefu_rank() with the FTS5 of db. Returns KF_OK or KF_EDB. */
enum kf_status rank_register(sqlite3 *db, struct kf_err *err);

#endif
