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

#include "tokenizer.h"

#define QUERY_MAX_TERMS 128

/* The terms of a query, in the order typed, each once. */
struct query_terms {
	struct query_term {
		char text[TOK_MAX + 1];
		int typing; /* a word the text ends in: also a prefix */
		int cjk;    /* CJK characters: in a text exactly where its bytes are */
	} v[QUERY_MAX_TERMS];
	size_t n;
};

/* The terms of text[0..len); 0 means nothing searchable. */
size_t query_terms(const char *text, size_t len, struct query_terms *q);

/*
 * Append the MATCH expression for q to out: each term quoted, a typing
 * one also as a prefix, joined by OR.
 */
void query_match(const struct query_terms *q, struct sbuf *out);

/* query_terms() then query_match(); returns the number of terms. */
size_t query_build(const char *text, size_t len, struct sbuf *out);

#endif
