/*
 * search: ranked entries for what a user typed.
 *
 * Relevance is BM25 with title and keywords weighing most (rank.h); among
 * the best candidates, how often agents used an entry and how recently
 * it changed lift it a little (at most about a fifth each), so a well-
 * used, current script beats a stale one of equal relevance but never
 * a clearly better match.
 */
#ifndef KEFU_SEARCH_H
#define KEFU_SEARCH_H

#include "index.h"

struct store;

struct kb_query {
	const char *text;
	size_t len;
	struct kb_filter filter; /* filter.today also dates freshness */
	size_t limit;
	int scan; /* rank by a scan of the matches, not the term lists */
	struct store *store; /* the desk's store, open: usage counts from it; NULL: as below */
	/*
	 * The agent's own entries (mine.h), searched beside the desk's and
	 * ranked among them, their rows marked mine; NULL: the desk's only.
	 */
	struct kbindex *mine;
};

/* How a search went, for kb-search -v. */
struct kb_search_info {
	int lists;	 /* ranked from the term lists; 0: by a scan of the matches */
	size_t resolved; /* entries read whole to rank them */
	size_t expanded; /* term lists completed from the full-text index */
	size_t batched;	 /* entries of rare terms scored by one full-text query */
	struct kf_err desk; /* status set: the desk database is there but unreadable */
};

/*
 * Search ix, and q->mine beside it; usage counts come from q->store
 * when set, else from the desk database at desk_db when it exists, or
 * when desk_db is NULL from the index's copy of them (a desk whose
 * tickets are in PostgreSQL: sync.h); an agent's own entries have none.
 * *rows (best first, at most q->limit) is the caller's to free
 * with kb_rows_free(). The term lists rank (listrank.h) unless q->scan
 * is set or they cannot decide;
 * both ways give the same entries in the same order. info may be NULL.
 * Returns KF_OK (possibly *n == 0), KF_EINVAL for a query with nothing
 * searchable in it, or KF_EDB.
 */
enum kf_status kb_search(struct kbindex *ix, const char *desk_db, const struct kb_query *q,
			 const char *today, struct kb_row **rows, size_t *n,
			 struct kb_search_info *info, struct kf_err *err);

/*
 * The best n entries in effect on today (YYYY-MM-DD) for a ticket: its
 * subject and description (either may be NULL) searched as one text, as
 * kb_search() ranks it, usage counted from the desk's open store st
 * (NULL: from the index's copy); a long description keeps its rarest terms
 * (expand.h). *rows (best first, at most n) is the caller's to free with
 * kb_rows_free(); none when the text holds nothing searchable or no entry
 * matches. Returns KF_OK or KF_EDB.
 */
enum kf_status kb_suggest(struct kbindex *ix, struct store *st, const char *subject,
			  const char *description, size_t n, const char *today,
			  struct kb_row **rows, size_t *nrows, struct kf_err *err);

/* The multiplier usage and freshness give: for tests and ranking docs. */
double kb_boost(long uses, long age_days);

#endif
