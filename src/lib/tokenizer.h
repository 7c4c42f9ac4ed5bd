/*
 * tokenizer: how text becomes search terms, in Chinese and English.
 *
 * - A run of CJK characters (Han, kana, Hangul) gives every character
 *   (a unigram) and every pair of neighbours (a bigram, colocated with
 *   the unigram it starts at): "退款单" gives 退 退款 款 款单 单. Two-
 *   character words, the commonest in Chinese, match exactly by bigram.
 * - Any other run of letters and digits is a word: folded to lowercase
 *   (full-width forms to ASCII, Latin-1 capitals to small letters) and,
 *   when plain a-z, stemmed (refunds, refunded -> refund).
 * - Everything else (punctuation, symbols, spaces, emoji, invalid UTF-8)
 *   separates terms.
 *
 * The same scan serves the index (through FTS5) and the query builder,
 * so what a user types and what is stored always agree.
 */
#ifndef KEFU_TOKENIZER_H
#define KEFU_TOKENIZER_H

#include <sqlite3.h>
#include <stddef.h>

#include "status.h"

enum tok_kind { TOK_WORD, TOK_UNIGRAM, TOK_BIGRAM };

/* Longest term kept, in bytes; longer words are cut at a character edge. */
#define TOK_MAX 96

/*
 * Called for each term: text[0..n) is the normalised term, [start, end)
 * the bytes of the input it came from. A non-zero return stops the scan
 * and becomes tok_scan()'s result.
 */
typedef int (*tok_emit_fn)(void *ctx, enum tok_kind kind, const char *text,
			   size_t n, size_t start, size_t end);

int tok_scan(const char *text, size_t len, tok_emit_fn emit, void *ctx);

/*
 * Register the tokenizer as "kefu" with the FTS5 of db.
 * Returns KF_OK or KF_EDB.
 *
 * In FTS5 queries the tokenizer takes each space-separated piece as one
 * finished term (the query builder has already scanned the user's words).
 */
enum kf_status tok_register(sqlite3 *db, struct kf_err *err);

/* The FTS5 of db, for registering extensions. Returns KF_OK or KF_EDB. */
enum kf_status tok_fts5_api(sqlite3 *db, fts5_api **api, struct kf_err *err);

#endif
