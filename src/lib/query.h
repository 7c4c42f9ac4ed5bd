/*
 * query: what a user typed, turned into an FTS5 expression that cannot
 * fail. The text is scanned by the tokenizer like any document; each
 * distinct term becomes a quoted FTS5 string, joined by OR, so quotes,
 * '*', '-', parentheses, NEAR or OR typed by a user are only words.
 */
#ifndef KEFU_QUERY_H
#define KEFU_QUERY_H

#include <stddef.h>

#include "sbuf.h"

#define QUERY_MAX_TERMS 128

/*
 * Append the MATCH expression for text[0..len) to out. Returns the number
 * of terms in it; 0 means the text holds nothing searchable.
 */
size_t query_build(const char *text, size_t len, struct sbuf *out);

#endif
