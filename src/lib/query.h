/*
 * query: what a user typed, turned into terms and an FTS5 expression
 * that cannot fail. The text is scanned by the tokenizer like any
 * document; each distinct term becomes a quoted FTS5 string, joined by
 * OR, so quotes, '*', '-', parentheses, NEAR or OR typed by a user are
 * only words. What the desk's vocabulary adds (typos, prefixes, joined
 * and split words) is expand.h's.
 */
#ifndef KEFU_QUERY_H
#define KEFU_QUERY_H

#include <stddef.h>

#include "sbuf.h"

#include "tokenizer.h"

#define QUERY_MAX_TERMS 256

/* The terms of a query, in the order typed, each once. */
struct query_terms {
	struct query_term {
		char text[TOK_MAX + 1];
		int typing; /* a word the text ends in: also a prefix */
		int cjk;    /* CJK characters: in a text exactly where its bytes are */
		int kind;   /* enum tok_kind */
		int m8;	    /* its share of a full term, in eighths (rank.h) */
		int join;   /* two words typed apart: kept only if the desk holds it */
	} v[QUERY_MAX_TERMS];
	size_t n;
	size_t tokens; /* words and CJK characters in the text, stop words too */
};

/* A term that says nothing about which entry is meant (a stop word). */
int query_is_stop(const char *term);

/* The terms of text[0..len); 0 means nothing searchable. */
size_t query_terms(const char *text, size_t len, struct query_terms *q);

/*
 * Append the MATCH expression for q to out: each term quoted, a typing
 * one also as a prefix, joined by OR. When m8 is not NULL, it receives
 * the share of each phrase in turn (QUERY_MAX_TERMS * 2 at most); the
 * number of phrases is returned.
 */
size_t query_match(const struct query_terms *q, struct sbuf *out, unsigned char *m8);

/* One term as an FTS5 phrase, quoted, with '*' when prefix. */
void query_phrase(const char *term, int prefix, struct sbuf *out);

/* query_terms() then query_match(); returns the number of terms. */
size_t query_build(const char *text, size_t len, struct sbuf *out);

#endif
