/*
 * expand: a query's terms (query.h) read against the desk's vocabulary,
 * the terms table of terms.h, before either way of ranking sees them.
 *
 * - A word being typed that the desk holds is taken as typed in full;
 *   one that no desk word begins with is no prefix either.
 * - A Latin word of five letters or more that no entry holds, and that
 *   no desk word begins with when it is being typed, stands for the desk
 *   words one edit away (a letter inserted, deleted or replaced, or two
 *   neighbours swapped), the three commonest at most, each at half a
 *   term's share; found in two ranges of the index's table of words
 *   (those sharing the word's first half, and those sharing its end past
 *   the middle), never by reading the vocabulary through. With none, a
 *   split into two desk words is tried ("signin": sign, in).
 * - Two words typed apart are also their joined form when the desk holds
 *   it ("log in": login).
 * - A term no entry holds is dropped: it can add nothing.
 * - Of the common terms, held by more entries than the longest term
 *   list keeps (TERMS_LIST_MAX, 1,024), the six rarest are kept, or the
 *   two rarest of a message (a text of more than 24 words and CJK
 *   characters); then the LISTRANK_MAX_TERMS rarest terms at most. Common terms say little next to rare ones, and each adds a
 *   list cut short, which the term lists rank from only at the cost of
 *   reading entries whole.
 *
 * Both ways of ranking (listrank.h and the scan) read the result, so
 * they rank the same terms.
 */
#ifndef KEFU_EXPAND_H
#define KEFU_EXPAND_H

#include <sqlite3.h>

#include "query.h"
#include "status.h"

/* A desk word one edit from what was typed: its share, in eighths. */
#define EXPAND_TYPO_M8 4

/* Rewrite q as above. Returns KF_OK or KF_EDB. */
enum kf_status query_expand(sqlite3 *db, struct query_terms *q, struct kf_err *err);

#endif
