/*
 * rank: the relevance of an entry to a query, as kb-search orders them.
 *
 * A term's weight in an entry sums, over the fields (columns) holding
 * it, the field's weight (title 10, keywords 8, scenario 4, id 4, tags 3,
 * category 2, answer 1, notes 0.5); the title's and the keywords' are
 * divided by BM25's length norm
 *
 *	B = 1 - b + b * len / L,	b = 0.75, L = 10,
 *
 * len the field's length in tokens (a CJK character or a word counts
 * one, up to RANK_LEN_MAX). Other fields' lengths moved no make eval set
 * by 0.001. A term counts once per field however often it recurs. The
 * weight is kept in quarters, as a byte (rank_weight()), and the entry
 * scores, summed over the query's terms in query order,
 *
 *	m * idf * f * (k1 + 1) / (f + k1),	k1 = 1.2, f = weight / 4,
 *	idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
 *
 * m the term's share of a full term (rank_term()): a desk word one edit
 * from what was typed counts half a word typed as it is stored. This is
 * BM25F with a fixed length instead of the desk's average: so an entry's
 * weights depend on the entry alone, and the term lists of terms.h stay
 * exact while other entries come and go.
 *
 * Two views compute it, and must agree to the last bit: kefu_rank(fts,
 * M), an FTS5 function over the rows of a MATCH (negated, so that ORDER
 * BY ascending puts the best first; M a blob of each phrase's m in
 * eighths), reading the lengths from the table lens, and rank_term()
 * over term lists.
 *
 * kefu_rank(fts, M, D) ranks a table's entries as if those of another
 * were beside them: D is a blob of native int64s, the other table's N
 * and then each phrase's df there, added to this table's. An agent's
 * own entries (mine.h) are ranked so, against the desk's.
 */
#ifndef KEFU_RANK_H
#define KEFU_RANK_H

#include <sqlite3.h>

#include "status.h"

/* The FTS columns, in table order. */
#define RANK_NCOLS 8
enum {
	RANK_TITLE,
	RANK_KEYWORDS,
	RANK_SCENARIO,
	RANK_TAGS,
	RANK_CATEGORY,
	RANK_ANSWER,
	RANK_NOTES,
	RANK_ID
};

/* A full term's share, in eighths. */
#define RANK_FULL 8

/*
 * Only the title's and the keywords' lengths count (a long answer is no
 * less about its words), in tokens up to 255. The index keeps them in
 * the table lens(chunk, data): for the entries of rowid chunk * 4096 to
 * chunk * 4096 + 4095, two bytes each, title then keywords.
 */
#define RANK_LEN_MAX 255
#define RANK_LEN_CHUNK 4096

/*
 * The weight, in quarters from 1 to 255, of a term held by the columns
 * of mask (bit i: column i) in an entry whose columns are len[] tokens
 * long; 0 for an empty mask.
 */
int rank_weight(unsigned mask, const int len[RANK_NCOLS]);

/* The inverse document frequency of a term in df of ndocs entries. */
double rank_idf(sqlite3_int64 ndocs, sqlite3_int64 df);

/* What one term adds to an entry's score: weight w, share m8 eighths. */
double rank_term(double idf, int w, int m8);

/* Encode an entry's lengths (len[], as rank_weight() takes) in two bytes. */
void rank_len_pack(const int len[RANK_NCOLS], unsigned char out[2]);

/*
 * Register with the FTS5 of db kefu_rank(fts, M); kefu_w(fts), the
 * weight of the query's first phrase in the current row; and
 * kefu_ws(fts), a blob of a byte a phrase (up to 256): its weight in the
 * current row. Returns KF_OK or KF_EDB.
 */
enum kf_status rank_register(sqlite3 *db, struct kf_err *err);

#endif
